import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { flushSync } from "react-dom";
import { commands, events, type AppError, type CustomerRow, type ListPage, type ListQuery } from "../bindings";
import { listenTo } from "../lib/listen";
import { onCustomersChanged } from "../lib/events";
import { call, type Result } from "../lib/result";
import { DEFAULT_FILTERS, listQueryOf } from "./filters";
import { PAGE_SIZE, PageCache, pagesInRange } from "./listCache";
import { LIST_SEARCH_LIMIT, searchRowsFor } from "./searchRows";
import { SingleFlight } from "../lib/singleFlight";
import { markOnce } from "../lib/marks";

export type PagedRows = {
  /** Null until the first page answers. */
  total: number | null;
  row: (index: number) => CustomerRow | undefined;
  /** Tell the loader which rows are on screen; it fetches the pages they need. */
  showRange: (first: number, last: number) => void;
  error: AppError | null;
  retry: () => void;
  /** While searching: the search answered as many hits as it ever does, so there may be more. */
  capped?: boolean;
};

type Query = Omit<ListQuery, "offset" | "limit">;

/**
 * The list's first page, asked as the script starts (`askFirstPageEarly`, from main.tsx) rather
 * than after React's first render. At start many panels ask the core for something as they mount;
 * asked first, the list's rows are in, or on their way, when the list mounts (the rows came
 * 90-220 ms after the list asked at 100,000 customers; docs/benchmarks.md). Taken once, by the
 * first list that asks for page 0 with the same query; a change to customers before then (made
 * here, or a sync page from another device) makes it stale, and the list asks afresh.
 */
let early: { key: string; answer: Promise<Result<ListPage, AppError>>; stop: () => void } | null = null;

