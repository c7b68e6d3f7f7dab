import { useEffect, useId, useRef, useState, type InputHTMLAttributes } from "react";
import { useTranslation } from "react-i18next";
import type { CustomerId } from "../bindings";
import { StagePill } from "./StagePill";
import { useCustomerSearch } from "./useCustomerSearch";

type Props = {
  companyId: CustomerId | null;
  companyName: string;
  onChange: (companyId: CustomerId | null, companyName: string) => void;
  inputProps: InputHTMLAttributes<HTMLInputElement>;
};

/**
 * Links a person to an existing company. Typing searches companies; only picking one from the
 * list sets the link, so a half-typed name never silently points at the wrong record.
 */
export function CompanyPicker({ companyId, companyName, onChange, inputProps }: Props) {
  const { t } = useTranslation();
  const listId = useId();
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const query = open && companyId === null ? companyName : "";
  const search = useCustomerSearch(query, "company", 10);
  const pickFirstWhenReady = useRef(false);

  const pick = (index: number) => {
    const hit = search.hits[index];
    if (!hit) return;
    onChange(hit.row.id, hit.row.name);
    setOpen(false);
  };

  // Enter pressed before the answer arrived means "the first match", once there is one.
  useEffect(() => {
    if (!pickFirstWhenReady.current || search.pending) return;
    pickFirstWhenReady.current = false;
    const hit = search.hits[0];
    if (hit) {
      onChange(hit.row.id, hit.row.name);
      setOpen(false);
    }
  }, [search, onChange]);

  const showList = open && companyId === null && companyName.trim() !== "";
  return (
    <div className="autocomplete">
      <input
        {...inputProps}
        className="input"
        style={{ width: "100%" }}
        data-testid="field-company"
        role="combobox"
        aria-autocomplete="list"
        aria-expanded={showList}
        aria-controls={listId}
        aria-activedescendant={showList && search.hits[active] ? `${listId}-${active}` : undefined}
        autoComplete="off"
        spellCheck={false}
        placeholder={t("form.companyPlaceholder")}
        value={companyName}
        onChange={(e) => {
          onChange(null, e.target.value);
          setOpen(true);
          setActive(0);
        }}
        onFocus={() => setOpen(true)}
        onBlur={() => setOpen(false)}
        onKeyDown={(e) => {
          if (!showList) return;
          if (e.key === "ArrowDown") {
            e.preventDefault();
            setActive((i) => Math.min(i + 1, Math.max(0, search.hits.length - 1)));
          } else if (e.key === "ArrowUp") {
            e.preventDefault();
            setActive((i) => Math.max(i - 1, 0));
          } else if (e.key === "Enter") {
            // Enter here picks a company; it must not submit the whole form.
            e.preventDefault();
            if (search.pending) pickFirstWhenReady.current = true;
            else pick(active);
          } else if (e.key === "Escape") {
            e.stopPropagation();
            setOpen(false);
          }
        }}
      />
      {companyId !== null && companyName !== "" && <div className="muted" style={{ fontSize: "var(--text-sm)" }}>{t("form.companyLinked")}</div>}
      {showList && (
        <div className="popover" role="listbox" id={listId}>
          {search.hits.length === 0 ? (
            <div className="option-empty">{search.pending ? t("search.searching") : t("form.companyNoMatch")}</div>
          ) : (
            search.hits.map((hit, index) => (
              <div
                key={hit.row.id}
                id={`${listId}-${index}`}
                role="option"
                className="option"
                data-testid="company-option"
                aria-selected={index === active}
                onMouseDown={(e) => e.preventDefault()}
                onMouseEnter={() => setActive(index)}
                onClick={() => pick(index)}
              >
                <span className="option-main" title={hit.row.name}>
                  {hit.row.name}
                </span>
                <StagePill stage={hit.row.stage} />
              </div>
            ))
          )}
        </div>
      )}
    </div>
  );
}
