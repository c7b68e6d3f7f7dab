import { describe, expect, it } from "vitest";
import { PageCache, pageOf, pagesInRange } from "./listCache";

describe("pagesInRange", () => {
  it("maps a visible window to the pages that hold it", () => {
    expect(pagesInRange(0, 30, 100_000)).toEqual([0]);
    expect(pagesInRange(95, 130, 100_000)).toEqual([0, 1]);
    expect(pagesInRange(99_950, 99_999, 100_000)).toEqual([999]);
  });

  it("clamps a window that runs past the last row", () => {
    expect(pagesInRange(180, 260, 205)).toEqual([1, 2]);
    expect(pagesInRange(0, 40, 0)).toEqual([]);
  });

  it("uses the page size it is given", () => {
    expect(pageOf(49, 50)).toBe(0);
    expect(pageOf(50, 50)).toBe(1);
    expect(pagesInRange(40, 120, 1000, 50)).toEqual([0, 1, 2]);
  });
});

describe("PageCache", () => {
  const rows = (page: number, n = 100) => Array.from({ length: n }, (_, i) => `row ${page * 100 + i}`);

  it("finds a row by its absolute index", () => {
    const cache = new PageCache<string>();
    cache.put(3, rows(3));
    expect(cache.row(342)).toBe("row 342");
    expect(cache.row(42)).toBeUndefined();
  });

  it("asks only for pages that are neither cached nor already loading", () => {
    const cache = new PageCache<string>();
    cache.put(0, rows(0));
    cache.startLoading(1);
    expect(cache.missing([0, 1, 2])).toEqual([2]);
  });

  it("forgets a load that failed so it can be retried", () => {
    const cache = new PageCache<string>();
    cache.startLoading(4);
    cache.failed(4);
    expect(cache.missing([4])).toEqual([4]);
  });

  it("evicts the least recently used page beyond its budget, sparing touched ones", () => {
    const cache = new PageCache<string>(3);
    cache.put(0, rows(0));
    cache.put(1, rows(1));
    cache.put(2, rows(2));
    cache.touch([0]);
    cache.put(3, rows(3));
    expect(cache.size).toBe(3);
    expect(cache.has(0)).toBe(true);
    expect(cache.has(1)).toBe(false);
  });

  it("keeps stale rows visible after invalidation but asks for them again", () => {
    const cache = new PageCache<string>();
    cache.put(0, rows(0));
    cache.startLoading(1);
    cache.invalidate();
    expect(cache.row(5)).toBe("row 5");
    expect(cache.isStale(0)).toBe(true);
    expect(cache.missing([0, 1])).toEqual([0, 1]);
    cache.put(0, rows(0));
    expect(cache.isStale(0)).toBe(false);
  });

  it("drops everything when the query changes", () => {
    const cache = new PageCache<string>();
    cache.put(0, rows(0));
    cache.clear();
    expect(cache.row(0)).toBeUndefined();
  });

  it("holds a short last page", () => {
    const cache = new PageCache<string>();
    cache.put(2, rows(2, 5));
    expect(cache.row(204)).toBe("row 204");
    expect(cache.row(205)).toBeUndefined();
  });
});
