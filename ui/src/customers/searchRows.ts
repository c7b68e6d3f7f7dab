/**
 * The customer list while it searches ("Show all in the list" from the global search, or the
 * list's own search box). The core's list query has no text, so the list shows the core's search
 * instead: its best hits for the text and kind, then the list's other filters and order applied
 * here, over rows that carry everything they need (stage, tag, owner, custom values).
 */
import type { CustomerRow, CustomValue, ListQuery, SortKey } from "../bindings";
import { STAGES } from "./stages";

/** The most one search answers (the core caps `limit` at 200: CustomersApi::search). */
export const LIST_SEARCH_LIMIT = 200;

type Filters = Omit<ListQuery, "offset" | "limit" | "trash">;

/** The core's custom filter (ListQuery.custom): an equal value, or a multi choice holding the key. */
function customMatches(values: CustomValue[], filters: CustomValue[] | undefined): boolean {
  return (filters ?? []).every((filter) => {
    const want = filter.value.trim();
    if (want === "") return true;
    const value = values.find((v) => v.fieldId === filter.fieldId)?.value;
    return value !== undefined && (value === want || value.split(",").includes(want));
  });
}

// Names sort as the core sorts them, by pinyin for Chinese (collate.rs), Latin alphabetically.
const collator = new Intl.Collator("zh-Hans-CN-u-co-pinyin", { sensitivity: "base", numeric: true });

function compareBy(sort: SortKey): (a: CustomerRow, b: CustomerRow) => number {
  const byName = (a: CustomerRow, b: CustomerRow) => collator.compare(a.name, b.name);
  switch (sort) {
    case "name":
      return byName;
    case "company":
      return (a, b) => collator.compare(a.companyName ?? "", b.companyName ?? "") || byName(a, b);
    case "stage":
      return (a, b) => STAGES.indexOf(a.stage) - STAGES.indexOf(b.stage) || byName(a, b);
    case "owner":
      return (a, b) => collator.compare(a.owner, b.owner) || byName(a, b);
    case "updated":
      return (a, b) => (a.updatedAt < b.updatedAt ? -1 : a.updatedAt > b.updatedAt ? 1 : 0) || byName(a, b);
  }
}

/**
 * The hits the list shows: those the list's filters keep (kind is already the search's own),
 * in the list's order. "No activity for" cannot be told from a row; the list does not offer it
 * while it searches.
 */
export function searchRowsFor(hits: readonly CustomerRow[], filters: Filters): CustomerRow[] {
  const rows = hits.filter(
    (row) =>
      (filters.kind === null || row.kind === filters.kind) &&
      (filters.stage === null || row.stage === filters.stage) &&
      (filters.tag === null || row.tags.includes(filters.tag)) &&
      (filters.owner === null || row.owner === filters.owner) &&
      customMatches(row.custom, filters.custom),
  );
  const compare = compareBy(filters.sort);
  return rows.sort((a, b) => (filters.descending ? -compare(a, b) : compare(a, b)));
}
