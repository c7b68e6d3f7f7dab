import { useEffect, useRef, useState } from "react";
import { commands, type AppError, type CustomerKind, type SearchHit } from "../bindings";
import { call } from "../lib/result";
import { SingleFlight } from "../lib/singleFlight";

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
  const flight = useRef(new SingleFlight());

  useEffect(() => {
    const query = text.trim();
    const ticket = ++latest.current;
    if (query === "") {
      setState({ hits: [], pending: false, error: null, answered: "" });
      return;
    }
    setState((s) => ({ ...s, pending: true }));
    // Asked at once; keystrokes typed while it is on its way wait for it (see SingleFlight).
    flight.current.run(async () => {
      if (ticket !== latest.current) return;
      const result = await call(commands.searchCustomers(query, kind, limit));
      if (ticket !== latest.current) return;
      setState(
        result.status === "ok"
          ? { hits: result.data, pending: false, error: null, answered: query }
          : { hits: [], pending: false, error: result.error, answered: query },
      );
    });
  }, [text, kind, limit]);

  return state;
}
