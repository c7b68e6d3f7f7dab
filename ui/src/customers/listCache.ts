/**
 * Page cache and window math for the virtualised customer list.
 *
 * The list can hold 100,000 rows, so it never loads them all: rows are fetched in fixed pages of
 * PAGE_SIZE as they scroll into view, kept in a bounded LRU so memory stays flat however far the
 * user scrolls, and marked stale (not dropped) when data changes so the screen never blanks while
 * the fresh page is on its way.
 */
export const PAGE_SIZE = 100;

export function pageOf(index: number, pageSize = PAGE_SIZE): number {
  return Math.floor(index / pageSize);
}

/** Pages covering rows first..last (inclusive), clamped to the rows that exist. */
export function pagesInRange(first: number, last: number, total: number, pageSize = PAGE_SIZE): number[] {
  if (total <= 0 || last < first) return [];
  const lo = Math.max(0, Math.min(first, total - 1));
  const hi = Math.max(0, Math.min(last, total - 1));
  const pages: number[] = [];
  for (let page = pageOf(lo, pageSize); page <= pageOf(hi, pageSize); page++) pages.push(page);
  return pages;
}

type Entry<T> = { rows: T[]; stale: boolean };

export class PageCache<T> {
  // A Map iterates in insertion order, so re-inserting on use makes the first key the least recent.
  private readonly pages = new Map<number, Entry<T>>();
  private readonly loading = new Set<number>();

  constructor(
    readonly maxPages = 50,
    readonly pageSize = PAGE_SIZE,
  ) {}

  get size(): number {
    return this.pages.size;
  }

  row(index: number): T | undefined {
    const entry = this.pages.get(pageOf(index, this.pageSize));
    return entry?.rows[index % this.pageSize];
  }

  has(page: number): boolean {
    return this.pages.has(page);
  }

  isStale(page: number): boolean {
    return this.pages.get(page)?.stale ?? false;
  }

  isLoading(page: number): boolean {
    return this.loading.has(page);
  }

  /** Marks pages as recently used so eviction spares what is on screen. */
  touch(pages: number[]): void {
    for (const page of pages) {
      const entry = this.pages.get(page);
      if (entry) {
        this.pages.delete(page);
        this.pages.set(page, entry);
      }
    }
  }

  /** Of the wanted pages, those that need a request: absent or stale, and not already in flight. */
  missing(pages: number[]): number[] {
    return pages.filter((page) => {
      if (this.loading.has(page)) return false;
      const entry = this.pages.get(page);
      return !entry || entry.stale;
    });
  }

  startLoading(page: number): void {
    this.loading.add(page);
  }

  put(page: number, rows: T[]): void {
    this.loading.delete(page);
    this.pages.delete(page);
    this.pages.set(page, { rows, stale: false });
    while (this.pages.size > this.maxPages) {
      const oldest = this.pages.keys().next().value;
      if (oldest === undefined) break;
      this.pages.delete(oldest);
    }
  }

  failed(page: number): void {
    this.loading.delete(page);
  }

  /** Data changed: keep showing what we have, but refetch anything asked for again. */
  invalidate(): void {
    for (const entry of this.pages.values()) entry.stale = true;
    this.loading.clear();
  }

  /** The query changed: old rows belong to a different ordering and must not be shown. */
  clear(): void {
    this.pages.clear();
    this.loading.clear();
  }
}
