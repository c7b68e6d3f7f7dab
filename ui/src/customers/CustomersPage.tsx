import { useCallback, useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import type { CustomerKind, Stage } from "../bindings";
import { formatNumber } from "../lib/format";
import { hotkeyLabel, SHORTCUTS } from "../lib/keys";
import { useRouter } from "../lib/router";
import { ColumnsMenu, useCustomColumns } from "./ColumnsMenu";
import { fieldLabel, hasOptions, optionLabel } from "./customFields";
import { CustomerTable } from "./CustomerTable";
import { ExportMenu } from "./ExportMenu";
import { customFilterValue, hasNarrowingFilters, pruneCustomFilters, toggleSort, useFilters, withCustomFilter } from "./filters";
import { isStage, STAGES } from "./stages";
import { useCustomFields } from "./useCustomFields";
import { useFacets } from "./useFacets";

export function CustomersPage() {
  const { t, i18n } = useTranslation();
  const { navigate } = useRouter();
  const { filters, setFilters, clear } = useFilters();
  const facets = useFacets();
  const customFields = useCustomFields();
  const [chosenColumns, toggleColumn] = useCustomColumns();
  const [total, setTotal] = useState<number | null>(null);
  const onTotal = useCallback((n: number | null) => setTotal(n), []);
  const narrowed = hasNarrowingFilters(filters);
  const locale = i18n.language;
  const customColumns = customFields.fields.filter((field) => chosenColumns.includes(field.id));
  const choiceFields = customFields.fields.filter((field) => hasOptions(field.kind));

  // A field removed (in Settings) no longer filters: its values are hidden, so nothing would match.
  const { loaded: fieldsLoaded, error: fieldsError, fields: liveFields } = customFields;
  useEffect(() => {
    if (!fieldsLoaded || fieldsError) return;
    const ids = liveFields.map((field) => field.id);
    setFilters((f) => pruneCustomFilters(f, ids));
  }, [fieldsLoaded, fieldsError, liveFields, setFilters]);

  const empty = narrowed ? (
    <div className="empty-state" data-testid="empty-state">
      <h2>{t("list.noMatchTitle")}</h2>
      <p>{t("list.noMatchBody")}</p>
      <button type="button" className="btn" onClick={clear}>
        {t("list.clearFilters")}
      </button>
    </div>
  ) : (
    <div className="empty-state" data-testid="empty-state">
      <h2>{t("list.emptyTitle")}</h2>
      <p>{t("list.emptyBody", { shortcut: hotkeyLabel(SHORTCUTS.newPerson), companyShortcut: hotkeyLabel(SHORTCUTS.newCompany) })}</p>
      <div className="actions">
        <button type="button" className="btn btn-primary" onClick={() => navigate({ name: "new", kind: "person" })}>
          {t("action.newPerson")}
        </button>
        <button type="button" className="btn" onClick={() => navigate({ name: "new", kind: "company" })}>
          {t("action.newCompany")}
        </button>
      </div>
    </div>
  );

  return (
    <section className="page" aria-labelledby="customers-title">
      <header className="page-header">
        <h1 id="customers-title">{t("nav.customers")}</h1>
        {total !== null && (
          <span className="muted" data-testid="customer-count">
            {t("list.count", { count: total, formatted: formatNumber(total, i18n.language) })}
          </span>
        )}
        <div className="page-actions" role="group" aria-label={t("list.transfer")}>
          <button type="button" className="btn" data-testid="import-button" onClick={() => navigate({ name: "import" })}>
            {t("import.open")}
          </button>
          <ColumnsMenu fields={customFields.fields} chosen={chosenColumns} onToggle={toggleColumn} />
          <ExportMenu filters={filters} />
        </div>
      </header>

      <div className="filters" role="group" aria-label={t("list.filters")}>
        <KindFilter value={filters.kind} onChange={(kind) => setFilters((f) => ({ ...f, kind }))} />
        <select
          className="select"
          data-testid="filter-stage"
          aria-label={t("list.filterStage")}
          value={filters.stage ?? ""}
          onChange={(e) => setFilters((f) => ({ ...f, stage: isStage(e.target.value) ? (e.target.value as Stage) : null }))}
        >
          <option value="">{t("list.allStages")}</option>
          {STAGES.map((stage) => (
            <option key={stage} value={stage}>
              {t(`stage.${stage}`)}
            </option>
          ))}
        </select>
        <select
          className="select"
          data-testid="filter-tag"
          aria-label={t("list.filterTag")}
          value={filters.tag ?? ""}
          onChange={(e) => setFilters((f) => ({ ...f, tag: e.target.value || null }))}
        >
          <option value="">{t("list.allTags")}</option>
          {withCurrent(facets.tags, filters.tag).map((tag) => (
            <option key={tag} value={tag}>
              {tag}
            </option>
          ))}
        </select>
        <select
          className="select"
          data-testid="filter-owner"
          aria-label={t("list.filterOwner")}
          value={filters.owner ?? ""}
          onChange={(e) => setFilters((f) => ({ ...f, owner: e.target.value || null }))}
        >
          <option value="">{t("list.allOwners")}</option>
          {withCurrent(facets.owners, filters.owner).map((owner) => (
            <option key={owner} value={owner}>
              {owner}
            </option>
          ))}
        </select>
        {choiceFields.map((field) => {
          const value = customFilterValue(filters, field.id);
          const label = fieldLabel(field, locale);
          return (
            <select
              key={field.id}
              className="select"
              data-testid={`filter-custom-${field.id}`}
              aria-label={label}
              value={value}
              onChange={(e) => setFilters((f) => withCustomFilter(f, field.id, e.target.value))}
            >
              <option value="">{t("customFields.filterAny", { field: label })}</option>
              {value !== "" && !field.options.some((o) => o.key === value) && <option value={value}>{value}</option>}
              {field.options.map((option) => (
                <option key={option.key} value={option.key}>
                  {optionLabel(option, locale)}
                </option>
              ))}
            </select>
          );
        })}
        {narrowed && (
          <button type="button" className="btn btn-ghost" data-testid="clear-filters" onClick={clear}>
            {t("list.clearFilters")}
          </button>
        )}
      </div>

      <CustomerTable
        filters={filters}
        trash={false}
        onSort={(key) => setFilters((f) => toggleSort(f, key))}
        onOpen={(row) => navigate({ name: "customer", id: row.id })}
        empty={empty}
        onTotal={onTotal}
        customColumns={customColumns}
      />
    </section>
  );
}

/** A filter value that has just vanished from the facets must stay selectable, or the select lies. */
function withCurrent(values: string[], current: string | null): string[] {
  return current === null || values.includes(current) ? values : [current, ...values];
}

function KindFilter({ value, onChange }: { value: CustomerKind | null; onChange: (kind: CustomerKind | null) => void }) {
  const { t } = useTranslation();
  const options: { id: string; kind: CustomerKind | null; label: string }[] = [
    { id: "all", kind: null, label: t("list.kindAll") },
    { id: "company", kind: "company", label: t("list.kindCompanies") },
    { id: "person", kind: "person", label: t("list.kindPeople") },
  ];
  return (
    <div className="segmented" role="group" aria-label={t("list.filterKind")}>
      {options.map((option) => (
        <button
          key={option.id}
          type="button"
          data-testid={`filter-kind-${option.id}`}
          aria-pressed={value === option.kind}
          onClick={() => onChange(option.kind)}
        >
          {option.label}
        </button>
      ))}
    </div>
  );
}
