import { useVirtualizer } from "@tanstack/react-virtual";
import { memo, useEffect, useLayoutEffect, useMemo, useRef, useState, type CSSProperties, type KeyboardEvent, type ReactNode, type RefObject, type SyntheticEvent } from "react";
import { useTranslation } from "react-i18next";
import type { CustomerRow, CustomField, SortKey } from "../bindings";
import { formatDate } from "../lib/format";
import type { OptionalColumn } from "./ColumnsMenu";
import { displayValue, fieldLabel, valueOf } from "./customFields";
import { KindIcon, StagePill } from "./StagePill";
import type { ListFilters } from "./filters";
import { focusIsLost, useListFocus } from "./listFocus";
import { useCustomerPages } from "./useCustomerPages";
import { marked, markOnce } from "../lib/marks";

// Must match --row-height in styles.css; the virtualiser positions rows by it.
const ROW_HEIGHT = 36;
const OVERSCAN = 4;

/**
 * The list's columns: `width` is the grid track, `min` its least width in px, and `priority` says
 * which go first when the window is too narrow for all (lowest first): tags, then the date, the
 * owner, custom columns, stage, company, email; the phone and the name stay. The phone's track is
 * wide enough for a whole mobile number, so it is never the one cut short.
 */
export type Column = { id: string; sort?: SortKey; width: string; min: number; priority: number };
export const COLUMNS: readonly Column[] = [
  { id: "name", sort: "name", width: "minmax(180px, 2fr)", min: 180, priority: 100 },
  { id: "company", sort: "company", width: "minmax(120px, 1.4fr)", min: 120, priority: 60 },
  { id: "stage", sort: "stage", width: "108px", min: 108, priority: 50 },
  { id: "owner", sort: "owner", width: "minmax(90px, 1fr)", min: 90, priority: 30 },
  { id: "tags", width: "minmax(100px, 1.2fr)", min: 100, priority: 10 },
  { id: "email", width: "minmax(150px, 1.6fr)", min: 150, priority: 80 },
  { id: "phone", width: "minmax(148px, 1.1fr)", min: 148, priority: 90 },
  { id: "updated", sort: "updated", width: "110px", min: 110, priority: 20 },
];
export const CUSTOM_COLUMN: Pick<Column, "width" | "min" | "priority"> = { width: "minmax(110px, 1fr)", min: 110, priority: 40 };
/** The trash list's Restore cell. */
const ACTION_COLUMN = { width: "96px", min: 96 };
/** A row's side padding (.row, .table-head) plus the scrollbar gutter both reserve. */
const ROW_CHROME = 24 + 16;

/**
 * The columns that fit `width` px (all of them while the width is unknown), in their order:
 * the lowest priority goes first, a later custom column before an earlier one.
 */
export function fittingColumns(columns: readonly Column[], width: number | null, reserved = 0): Column[] {
  if (width === null || width <= 0) return [...columns];
  const dropOrder = columns.map((column, index) => ({ column, index })).sort((a, b) => a.column.priority - b.column.priority || b.index - a.index);
  const dropped = new Set<Column>();
  let total = columns.reduce((sum, column) => sum + column.min, reserved + ROW_CHROME);
  for (const { column } of dropOrder) {
    if (total <= width) break;
    if (column.priority >= 100) break;
    dropped.add(column);
    total -= column.min;
  }
  return columns.filter((column) => !dropped.has(column));
}

/** The table's width in px as laid out, following window resizes; null before layout (or in jsdom). */
function useWidth(ref: RefObject<HTMLElement | null>): number | null {
  const [width, setWidth] = useState<number | null>(null);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const measure = () => setWidth(el.clientWidth > 0 ? el.clientWidth : null);
    // The page's first layout is forced here (`clientWidth`): `make bench-app` reads these marks
    // (React's first commit done, then the layout) to see what each costs a start (about 40 and
    // 57 ms on the 2-core machine, docs/benchmarks.md "Eighth pass").
    markOnce("satchel:first-commit");
    measure();
    markOnce("satchel:first-layout");
    if (typeof ResizeObserver === "undefined") return;
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    return () => observer.disconnect();
  }, [ref]);
  return width;
}

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
/** Job title and department, when switched on: the first to go when narrow. */
const OPTIONAL_COLUMN: Pick<Column, "width" | "min" | "priority"> = { width: "minmax(110px, 1fr)", min: 110, priority: 5 };

