import { useCallback, useEffect, useId, useRef, useState, type KeyboardEvent } from "react";
import { useTranslation } from "react-i18next";
import { commands, type ExportFormat } from "../bindings";
import { formatNumber } from "../lib/format";
import { useClickOutside } from "../lib/useClickOutside";
import { call } from "../lib/result";
import { useToast } from "../lib/toast";
import { listQueryOf, type ListFilters } from "./filters";

const FORMATS: { format: ExportFormat; label: "export.csv" | "export.vcard4" | "export.vcard3" }[] = [
  { format: "csv", label: "export.csv" },
  { format: "vcard4", label: "export.vcard4" },
  { format: "vcard3", label: "export.vcard3" },
];

/**
 * The list toolbar's Export menu: writes every customer the list's filters match, in its order,
 * to a new file in Downloads, and says where in a toast. A menu button in the WAI-ARIA pattern:
 * Enter, Space or the arrows open it, the arrows move, Escape closes it.
 */
export function ExportMenu({ filters, blockedBy = null }: { filters: ListFilters; blockedBy?: string | null }) {
  const { t, i18n } = useTranslation();
  const toast = useToast();
  const menuId = useId();
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const [busy, setBusy] = useState(false);
  const wrapRef = useRef<HTMLDivElement>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const menuRef = useRef<HTMLDivElement>(null);
  const closeOnOutside = useCallback(() => setOpen(false), []);

  useEffect(() => {
    if (open) menuRef.current?.querySelectorAll<HTMLElement>('[role="menuitem"]')[active]?.focus();
  }, [open, active]);

  useClickOutside(wrapRef, open, closeOnOutside);

  const openAt = (index: number) => {
    setActive(index);
    setOpen(true);
  };

  const close = () => {
    setOpen(false);
    buttonRef.current?.focus();
  };

  const exportAs = async (format: ExportFormat) => {
    close();
    if (blockedBy !== null) return;
    setBusy(true);
    // The export ignores the window (offset, limit): it writes every row the filters match.
    const result = await call(commands.exportCustomers({ ...listQueryOf(filters), trash: false, offset: 0, limit: 0 }, format));
    setBusy(false);
    if (result.status === "error") {
      toast.show({ message: t("export.failed", { message: result.error.message }), tone: "error", kind: "export" });
      return;
    }
    const { count, path } = result.data;
    toast.show({ message: t("export.done", { count, formatted: formatNumber(count, i18n.language), path }), kind: "export" });
  };

  const onButtonKey = (e: KeyboardEvent<HTMLButtonElement>) => {
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      e.preventDefault();
      openAt(e.key === "ArrowDown" ? 0 : FORMATS.length - 1);
    }
  };

  const onMenuKey = (e: KeyboardEvent<HTMLDivElement>) => {
    const moves: Record<string, number> = {
      ArrowDown: (active + 1) % FORMATS.length,
      ArrowUp: (active - 1 + FORMATS.length) % FORMATS.length,
      Home: 0,
      End: FORMATS.length - 1,
    };
    const next = moves[e.key];
    if (next !== undefined) {
      e.preventDefault();
      setActive(next);
    } else if (e.key === "Escape") {
      e.preventDefault();
      e.stopPropagation();
      close();
    } else if (e.key === "Tab") {
      setOpen(false);
    }
  };

  return (
    <div className="menu" ref={wrapRef}>
      <button
        ref={buttonRef}
        type="button"
        className="btn"
        data-testid="export-button"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? menuId : undefined}
        aria-busy={busy}
        // Not `disabled` while busy: focus returns here after a choice and must not be dropped
        // mid-export. While the list searches, the export (which takes only the list's filters)
        // would write other customers than those shown, so it is off and says why.
        aria-disabled={busy || blockedBy !== null}
        disabled={blockedBy !== null && !busy}
        title={blockedBy ?? undefined}
        onClick={() => {
          if (busy || blockedBy !== null) return;
          if (open) setOpen(false);
          else openAt(0);
        }}
        onKeyDown={(e) => {
          if (!busy && blockedBy === null) onButtonKey(e);
        }}
      >
        {busy ? t("export.exporting") : t("export.button")}
      </button>
      {open && (
        <div className="popover menu-popover" role="menu" id={menuId} aria-label={t("export.menuLabel")} ref={menuRef} onKeyDown={onMenuKey}>
          {FORMATS.map(({ format, label }, index) => (
            <button
              key={format}
              type="button"
              role="menuitem"
              className="menu-item"
              tabIndex={index === active ? 0 : -1}
              data-testid={`export-format-${format}`}
              onMouseMove={() => setActive(index)}
              onClick={() => void exportAs(format)}
            >
              {t(label)}
            </button>
          ))}
        </div>
      )}
    </div>
  );
}
