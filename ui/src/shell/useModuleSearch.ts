import { useEffect, useMemo, useRef, useState } from "react";
import type { AppError } from "../bindings";
import { lastMark } from "../lib/marks";
import { uiError } from "../lib/result";
import { SingleFlight } from "../lib/singleFlight";
import type { ModuleSearch, ModuleSearchHit } from "./module";
import { useModules } from "./moduleContext";

/** One module's answer. */
export type SearchGroup = {
  module: string;
  /** i18n key of its heading. */
  label: string;
  /** At most `limit` of them. */
  hits: ModuleSearchHit[];
  /** The module found more than `limit`: its count reads "20+", not "20". */
  more: boolean;
  error: AppError | null;
};

export type ModuleSearchState = {
  /** One per searching module, in registry order. */
  groups: SearchGroup[];
  /** Every group's hits in the order shown: what the arrow keys move through. */
  hits: ModuleSearchHit[];
  /** True from the keystroke until every module's answer for the latest text has arrived. */
  pending: boolean;
  /** The text the current groups answer. */
  answered: string;
  /** How many modules search: headings are needed only when there is more than one. */
  sources: number;
};

const EMPTY: Omit<ModuleSearchState, "sources" | "pending"> = { groups: [], hits: [], answered: "" };

/**
 * Asks every registered module's search for `text` while the user types. Each is asked for one
 * hit more than it shows: a search answers at most what it is asked, so that one more is how the
 * popover knows to say "20+ matches" rather than a "20" that may be false. Only the answer to the
 * latest text is kept (a slow reply for "张" must not overwrite the one for "张伟"), and modules'
 * answers are shown together once all have arrived, so the list never reshuffles under the arrow
 * keys and "Enter opens the first hit" means the same hit however fast each module is.
 */
export function useModuleSearch(text: string, limit: number): ModuleSearchState {
  const modules = useModules();
  const sources = useMemo(
    () => modules.flatMap((module) => (module.search ? [{ module: module.id, search: module.search }] : [])),
    [modules],
  );
  const [state, setState] = useState(EMPTY);
  const latest = useRef(0);
  const flight = useRef(new SingleFlight());
  const query = text.trim();

  useEffect(() => {
    const ticket = ++latest.current;
    if (query === "" || sources.length === 0) {
      setState(EMPTY);
      return;
    }
    // Asked at once; keystrokes typed while it is on its way wait for it (see SingleFlight).
    flight.current.run(async () => {
      if (ticket !== latest.current) return;
      lastMark("satchel:search-asked");
      const groups = await Promise.all(sources.map(({ module, search }) => ask(module, search, query, limit)));
      lastMark("satchel:search-answered");
      if (ticket !== latest.current) return;
      setState({ groups, hits: groups.flatMap((g) => g.hits), answered: query });
    });
  }, [query, limit, sources]);

  // Pending is read off the text, not kept as state: a render that only said "busy" ran at every
  // keystroke while the answer was on its way, and the answer waited behind it
  // (docs/benchmarks.md, "Eighth pass").
  const pending = query !== "" && sources.length > 0 && state.answered !== query;
  return useMemo(() => ({ ...state, pending, sources: sources.length }), [state, pending, sources.length]);
}

/** One module's answer; a module that fails (or throws) fails only its own group. */
async function ask(module: string, search: ModuleSearch, query: string, limit: number): Promise<SearchGroup> {
  const group = { module, label: search.label };
  try {
    const result = await search.find(query, limit + 1);
    return result.status === "ok"
      ? { ...group, hits: result.data.slice(0, limit), more: result.data.length > limit, error: null }
      : { ...group, hits: [], more: false, error: result.error };
  } catch (e) {
    return { ...group, hits: [], more: false, error: uiError(e instanceof Error ? e.message : String(e)) };
  }
}