export function CustomerTable({ filters, trash, onSort, onOpen, empty, action, onTotal, customColumns = NO_COLUMNS, optionalColumns = NO_OPTIONAL }: Props) {
  const { t, i18n } = useTranslation();
  const pages = useCustomerPages({ ...filters, trash });
  const scrollRef = useRef<HTMLDivElement>(null);
  const tableRef = useRef<HTMLDivElement>(null);
  const tableWidth = useWidth(tableRef);
  const offsetKey = trash ? "trash" : "live";
  const [active, setActive] = useState<number | null>(null);
  // The index of the row that took the focus last (see the layout effect below).
  const focusedIndex = useRef<number | null>(null);
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
  // The frame that first paints rows, on the page's own clock: `make bench-app` reads it, as a
  // WebDriver poll sees the rows up to a round trip late. A layout effect runs before that paint,
  // so the frame asked for here is the one that shows them.
  const rowsShown = items.length > 0 && pages.row(first) !== undefined;
  useLayoutEffect(() => {
    const mark = "satchel:first-rows-painted";
    if (rowsShown && !marked(mark)) {
      requestAnimationFrame(() => markOnce(mark));
    }
  }, [rowsShown]);

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

  const onRowKey = (event: KeyboardEvent<HTMLDivElement>, index: number, row: CustomerRow | undefined, el: HTMLElement) => {
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
    } else if (event.key === "Enter" && row && event.target === el) {
      event.preventDefault();
      open(row, index);
    }
  };

  const locale = i18n.language;
  // The column the list is sorted by stays as long as the name does: its header shows the order.
  const allColumns: Column[] = [
    ...COLUMNS.map((column) => (column.sort !== undefined && column.sort === filters.sort ? { ...column, priority: Math.max(column.priority, 95) } : column)),
    ...optionalColumns.map((column) => ({ id: `optional:${column}`, ...OPTIONAL_COLUMN })),
    ...customColumns.map((field) => ({ id: `custom:${field.id}`, ...CUSTOM_COLUMN })),
  ];
  const shown = fittingColumns(allColumns, tableWidth, action ? ACTION_COLUMN.min : 0);
  const shownIds = new Set(shown.map((column) => column.id));
  const shownCustom = customColumns.filter((field) => shownIds.has(`custom:${field.id}`));
  const shownOptional = optionalColumns.filter((column) => shownIds.has(`optional:${column}`));
  // One grid template for the header and every row (.table-grid in customers.css reads --columns).
  const tableStyle = { "--columns": [...shown.map((column) => column.width), ...(action ? [ACTION_COLUMN.width] : [])].join(" ") } as CSSProperties;
  // The same layout object while the columns stay the same, so rows need not be drawn again
  // (ListRow is memoised); the custom fields are in its key whole, their labels and options too.
  const layoutKey = JSON.stringify([shown.map((column) => column.id), locale, shownOptional, shownCustom]);
  const layout = useMemo<RowLayout>(
    () => ({ columns: shown.map((column) => column.id), ids: shownIds, optional: shownOptional, custom: shownCustom, locale }),
    [layoutKey], // the key holds everything the layout is made of
  );

  // The row an event happened in (events are the row group's, not each row's).
  const withRow = <E extends SyntheticEvent>(event: E, f: (event: E, index: number, row: CustomerRow | undefined, el: HTMLElement) => void) => {
    const el = (event.target as Element).closest<HTMLElement>("[data-index]");
    if (!el || el.parentElement !== event.currentTarget) return;
    const index = Number(el.dataset.index);
    f(event, index, pages.row(index), el);
  };

  // A focused row whose elements were handed to another row (keys by place, above) would keep
  // the focus while showing another customer: focus goes to the list instead, as it would to the
  // page had the row gone.
  useLayoutEffect(() => {
    const el = document.activeElement;
    if (!(el instanceof HTMLElement) || el.dataset.index === undefined || el.parentElement?.parentElement !== scrollRef.current) return;
    if (Number(el.dataset.index) !== focusedIndex.current) scrollRef.current?.focus({ preventScroll: true });
  });

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

  return (
    // Focusable from code only: where focus goes back to when no row can take it (the list is empty).
    <div className={`table${trash ? " table-trash" : ""}`} role="table" aria-rowcount={pages.total ?? -1} style={tableStyle} ref={tableRef} tabIndex={-1}>
      <div className="table-grid table-head" role="row">
        {COLUMNS.filter((column) => shownIds.has(column.id)).map((column) => (
          <HeaderCell key={column.id} column={column} filters={filters} onSort={onSort} />
        ))}
        {shownOptional.map((column) => (
          <span key={column} className="th" role="columnheader" data-testid={`column-${column}`} data-priority="low" title={t(`column.${column}`)}>
            <span className="cell-text">{t(`column.${column}`)}</span>
          </span>
        ))}
        {shownCustom.map((field) => (
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
          <div
            style={{ height: virtualizer.getTotalSize(), position: "relative" }}
            role="rowgroup"
            onKeyDown={(e) => withRow(e, onRowKey)}
            onFocus={(e) =>
              withRow(e, (_, index) => {
                focusedIndex.current = index;
                setActive(index);
              })
            }
            onClick={(e) => withRow(e, (_, index, row) => row && open(row, index))}
          >
            {items.map((item) => (
              <ListRow
                // Keyed by the row's place among those drawn (the drawn rows are consecutive, so
                // each place is taken once), not by its index: a row scrolled out hands its
                // elements to the one scrolled in, and a flick through the list updates text
                // rather than building thirty rows of elements a frame (and their garbage). A row
                // that stays in view keeps its place, and is not drawn again.
                key={item.index % items.length}
                index={item.index}
                start={item.start}
                row={pages.row(item.index)}
                focusable={item.index === (active ?? 0)}
                layout={layout}
                action={action}
              />
            ))}
          </div>
        </div>
      )}
    </div>
  );
}

