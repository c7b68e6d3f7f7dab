import { createContext, useContext, useMemo, useState, type ReactNode } from "react";
import type { CustomerKind, CustomValue, ListQuery, SegmentFilter, SortKey, Stage } from "../bindings";

/**
 * Everything in a ListQuery except the window, which the virtual list owns. `custom` and
 * `inactiveDays` are left out (not sent) while they do not filter the list.
 *
 * `text` is the list's search ("Show all in the list" from the global search, or typed in the
 * list's own box), left out while empty. The core's list query has no text: while it is set the
 * list shows the core's search hits instead (see useCustomerPages), so it is never sent as part
 * of a ListQuery (`listQueryOf`), and a segment never saves it.
 */
export type ListFilters = Omit<ListQuery, "offset" | "limit" | "trash"> & { text?: string };

/** What the list searches for; "" when it does not search. */
export function textOf(filters: ListFilters): string {
  return filters.text?.trim() ?? "";
}

/** Sets (or, with "", removes) the list's search text. */
export function withText(filters: ListFilters, text: string): ListFilters {
  const { text: _old, ...rest } = filters;
  return text.trim() === "" ? rest : { ...rest, text };
}

/** The filters as the core's ListQuery takes them: without the search text it has no field for. */
export function listQueryOf(filters: ListFilters): Omit<ListQuery, "offset" | "limit" | "trash"> {
  const { text: _text, ...query } = filters;
  return query;
}

export const DEFAULT_FILTERS: ListFilters = {
  sort: "updated",
  descending: true,
  stage: null,
  tag: null,
  owner: null,
  kind: null,
};

/** Whether a filter a segment can save narrows the list (the search text is not one of them). */
export function hasNarrowingFilters(filters: ListFilters): boolean {
  return (
    filters.stage !== null ||
    filters.tag !== null ||
    filters.owner !== null ||
    filters.kind !== null ||
    (filters.custom?.length ?? 0) > 0 ||
    (filters.inactiveDays ?? null) !== null
  );
}

/** The "No activity for" filter's choices, in days. */
export const INACTIVE_DAYS: readonly number[] = [7, 30, 90, 180, 365];

/** Sets (or, with null, removes) the "no activity in N days" filter. */
export function withInactiveDays(filters: ListFilters, days: number | null): ListFilters {
  const { inactiveDays: _old, ...rest } = filters;
  return days === null ? rest : { ...rest, inactiveDays: days };
}

/** What a segment saves of the list's filters: everything but the order. */
export function segmentFilterOf(filters: ListFilters): SegmentFilter {
  return {
    stage: filters.stage,
    tag: filters.tag,
    owner: filters.owner,
    kind: filters.kind,
    custom: filters.custom ?? [],
    inactiveDays: filters.inactiveDays ?? null,
  };
}

/** The list showing a segment: its filters, in the order the list already had. */
export function withSegmentFilter(filters: ListFilters, segment: SegmentFilter): ListFilters {
  const base: ListFilters = {
    ...DEFAULT_FILTERS,
    sort: filters.sort,
    descending: filters.descending,
    stage: segment.stage ?? null,
    tag: segment.tag ?? null,
    owner: segment.owner ?? null,
    kind: segment.kind ?? null,
  };
  return withInactiveDays(withCustomFilters(base, segment.custom ?? []), segment.inactiveDays ?? null);
}

/** Whether two segment filters select the same records (custom filters in any order). */
export function sameSegmentFilter(a: SegmentFilter, b: SegmentFilter): boolean {
  const key = (f: SegmentFilter) =>
    JSON.stringify([
      f.stage ?? null,
      f.tag ?? null,
      f.owner ?? null,
      f.kind ?? null,
      f.inactiveDays ?? null,
      (f.custom ?? []).map((c) => `${c.fieldId}=${c.value}`).sort(),
    ]);
  return key(a) === key(b);
}

/** The value a custom field filters by ("" when it does not filter). */
export function customFilterValue(filters: ListFilters, fieldId: string): string {
  return filters.custom?.find((f) => f.fieldId === fieldId)?.value ?? "";
}

/** Sets (or, with "", removes) one custom field's filter; no filters at all leaves `custom` out. */
export function withCustomFilter(filters: ListFilters, fieldId: string, value: string): ListFilters {
  const custom: CustomValue[] = (filters.custom ?? []).filter((f) => f.fieldId !== fieldId);
  if (value !== "") custom.push({ fieldId, value });
  return withCustomFilters(filters, custom);
}

/** Keeps only the custom filters whose field is still live; `filters` itself when nothing changes. */
export function pruneCustomFilters(filters: ListFilters, liveFieldIds: readonly string[]): ListFilters {
  if (!filters.custom) return filters;
  const kept = filters.custom.filter((f) => liveFieldIds.includes(f.fieldId));
  return kept.length === filters.custom.length ? filters : withCustomFilters(filters, kept);
}

function withCustomFilters(filters: ListFilters, custom: CustomValue[]): ListFilters {
  const { custom: _old, ...rest } = filters;
  return custom.length > 0 ? { ...rest, custom } : rest;
}

/** Clicking the active column flips direction; a new column starts at its natural direction. */
export function toggleSort(filters: ListFilters, key: SortKey): ListFilters {
  if (filters.sort === key) return { ...filters, descending: !filters.descending };
  return { ...filters, sort: key, descending: key === "updated" };
}

type FiltersState = {
  filters: ListFilters;
  setFilters: (update: (current: ListFilters) => ListFilters) => void;
  setStage: (stage: Stage | null) => void;
  setKind: (kind: CustomerKind | null) => void;
  /** Clears every filter and the search text, keeping the order. */
  clear: () => void;
  /** Shows `text`'s matches among every customer: the search text alone, the other filters cleared. */
  showSearch: (text: string) => void;
};

const FiltersContext = createContext<FiltersState | null>(null);

/**
 * The live list's filters sit above the pages (in the customers module's provider) so they
 * survive opening a record and coming back, and so the command palette can change them.
 */
export function FiltersProvider({ children }: { children: ReactNode }) {
  const [filters, setFiltersState] = useState<ListFilters>(DEFAULT_FILTERS);
  const value = useMemo<FiltersState>(
    () => ({
      filters,
      setFilters: (update) => setFiltersState(update),
      setStage: (stage) => setFiltersState((f) => ({ ...f, stage })),
      setKind: (kind) => setFiltersState((f) => ({ ...f, kind })),
      clear: () => setFiltersState((f) => ({ ...DEFAULT_FILTERS, sort: f.sort, descending: f.descending })),
      showSearch: (text) => setFiltersState((f) => withText({ ...DEFAULT_FILTERS, sort: f.sort, descending: f.descending }, text)),
    }),
    [filters],
  );
  return <FiltersContext.Provider value={value}>{children}</FiltersContext.Provider>;
}

export function useFilters(): FiltersState {
  const state = useContext(FiltersContext);
  if (!state) throw new Error("useFilters outside FiltersProvider");
  return state;
}
