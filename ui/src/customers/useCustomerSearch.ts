import { useEffect, useRef, useState } from "react";
import { commands, type AppError, type CustomerKind, type SearchHit } from "../bindings";
import { call } from "../lib/result";

export const SEARCH_DEBOUNCE_MS = 80;

export type SearchState = {
  hits: SearchHit[];
  /** True from the keystroke until the answer for the latest text has arrived. */
  pending: boolean;
  error: AppError | null;
  /** The text the current hits answer. */
  answered: string;
};

/**
 * Live search as the user types. Only the answer to the latest text is kept: a slow reply for
 * "张" must not overwrite the reply for "张伟" that came back first.
 */
export function useCustomerSearch(text: string, kind: CustomerKind | null, limit: number): SearchState {
  const [state, setState] = useState<SearchState>({ hits: [], pending: false, error: null, answered: "" });
  const latest = useRef(0);

  useEffect(() => {
    const query = text.trim();
    const ticket = ++latest.current;
    if (query === "") {
      setState({ hits: [], pending: false, error: null, answered: "" });
      return;
    }
    setState((s) => ({ ...s, pending: true }));
    const timer = window.setTimeout(async () => {
      const result = await call(commands.searchCustomers(query, kind, limit));
      if (ticket !== latest.current) return;
      setState(
        result.status === "ok"
          ? { hits: result.data, pending: false, error: null, answered: query }
          : { hits: [], pending: false, error: result.error, answered: query },
      );
    }, SEARCH_DEBOUNCE_MS);
    return () => window.clearTimeout(timer);
  }, [text, kind, limit]);

  return state;
}
