import { useVirtualizer } from "@tanstack/react-virtual";
import { useEffect, useRef, useState, type CSSProperties, type KeyboardEvent, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import type { CustomerRow, CustomField, SortKey } from "../bindings";
import { formatDate } from "../lib/format";
import type { OptionalColumn } from "./ColumnsMenu";
import { displayValue, fieldLabel, valueOf } from "./customFields";
import { KindIcon, StagePill } from "./StagePill";
import type { ListFilters } from "./filters";
import { focusIsLost, useListFocus } from "./listFocus";
import { useCustomerPages } from "./useCustomerPages";

// Must match --row-height in styles.css; the virtualiser positions rows by it.
const ROW_HEIGHT = 36;
const OVERSCAN = 12;

type Column = { id: string; sort?: SortKey };
const COLUMNS: Column[] = [
  { id: "name", sort: "name" },
  { id: "company", sort: "company" },
  { id: "stage", sort: "stage" },
  { id: "owner", sort: "owner" },
  { id: "tags" },
  { id: "email" },
  { id: "phone" },
  { id: "updated", sort: "updated" },
];

/** Where each list was scrolled to, so coming back from a record lands on the same rows. */
const savedOffsets = new Map<string, number>();

type Props = {
  filters: ListFilters;
  trash: boolean;
  onSort: (key: SortKey) => void;
  onOpen: (row: CustomerRow) => void;
  /** Rendered when the query matches nothing. */
  empty: ReactNode;
  /** An extra trailing cell per row (the trash list's Restore button). */
  action?: (row: CustomerRow) => ReactNode;
  /** How many rows the list has (null until known); `capped` while a search may have more than it shows. */
  onTotal?: (total: number | null, capped: boolean) => void;
  /** Custom fields shown as extra columns (after Updated), each row's value in it. */
  customColumns?: readonly CustomField[];
  /**
   * The record's own columns the user added (job title, department): after Updated, before the
   * custom fields' columns, the first to give way.
   */
  optionalColumns?: readonly OptionalColumn[];
};

const NO_COLUMNS: readonly CustomField[] = [];
const NO_OPTIONAL: readonly OptionalColumn[] = [];
const CUSTOM_COLUMN_WIDTH = "minmax(110px, 1fr)";

export function CustomerTable({ filters, trash, onSort, onOpen, empty, action, onTotal, customColumns = NO_COLUMNS, optionalColumns = NO_OPTIONAL }: Props) {
  const { t, i18n } = useTranslation();
  const pages = useCustomerPages({ ...filters, trash });
  const scrollRef = useRef<HTMLDivElement>(null);
  const tableRef = useRef<HTMLDivElement>(null);
  const offsetKey = trash ? "trash" : "live";
  const [active, setActive] = useState<number | null>(null);
  const listFocus = useListFocus();
  // Coming back from a record: what to focus once the rows are here (read once per visit).
  const [returning] = useState(() => listFocus.returnTo(offsetKey));
  const returnDone = useRef(returning === null);

  const virtualizer = useVirtualizer({
    count: pages.total ?? 0,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: OVERSCAN,
    initialOffset: savedOffsets.get(offsetKey) ?? 0,
    onChange: (instance) => savedOffsets.set(offsetKey, instance.scrollOffset ?? 0),
  });

  const items = virtualizer.getVirtualItems();
  const first = items[0]?.index ?? 0;
  const last = items[items.length - 1]?.index ?? 0;
  const { showRange, total } = pages;
  const capped = pages.capped ?? false;
  useEffect(() => showRange(first, last), [showRange, first, last]);
  useEffect(() => onTotal?.(total, capped), [onTotal, total, capped]);

  // A new query starts from the top; the old scroll position means nothing in a new ordering.
  const queryKey = JSON.stringify(filters);
  const firstQuery = useRef(queryKey);
  useEffect(() => {
    if (firstQuery.current === queryKey) return;
    firstQuery.current = queryKey;
    virtualizer.scrollToOffset(0);
    setActive(null);
  }, [queryKey, virtualizer]);

  // Focus follows the keyboard cursor once the virtualiser has rendered that row.
  useEffect(() => {
    if (active === null) return;
    let frame = 0;
    const focus = (attempt: number) => {
      const el = scrollRef.current?.querySelector<HTMLElement>(`[data-index="${active}"]`);
      if (el) el.focus({ preventScroll: true });
      else if (attempt < 5) frame = requestAnimationFrame(() => focus(attempt + 1));
    };
    focus(0);
    return () => cancelAnimationFrame(frame);
  }, [active]);

  // Back from a record, focus goes to the row it was opened from; after deleting it, to the row
  // now in its place, or to the list when none is. Only if focus was lost with the page that had
  // it: a sidebar link or the search box the user is in keeps it. Waits for that row's page.
  const returnRowId = returning?.index != null ? pages.row(returning.index)?.id : undefined;
  useEffect(() => {
    if (returnDone.current || returning === null || total === null) return;
    const { index } = returning;
    const inList = index !== null && index < total;
    if (inList && !returning.deleted && returnRowId === undefined) return;
    returnDone.current = true;
    listFocus.forget(offsetKey);
    if (!focusIsLost()) return;
    if (inList && (returning.deleted || returnRowId === returning.id)) move(index);
    else (scrollRef.current ?? tableRef.current)?.focus({ preventScroll: true });
  });

  const open = (row: CustomerRow, index: number) => {
    listFocus.noteOpened(offsetKey, row.id, index);
    onOpen(row);
  };

  const move = (index: number) => {
    const count = pages.total ?? 0;
    if (count === 0) return;
    const next = Math.max(0, Math.min(count - 1, index));
    virtualizer.scrollToIndex(next, { align: "auto" });
    setActive(next);
  };

  const onRowKey = (event: KeyboardEvent<HTMLDivElement>, index: number, row: CustomerRow | undefined) => {
    const pageRows = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? 360) / ROW_HEIGHT) - 1);
    const moves: Record<string, number> = {
      ArrowDown: index + 1,
      ArrowUp: index - 1,
      PageDown: index + pageRows,
      PageUp: index - pageRows,
      Home: 0,
      End: (pages.total ?? 1) - 1,
    };
    const target = moves[event.key];
    if (target !== undefined) {
      event.preventDefault();
      move(target);
    } else if (event.key === "Enter" && row && event.target === event.currentTarget) {
      event.preventDefault();
      open(row, index);
    }
  };

  if (pages.error && pages.total === null) {
    return (
      <div className="empty-state" role="alert">
        <p>{pages.error.message}</p>
        <button type="button" className="btn" onClick={pages.retry}>
          {t("common.retry")}
        </button>
      </div>
    );
  }

  const locale = i18n.language;
  // The grid's template leaves room for these columns through --custom-columns (styles.css).
  const extraCount = optionalColumns.length + customColumns.length;
  const tableStyle = extraCount > 0 ? ({ "--custom-columns": Array(extraCount).fill(CUSTOM_COLUMN_WIDTH).join(" ") } as CSSProperties) : undefined;
  return (
    // Focusable from code only: where focus goes back to when no row can take it (the list is empty).
    <div className={`table${trash ? " table-trash" : ""}`} role="table" aria-rowcount={pages.total ?? -1} style={tableStyle} ref={tableRef} tabIndex={-1}>
      <div className="table-grid table-head" role="row">
        {COLUMNS.map((column) => (
          <HeaderCell key={column.id} column={column} filters={filters} onSort={onSort} />
        ))}
        {optionalColumns.map((column) => (
          <span key={column} className="th" role="columnheader" data-testid={`column-${column}`} data-priority="low" title={t(`column.${column}`)}>
            <span className="cell-text">{t(`column.${column}`)}</span>
          </span>
        ))}
        {customColumns.map((field) => (
          <span key={field.id} className="th" role="columnheader" data-testid={`column-custom-${field.id}`} title={fieldLabel(field, locale)}>
            <span className="cell-text">{fieldLabel(field, locale)}</span>
          </span>
        ))}
        {action && <span className="th" role="columnheader" />}
      </div>

      {pages.total === null ? (
        // The first page has not answered yet (on a large database the index is still being
        // built at start-up): say so rather than show an empty table.
        <div className="empty-state" role="status" aria-busy="true" data-testid="list-loading">
          {t("common.loading")}
        </div>
      ) : pages.total === 0 ? (
        empty
      ) : (
        <div className="table-scroll" ref={scrollRef} data-testid="customer-list" tabIndex={-1}>
          <div style={{ height: virtualizer.getTotalSize(), position: "relative" }} role="rowgroup">
            {items.map((item) => {
              const row = pages.row(item.index);
              const common = {
                "data-index": item.index,
                role: "row",
                tabIndex: item.index === (active ?? 0) ? 0 : -1,
                className: "table-grid row",
                style: { transform: `translateY(${item.start}px)` },
                onKeyDown: (e: KeyboardEvent<HTMLDivElement>) => onRowKey(e, item.index, row),
                onFocus: () => setActive(item.index),
              } as const;
              if (!row) {
                return (
                  <div key={item.key} {...common} data-testid="customer-row-placeholder" aria-busy="true">
                    {[...COLUMNS.map((c) => c.id), ...optionalColumns, ...customColumns.map((f) => f.id)].map((id) => (
                      <span key={id} className="cell" role="cell">
                        <span className="placeholder-bar" />
                      </span>
                    ))}
                  </div>
                );
              }
              return (
                <div key={item.key} {...common} data-testid="customer-row" data-id={row.id} onClick={() => open(row, item.index)}>
                  <span className="cell cell-name" role="cell">
                    <KindIcon kind={row.kind} />
                    <span className="cell-text">{row.name}</span>
                  </span>
                  <span className="cell" role="cell">
                    <span className="cell-text">{row.companyName ?? ""}</span>
                  </span>
                  <span className="cell" role="cell">
                    <StagePill stage={row.stage} />
                  </span>
                  <span className="cell" role="cell">
                    <span className="cell-text">{row.owner}</span>
                  </span>
                  <span className="cell" role="cell" title={row.tags.join(", ")}>
                    {row.tags.slice(0, 3).map((tag) => (
                      <span key={tag} className="chip">
                        {tag}
                      </span>
                    ))}
                    {row.tags.length > 3 && <span className="faint">+{row.tags.length - 3}</span>}
                  </span>
                  <span className="cell" role="cell">
                    <span className="cell-text">{row.email ?? ""}</span>
                  </span>
                  <span className="cell" role="cell">
                    <span className="cell-text">{row.phone ?? ""}</span>
                  </span>
                  <span className="cell muted" role="cell">
                    {formatDate(row.updatedAt, locale)}
                  </span>
                  {optionalColumns.map((column) => (
                    <span key={column} className="cell" role="cell" data-testid={`cell-${column}`} data-priority="low" title={row[column] || undefined}>
                      <span className="cell-text">{row[column]}</span>
                    </span>
                  ))}
                  {customColumns.map((field) => {
                    const value = valueOf(row.custom, field.id);
                    const text = value ? displayValue(field, value, locale) : "";
                    return (
                      <span key={field.id} className="cell" role="cell" data-testid={`cell-custom-${field.id}`} title={text || undefined}>
                        <span className="cell-text">{text}</span>
                      </span>
                    );
                  })}
                  {action && (
                    <span className="cell" role="cell" onClick={(e) => e.stopPropagation()}>
                      {action(row)}
                    </span>
                  )}
                </div>
              );
            })}
          </div>
        </div>
      )}
    </div>
  );
}

function HeaderCell({ column, filters, onSort }: { column: Column; filters: ListFilters; onSort: (key: SortKey) => void }) {
  const { t } = useTranslation();
  const label = t(`column.${column.id}`);
  if (!column.sort) {
    return (
      <span className="th" role="columnheader">
        {label}
      </span>
    );
  }
  const sorted = filters.sort === column.sort;
  const direction = filters.descending ? "descending" : "ascending";
  return (
    <button
      type="button"
      className="th"
      role="columnheader"
      aria-sort={sorted ? direction : "none"}
      data-testid={`sort-${column.sort}`}
      title={t("list.sortBy", { column: label })}
      onClick={() => onSort(column.sort!)}
    >
      {label}
      {sorted && <span aria-hidden="true">{filters.descending ? "↓" : "↑"}</span>}
    </button>
  );
}
