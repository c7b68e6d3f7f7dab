import { useCallback, useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { commands, type AppError, type CustomerKind, type SegmentId, type Stage } from "../bindings";
import { formatNumber } from "../lib/format";
import { hotkeyLabel, SHORTCUTS } from "../lib/keys";
import { call } from "../lib/result";
import { useRouter } from "../lib/router";
import { useToast } from "../lib/toast";
import { chosenOptionalColumns, ColumnsMenu, useCustomColumns } from "./ColumnsMenu";
import { fieldLabel, hasOptions, optionLabel } from "./customFields";
import { CustomerTable } from "./CustomerTable";
import { ExportMenu } from "./ExportMenu";
import {
  customFilterValue,
  hasNarrowingFilters,
  INACTIVE_DAYS,
  pruneCustomFilters,
  sameSegmentFilter,
  segmentFilterOf,
  textOf,
  toggleSort,
  useFilters,
  withCustomFilter,
  withInactiveDays,
  withText,
} from "./filters";
import { LeanNotice } from "./LeanNotice";
import { LIST_SEARCH_LIMIT } from "./searchRows";
import { SegmentNameForm } from "./SegmentNameForm";
import { findSegment, useSegments } from "./segments";
import { isStage, STAGES } from "./stages";
import { useCustomFields } from "./useCustomFields";
import { useFacets } from "./useFacets";

export function CustomersPage() {
  const { t, i18n } = useTranslation();
  const { route, navigate } = useRouter();
  const toast = useToast();
  const { filters, setFilters, clear } = useFilters();
  const { segments, refresh: refreshSegments } = useSegments();
  // The open segment (from the sidebar); null on the plain list, or while it is not (or no longer) known.
  const segment = findSegment(segments, route.name === "customers" ? route.segment : undefined);
  const segmentChanged = segment !== null && !sameSegmentFilter(segment.filter, segmentFilterOf(filters));
  const [naming, setNaming] = useState<"new" | "rename" | null>(null);
  const facets = useFacets();
  const customFields = useCustomFields();
  const [chosenColumns, toggleColumn] = useCustomColumns();
  const [total, setTotal] = useState<number | null>(null);
  const [capped, setCapped] = useState(false);
  const onTotal = useCallback((n: number | null, more: boolean) => {
    setTotal(n);
    setCapped(more);
  }, []);
  const narrowed = hasNarrowingFilters(filters);
  // The list's search (typed here, or "Show all in the list" from the global search).
  const searchText = textOf(filters);
  const searching = searchText !== "";
  const locale = i18n.language;
  const customColumns = customFields.fields.filter((field) => chosenColumns.includes(field.id));
  const optionalColumns = chosenOptionalColumns(chosenColumns);
  const choiceFields = customFields.fields.filter((field) => hasOptions(field.kind));

  // A field removed (in Settings) no longer filters: its values are hidden, so nothing would match.
  const { loaded: fieldsLoaded, error: fieldsError, fields: liveFields } = customFields;
  useEffect(() => {
    if (!fieldsLoaded || fieldsError) return;
    const ids = liveFields.map((field) => field.id);
    setFilters((f) => pruneCustomFilters(f, ids));
  }, [fieldsLoaded, fieldsError, liveFields, setFilters]);

  const saveAsSegment = async (name: string): Promise<AppError | null> => {
    const result = await call(commands.createSegment(name, segmentFilterOf(filters)));
    if (result.status === "error") return result.error;
    await refreshSegments();
    setNaming(null);
    navigate({ name: "customers", segment: result.data.id });
    return null;
  };

  const renameSegment = async (name: string): Promise<AppError | null> => {
    if (!segment) return null;
    // A rename keeps the stored filters, whatever the list shows meanwhile.
    const result = await call(commands.updateSegment(segment.id, name, segment.filter));
    if (result.status === "error") return result.error;
    await refreshSegments();
    setNaming(null);
    return null;
  };

  const updateSegment = async () => {
    if (!segment) return;
    const result = await call(commands.updateSegment(segment.id, segment.name, segmentFilterOf(filters)));
    if (result.status === "error") {
      toast.show({ message: t("segments.updateFailed", { message: result.error.message }), tone: "error" });
      return;
    }
    await refreshSegments();
    toast.show({ message: t("segments.updatedToast", { name: result.data.name }), kind: "segment-updated" });
  };

  const deleteSegment = async () => {
    if (!segment) return;
    const { id, name } = segment;
    const result = await call(commands.deleteSegment(id));
    if (result.status === "error") {
      toast.show({ message: t("segments.deleteFailed", { message: result.error.message }), tone: "error" });
      return;
    }
    // The list stays as it was (same filters), only no longer as the segment.
    navigate({ name: "customers" }, { replace: true });
    void refreshSegments();
    toast.show({
      message: t("segments.deletedToast", { name }),
      kind: "segment-deleted",
      action: { label: t("common.undo"), testId: "undo", run: () => void restoreSegment(id) },
    });
  };

  // Runs from the toast, possibly after this page is gone: it uses only what outlives the page.
  const restoreSegment = async (id: SegmentId) => {
    const result = await call(commands.restoreSegment(id));
    if (result.status === "error") {
      toast.show({ message: t("segments.restoreFailed", { message: result.error.message }), tone: "error" });
      return;
    }
    await refreshSegments();
  };

  const empty = searching ? (
    <div className="empty-state" data-testid="empty-state">
      <h2>{t("list.noSearchMatchTitle", { text: searchText })}</h2>
      <p>{t("list.noSearchMatchBody")}</p>
      <button type="button" className="btn" onClick={clear}>
        {t("list.clearFilters")}
      </button>
    </div>
  ) : narrowed ? (
    <div className="empty-state" data-testid="empty-state">
      <h2>{t("list.noMatchTitle")}</h2>
      <p>{t("list.noMatchBody")}</p>
      <button type="button" className="btn" onClick={clear}>
        {t("list.clearFilters")}
      </button>
    </div>
  ) : (
    <div className="empty-state" data-testid="empty-state">
      {/* The heading says the book is empty; the text below only says what to do about it. */}
      <h2>{t("list.emptyTitle")}</h2>
      <p>{t("list.emptyBody", { shortcut: hotkeyLabel(SHORTCUTS.newPerson), companyShortcut: hotkeyLabel(SHORTCUTS.newCompany) })}</p>
      <div className="actions">
        <button type="button" className="btn btn-primary" onClick={() => navigate({ name: "new", kind: "person" })}>
          {t("action.newPerson")}
        </button>
        <button type="button" className="btn" onClick={() => navigate({ name: "new", kind: "company" })}>
          {t("action.newCompany")}
        </button>
        {/* A shop moving from a spreadsheet or a phone's contacts starts here, not with typing. */}
        <button type="button" className="btn" data-testid="empty-import" onClick={() => navigate({ name: "import" })}>
          {t("import.open")}
        </button>
      </div>
    </div>
  );

  return (
    <section className="page" aria-labelledby="customers-title">
      <header className="page-header">
        {segment && naming === "rename" ? (
          <>
            <h1 id="customers-title" className="visually-hidden">
              {segment.name}
            </h1>
            <SegmentNameForm
              initial={segment.name}
              label={t("segments.renameLabel", { name: segment.name })}
              onSubmit={renameSegment}
              onCancel={() => setNaming(null)}
            />
          </>
        ) : (
          <h1 id="customers-title" data-testid="list-title" title={segment?.name}>
            {segment ? segment.name : t("nav.customers")}
          </h1>
        )}
        {total !== null && (
          <span className="muted" data-testid="customer-count">
            {searching
              ? // A search answers at most so many hits: with more possible, the count says "at least".
                t(capped ? "list.matchCountMore" : "list.matchCount", { count: total, formatted: formatNumber(total, i18n.language) })
              : t("list.count", { count: total, formatted: formatNumber(total, i18n.language) })}
          </span>
        )}
        {segment && naming !== "rename" && (
          <div className="page-actions" role="group" aria-label={t("segments.actions", { name: segment.name })}>
            <button type="button" className="btn btn-ghost" data-testid="segment-rename" onClick={() => setNaming("rename")}>
              {t("segments.rename")}
            </button>
            <button type="button" className="btn btn-ghost" data-testid="segment-delete" title={t("segments.deleteHint")} onClick={() => void deleteSegment()}>
              {t("segments.delete")}
            </button>
          </div>
        )}
        <div className="page-actions" role="group" aria-label={t("list.transfer")}>
          <button type="button" className="btn" data-testid="import-button" onClick={() => navigate({ name: "import" })}>
            {t("import.open")}
          </button>
          <ColumnsMenu fields={customFields.fields} chosen={chosenColumns} onToggle={toggleColumn} />
          <ExportMenu filters={filters} blockedBy={searching ? t("export.searchBlocked") : null} />
        </div>
      </header>

      <div className="filters" role="group" aria-label={t("list.filters")}>
        <input
          className="input list-search"
          type="search"
          data-testid="list-search"
          aria-label={t("list.search")}
          placeholder={t("list.searchPlaceholder")}
          autoComplete="off"
          spellCheck={false}
          value={filters.text ?? ""}
          onChange={(e) => {
            const text = e.target.value;
            // "No activity for" cannot narrow a search (see searchRows.ts): a search replaces it.
            setFilters((f) => withText(text.trim() === "" ? f : withInactiveDays(f, null), text));
          }}
          onKeyDown={(e) => {
            if (e.key === "Escape" && searching) {
              e.preventDefault();
              setFilters((f) => withText(f, ""));
            }
          }}
        />
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
        <select
          className="select"
          data-testid="filter-inactive"
          aria-label={t("segments.inactiveLabel")}
          title={searching ? t("list.inactiveWhileSearching") : t("segments.inactiveHint")}
          disabled={searching}
          value={filters.inactiveDays ?? ""}
          onChange={(e) => setFilters((f) => withInactiveDays(f, e.target.value === "" ? null : Number(e.target.value)))}
        >
          <option value="">{t("segments.inactiveAny")}</option>
          {withCurrentDays(filters.inactiveDays ?? null).map((days) => (
            <option key={days} value={days}>
              {t("segments.inactiveDays", { count: days, formatted: formatNumber(days, locale) })}
            </option>
          ))}
        </select>
        {(narrowed || searching) && (
          <button type="button" className="btn btn-ghost" data-testid="clear-filters" onClick={clear}>
            {t("list.clearFilters")}
          </button>
        )}
        {/* A search may have dropped "No activity for": that is no change to save to the segment. */}
        {segmentChanged && !searching && (
          <button
            type="button"
            className="btn"
            data-testid="segment-update"
            title={t("segments.updateHint", { name: segment.name })}
            onClick={() => void updateSegment()}
          >
            {t("segments.update")}
          </button>
        )}
        {naming === "new" ? (
          <SegmentNameForm initial="" label={t("segments.nameLabel")} onSubmit={saveAsSegment} onCancel={() => setNaming(null)} />
        ) : (
          narrowed &&
          // A segment saves filters; one saved during a search would hold more than the list shows.
          !searching &&
          (segment === null || segmentChanged) && (
            <button type="button" className="btn btn-ghost" data-testid="save-segment" onClick={() => setNaming("new")}>
              {segment ? t("segments.saveAsNew") : t("segments.saveAs")}
            </button>
          )
        )}
      </div>

      <LeanNotice />

      {searching && capped && (
        <p className="muted list-note" data-testid="list-search-capped">
          {t("list.searchCapped", { formatted: formatNumber(LIST_SEARCH_LIMIT, i18n.language) })}
        </p>
      )}

      <CustomerTable
        filters={filters}
        trash={false}
        onSort={(key) => setFilters((f) => toggleSort(f, key))}
        onOpen={(row) => navigate({ name: "customer", id: row.id })}
        empty={empty}
        onTotal={onTotal}
        customColumns={customColumns}
        optionalColumns={optionalColumns}
      />
    </section>
  );
}

/** The "No activity for" choices, with a segment's own number of days among them when it is another. */
function withCurrentDays(current: number | null): readonly number[] {
  return current === null || INACTIVE_DAYS.includes(current) ? INACTIVE_DAYS : [...INACTIVE_DAYS, current].sort((a, b) => a - b);
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
