import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from "react";
import type { CustomerId, CustomerKind, SegmentId } from "../bindings";
import type { PlannedModule } from "../shell/modules";

/**
 * Navigation is in-memory: a desktop window has no address bar, and keeping routes as plain data
 * lets the palette, shortcuts and tests navigate without string parsing.
 */
export type Route =
  /** The customer list; with `segment`, showing that saved segment (its filters are applied on opening). */
  | { name: "customers"; segment?: SegmentId }
  | { name: "trash" }
  | { name: "duplicates" }
  /** Merging two records of one customer; `keep` is the record kept until the user picks the other. */
  | { name: "merge"; keep: CustomerId; other: CustomerId }
  | { name: "import" }
  | { name: "customer"; id: CustomerId }
  | { name: "new"; kind: CustomerKind }
  | { name: "edit"; id: CustomerId }
  /** Settings; with `section`, scrolled to that card (the sync indicator opens "sync"). */
  | { name: "settings"; section?: "sync" }
  | { name: "planned"; module: PlannedModule };

type Router = {
  route: Route;
  navigate: (route: Route, options?: { replace?: boolean }) => void;
  back: () => void;
};

const RouterContext = createContext<Router | null>(null);

const HOME: Route = { name: "customers" };
const MAX_HISTORY = 50;

export function RouterProvider({ initial = HOME, children }: { initial?: Route; children: ReactNode }) {
  const [stack, setStack] = useState<Route[]>([initial]);

  const navigate = useCallback((route: Route, options?: { replace?: boolean }) => {
    setStack((current) => {
      const base = options?.replace ? current.slice(0, -1) : current;
      return [...base, route].slice(-MAX_HISTORY);
    });
  }, []);

  const back = useCallback(() => {
    setStack((current) => (current.length > 1 ? current.slice(0, -1) : [HOME]));
  }, []);

  const value = useMemo<Router>(
    () => ({ route: stack[stack.length - 1] ?? HOME, navigate, back }),
    [stack, navigate, back],
  );
  return <RouterContext.Provider value={value}>{children}</RouterContext.Provider>;
}

export function useRouter(): Router {
  const router = useContext(RouterContext);
  if (!router) throw new Error("useRouter outside RouterProvider");
  return router;
}
