import { useCallback, useEffect, useRef, useState } from "react";
import { commands, type AppError, type CustomerRow, type ListQuery } from "../bindings";
import { onCustomersChanged } from "../lib/events";
import { call } from "../lib/result";
import { PAGE_SIZE, PageCache, pagesInRange } from "./listCache";

export type PagedRows = {
  /** Null until the first page answers. */
  total: number | null;
  row: (index: number) => CustomerRow | undefined;
  /** Tell the loader which rows are on screen; it fetches the pages they need. */
  showRange: (first: number, last: number) => void;
  error: AppError | null;
  retry: () => void;
};

// While the user drags the scrollbar through thousands of rows, fetch at most this often, so
// pages flown past are mostly skipped but the rows under the pointer still fill in promptly.
const FETCH_THROTTLE_MS = 50;

export function useCustomerPages(query: Omit<ListQuery, "offset" | "limit">): PagedRows {
  const cache = useRef(new PageCache<CustomerRow>()).current;
  const [total, setTotal] = useState<number | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const [, setVersion] = useState(0);

  const queryRef = useRef(query);
  queryRef.current = query;
  const totalRef = useRef<number | null>(null);
  // Responses tagged with an older generation answer a query that no longer applies.
  const generation = useRef(0);
  const range = useRef({ first: 0, last: 0 });
  const timer = useRef<number | null>(null);

  const fetchPage = useCallback(
    async (page: number) => {
      const gen = generation.current;
      cache.startLoading(page);
      const result = await call(
        commands.listCustomers({ ...queryRef.current, offset: page * PAGE_SIZE, limit: PAGE_SIZE }),
      );
      if (gen !== generation.current) return;
      if (result.status === "error") {
        cache.failed(page);
        setError(result.error);
        return;
      }
      cache.put(page, result.data.rows);
      totalRef.current = result.data.total;
      setTotal(result.data.total);
      setError(null);
      setVersion((v) => v + 1);
    },
    [cache],
  );

  const loadVisible = useCallback(() => {
    timer.current = null;
    const known = totalRef.current;
    // Before the first answer the total is unknown, and an empty list has no rows in view: in
    // both cases page 0 tells us (an empty list must still see customers added meanwhile).
    const pages = known === null || known === 0 ? [0] : pagesInRange(range.current.first, range.current.last, known);
    cache.touch(pages);
    for (const page of cache.missing(pages)) void fetchPage(page);
  }, [cache, fetchPage]);

  const showRange = useCallback(
    (first: number, last: number) => {
      range.current = { first, last };
      if (timer.current === null) timer.current = window.setTimeout(loadVisible, FETCH_THROTTLE_MS);
    },
    [loadVisible],
  );

  const key = JSON.stringify(query);
  useEffect(() => {
    generation.current++;
    cache.clear();
    totalRef.current = null;
    setTotal(null);
    setError(null);
    range.current = { first: 0, last: 0 };
    loadVisible();
  }, [key, cache, loadVisible]);

  useEffect(
    () =>
      onCustomersChanged(() => {
        generation.current++;
        cache.invalidate();
        loadVisible();
      }),
    [cache, loadVisible],
  );

  useEffect(
    () => () => {
      if (timer.current !== null) window.clearTimeout(timer.current);
    },
    [],
  );

  const retry = useCallback(() => {
    setError(null);
    loadVisible();
  }, [loadVisible]);

  const row = useCallback((index: number) => cache.row(index), [cache]);
  return { total, row, showRange, error, retry };
}
