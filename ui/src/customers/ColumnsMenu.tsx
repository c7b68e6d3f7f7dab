import { useCallback, useEffect, useId, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import type { CustomField } from "../bindings";
import { useClickOutside } from "../lib/useClickOutside";
import { fieldLabel } from "./customFields";

const STORAGE_KEY = "satchel.customerColumns";

/**
 * Columns of the record's own the list leaves out until the user adds them from this menu: a
 * person's job title and department. Remembered with the custom fields' columns, by
 * `optionalColumnKey` (never a custom field's id).
 */
export const OPTIONAL_COLUMNS = ["jobTitle", "department"] as const;
export type OptionalColumn = (typeof OPTIONAL_COLUMNS)[number];
export const optionalColumnKey = (column: OptionalColumn) => `column:${column}`;

function readStored(): string[] {
  try {
    const parsed: unknown = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? "[]");
    return Array.isArray(parsed) ? parsed.filter((id): id is string => typeof id === "string") : [];
  } catch {
    return [];
  }
}

/**
 * The custom fields the user chose to see as list columns, remembered on this machine. Ids of
 * fields removed since stay remembered (and unshown), so restoring a field brings its column back.
 */
export function useCustomColumns(): [string[], (fieldId: string, on: boolean) => void] {
  const [chosen, setChosen] = useState<string[]>(readStored);
  const toggle = useCallback((fieldId: string, on: boolean) => {
    setChosen((current) => {
      const next = on ? [...current.filter((id) => id !== fieldId), fieldId] : current.filter((id) => id !== fieldId);
      try {
        localStorage.setItem(STORAGE_KEY, JSON.stringify(next));
      } catch {
        // Not remembered, but the choice still applies in this window.
      }
      return next;
    });
  }, []);
  return [chosen, toggle];
}

/** The optional columns chosen, in their own order. */
export function chosenOptionalColumns(chosen: readonly string[]): OptionalColumn[] {
  return OPTIONAL_COLUMNS.filter((column) => chosen.includes(optionalColumnKey(column)));
}

/**
 * The list toolbar's Columns menu: a checkbox per optional column, then per custom field. Escape
 * or a click elsewhere closes it; focus goes back to the button.
 */
export function ColumnsMenu({ fields, chosen, onToggle }: { fields: readonly CustomField[]; chosen: readonly string[]; onToggle: (fieldId: string, on: boolean) => void }) {
  const { t, i18n } = useTranslation();
  const menuId = useId();
  const [open, setOpen] = useState(false);
  const wrapRef = useRef<HTMLDivElement>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const popoverRef = useRef<HTMLDivElement>(null);
  const close = useCallback(() => setOpen(false), []);

  useEffect(() => {
    if (open) popoverRef.current?.querySelector<HTMLElement>("input")?.focus();
  }, [open]);
  useClickOutside(wrapRef, open, close);

  return (
    <div className="menu" ref={wrapRef}>
      <button
        ref={buttonRef}
        type="button"
        className="btn"
        data-testid="columns-button"
        aria-expanded={open}
        aria-controls={open ? menuId : undefined}
        onClick={() => setOpen((o) => !o)}
      >
        {t("customFields.columns")}
      </button>
      {open && (
        <div
          ref={popoverRef}
          className="popover menu-popover"
          id={menuId}
          role="group"
          aria-label={t("customFields.columnsLabel")}
          data-testid="columns-menu"
          onKeyDown={(e) => {
            if (e.key === "Escape") {
              e.preventDefault();
              e.stopPropagation();
              setOpen(false);
              buttonRef.current?.focus();
            }
          }}
        >
          {OPTIONAL_COLUMNS.map((column) => (
            <label key={column} className="menu-item" style={{ gap: "var(--space-2)" }}>
              <input
                type="checkbox"
                data-testid={`column-toggle-${column}`}
                checked={chosen.includes(optionalColumnKey(column))}
                onChange={(e) => onToggle(optionalColumnKey(column), e.target.checked)}
              />
              {t(`column.${column}`)}
            </label>
          ))}
          {fields.length === 0 ? (
            <div className="option-empty">{t("customFields.noColumns")}</div>
          ) : (
            fields.map((field) => (
              <label key={field.id} className="menu-item" style={{ gap: "var(--space-2)" }}>
                <input
                  type="checkbox"
                  data-testid={`column-toggle-${field.id}`}
                  checked={chosen.includes(field.id)}
                  onChange={(e) => onToggle(field.id, e.target.checked)}
                />
                {fieldLabel(field, i18n.language)}
              </label>
            ))
          )}
        </div>
      )}
    </div>
  );
}