/** What every row draws the same way: which columns, in the user's language. */
type RowLayout = {
  columns: readonly string[];
  ids: ReadonlySet<string>;
  optional: readonly OptionalColumn[];
  custom: readonly CustomField[];
  locale: string;
};

type ListRowProps = {
  index: number;
  start: number;
  row: CustomerRow | undefined;
  focusable: boolean;
  layout: RowLayout;
  action?: (row: CustomerRow) => ReactNode;
};

/**
 * One row of the list, or its placeholder while its page is on its way. Drawn again only when
 * its record, place or columns change: a page arriving redraws the rows it fills, not the screen.
 * Events are the row group's (see `withRow`), so a row holds no handlers of its own.
 */
const ListRow = memo(function ListRow({ index, start, row, focusable, layout, action }: ListRowProps) {
  const common = {
    "data-index": index,
    role: "row",
    tabIndex: focusable ? 0 : -1,
    className: "table-grid row",
    style: { transform: `translateY(${start}px)` },
  } as const;
  if (!row) {
    return (
      <div {...common} data-testid="customer-row-placeholder" aria-busy="true">
        {layout.columns.map((id) => (
          <span key={id} className="cell" role="cell">
            <span className="placeholder-bar" />
          </span>
        ))}
      </div>
    );
  }
  const { ids, locale } = layout;
  return (
    <div {...common} data-testid="customer-row" data-id={row.id}>
      {ids.has("name") && (
        <span className="cell cell-name" role="cell" title={row.name}>
          <KindIcon kind={row.kind} />
          <span className="cell-text">{row.name}</span>
        </span>
      )}
      {ids.has("company") && <TextCell text={row.companyName ?? ""} />}
      {ids.has("stage") && (
        <span className="cell" role="cell">
          <StagePill stage={row.stage} />
        </span>
      )}
      {ids.has("owner") && <TextCell text={row.owner} />}
      {ids.has("tags") && (
        <span className="cell cell-tags" role="cell" title={row.tags.join(", ") || undefined}>
          {row.tags.slice(0, 3).map((tag) => (
            <span key={tag} className="chip">
              {tag}
            </span>
          ))}
          {row.tags.length > 3 && <span className="faint">+{row.tags.length - 3}</span>}
        </span>
      )}
      {ids.has("email") && <TextCell text={row.email ?? ""} />}
      {ids.has("phone") && <TextCell text={row.phone ?? ""} />}
      {ids.has("updated") && (
        <span className="cell muted" role="cell">
          {formatDate(row.updatedAt, locale)}
        </span>
      )}
      {layout.optional.map((column) => (
        <span key={column} className="cell" role="cell" data-testid={`cell-${column}`} data-priority="low" title={row[column] || undefined}>
          <span className="cell-text">{row[column]}</span>
        </span>
      ))}
      {layout.custom.map((field) => {
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
});

/** A cell of plain text, cut short with an ellipsis when narrow: the full text is its title (hover). */
function TextCell({ text }: { text: string }) {
  return (
    <span className="cell" role="cell" title={text || undefined}>
      <span className="cell-text">{text}</span>
    </span>
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
