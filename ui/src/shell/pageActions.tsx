import { createContext, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from "react";
import type { Hotkey } from "../lib/keys";

/** One thing the command palette can do. */
export type Action = {
  id: string;
  label: string;
  group: string;
  run: () => void;
  hotkey?: Hotkey;
  /** Extra words that find the action, e.g. both languages' names for a language. */
  keywords?: string;
};

type Registry = { pageActions: Action[]; setPageActions: (actions: Action[]) => void };
const PageActionsContext = createContext<Registry | null>(null);

/**
 * Pages offer actions about what they show ("Edit this customer") to the palette. The registry
 * lives in the shell so the palette does not need to know about every page.
 */
export function PageActionsProvider({ children }: { children: ReactNode }) {
  const [pageActions, setPageActions] = useState<Action[]>([]);
  const value = useMemo(() => ({ pageActions, setPageActions }), [pageActions]);
  return <PageActionsContext.Provider value={value}>{children}</PageActionsContext.Provider>;
}

export function usePageActions(): Action[] {
  return useContext(PageActionsContext)?.pageActions ?? [];
}

export function useRegisterPageActions(actions: Action[]): void {
  const registry = useContext(PageActionsContext);
  const latest = useRef(actions);
  latest.current = actions;
  // Re-register only when what the palette shows changes, not on every render of the page.
  const signature = actions.map((a) => `${a.id}|${a.label}|${a.group}`).join("\n");
  const setPageActions = registry?.setPageActions;

  useEffect(() => {
    if (!setPageActions) return;
    setPageActions(
      latest.current.map((action) => ({
        ...action,
        run: () => latest.current.find((a) => a.id === action.id)?.run(),
      })),
    );
    return () => setPageActions([]);
  }, [signature, setPageActions]);
}