/** A query's identity, whatever order its fields were spread in. */
function keyOf(query: Query): string {
  return JSON.stringify(Object.entries(query).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** The query the customer list opens with: the default filters, not the trash. */
export function firstListQuery(): Query {
  return { ...listQueryOf(DEFAULT_FILTERS), trash: false };
}

export function askFirstPageEarly(query: Query = firstListQuery()): void {
  early?.stop();
  const answer = call(commands.listCustomers({ ...query, offset: 0, limit: PAGE_SIZE }));
  const mine = {
    key: keyOf(query),
    answer,
    stop: () => {
      unsubscribe();
      unlisten();
      if (early === mine) early = null;
    },
  };
  const unsubscribe = onCustomersChanged(() => mine.stop());
  // A sync page applied before the shell listens (it does once the window has rendered) is heard
  // here too: the answer may predate it.
  const unlisten = listenTo(events.recordsChanged, (changed) => {
    if (changed.modules.includes("customers")) mine.stop();
  });
  early = mine;
}

/** The early answer for this page and query, if there is one; the early answer is gone after. */
function takeEarly(query: Query, page: number): Promise<Result<ListPage, AppError>> | null {
  const taken = early;
  if (!taken) return null;
  taken.stop();
  return page === 0 && taken.key === keyOf(query) ? taken.answer : null;
}

// While the user drags the scrollbar through thousands of rows, fetch at most this often, so
// pages flown past are mostly skipped but the rows under the pointer still fill in promptly.
export const FETCH_THROTTLE_MS = 50;

/**
 * The rows of the customer list (or the trash). With a search `text`, the core's search hits for
 * it, narrowed and ordered as the list's filters say; without, the list's pages, fetched as they
 * scroll into view.
 */
export function useCustomerPages(query: Query & { text?: string }): PagedRows {
  const { text = "", ...listQuery } = query;
  const searchText = query.trash ? "" : text.trim();
  const paged = usePagedRows(listQuery, searchText === "");
  const found = useSearchRows(listQuery, searchText);
  return searchText === "" ? paged : found;
}

/** The list's pages; nothing is asked while `enabled` is false (the list searches instead). */
function usePagedRows(query: Query, enabled: boolean): PagedRows {
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
      markOnce("satchel:first-ask");
      cache.startLoading(page);
      const result = await (takeEarly(queryRef.current, page) ??
        call(commands.listCustomers({ ...queryRef.current, offset: page * PAGE_SIZE, limit: PAGE_SIZE })));
      if (gen !== generation.current) return;
      if (result.status === "error") {
        cache.failed(page);
        setError(result.error);
        return;
      }
      cache.put(page, result.data.rows);
      const firstRows = markOnce("satchel:first-rows");
      totalRef.current = result.data.total;
      const show = () => {
        setTotal(result.data.total);
        setError(null);
        setVersion((v) => v + 1);
      };
      // The window's first rows are drawn at once rather than when React's scheduler gets to
      // them: at start the other panels' first answers queue up beside them, and the rows waited
      // 20-29 ms behind their renders (docs/benchmarks.md). Later pages take their turn.
      if (firstRows) flushSync(show);
      else show();
    },
    [cache],
  );

  const enabledRef = useRef(enabled);
  enabledRef.current = enabled;

  const loadVisible = useCallback(() => {
    timer.current = null;
    if (!enabledRef.current) return;
    const known = totalRef.current;
    // Before the first answer the total is unknown, and an empty list has no rows in view: in
    // both cases page 0 tells us (an empty list must still see customers added meanwhile).
    const pages = known === null || known === 0 ? [0] : pagesInRange(range.current.first, range.current.last, known);
    cache.touch(pages);
    for (const page of cache.missing(pages)) void fetchPage(page);
  }, [cache, fetchPage]);

  // Where the list was when the fetch was put off: a list still flying (more than a page further
  // on when the time comes) puts it off again. Its pages would come after their rows had gone
  // (a flick moves some 80 rows a frame), and parsing them costs the frames in between; once it
  // slows, the rows in view are fetched.
  const putOffAt = useRef(0);
  const settled = useCallback(() => {
    const { first } = range.current;
    if (Math.abs(first - putOffAt.current) > PAGE_SIZE) {
      putOffAt.current = first;
      timer.current = window.setTimeout(settled, FETCH_THROTTLE_MS);
      return;
    }
    loadVisible();
  }, [loadVisible]);

  const showRange = useCallback(
    (first: number, last: number) => {
      range.current = { first, last };
      if (timer.current === null) {
        putOffAt.current = first;
        timer.current = window.setTimeout(settled, FETCH_THROTTLE_MS);
      }
    },
    [settled],
  );

  // Leaving a search asks again: customers may have changed while the list searched.
  const key = JSON.stringify(query) + (enabled ? "" : " (searching)");
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

/**
 * The list while it searches (the list's own box is typed in): one answer of at most
 * LIST_SEARCH_LIMIT hits, asked at each keystroke (one at a time, see SingleFlight), and again when
 * customers change. The rows
 * shown stay until the next answer replaces them, so typing never blanks the list.
 */
function useSearchRows(query: Query, text: string): PagedRows {
  const [hits, setHits] = useState<CustomerRow[] | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const [attempt, setAttempt] = useState(0);
  const latest = useRef(0);
  const flight = useRef(new SingleFlight());
  const { kind } = query;

  useEffect(() => {
    // Whatever is still on its way answers a question no longer asked.
    latest.current++;
    if (text === "") {
      setHits(null);
      setError(null);
      return;
    }
    const mine = ++latest.current;
    const ask = async () => {
      if (mine !== latest.current) return;
      const result = await call(commands.searchCustomers(text, kind, LIST_SEARCH_LIMIT));
      // Only the answer to the latest question counts: a slow one for "王" must not overwrite "王芳".
      if (mine !== latest.current) return;
      if (result.status === "error") {
        setError(result.error);
        setHits(null);
        return;
      }
      setError(null);
      setHits(result.data.map((hit) => hit.row));
    };
    // Asked at once; keystrokes typed while it is on its way wait for it (see SingleFlight).
    flight.current.run(ask);
    const off = onCustomersChanged(() => flight.current.run(ask));
    return off;
  }, [text, kind, attempt]);

  // The other filters and the order apply to the hits at hand: no new question for them. `query`
  // is read through its key, so a new object holding the same filters changes nothing.
  const filtersKey = JSON.stringify(query);
  const rows = useMemo(() => (hits === null ? null : searchRowsFor(hits, query)), [hits, filtersKey]);
  const row = useCallback((index: number) => rows?.[index], [rows]);
  const showRange = useCallback(() => {}, []);
  const retry = useCallback(() => {
    setError(null);
    setAttempt((n) => n + 1);
  }, []);
  return { total: rows ? rows.length : null, row, showRange, error, retry, capped: (hits?.length ?? 0) >= LIST_SEARCH_LIMIT };
}
