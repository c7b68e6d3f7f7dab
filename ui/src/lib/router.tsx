import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from "react";

/**
 * Every page the window can show, by name, with what it needs to open. The shell declares its own
 * pages here; each module adds its pages from its own folder by declaration merging, so the router
 * never imports a module:
 *
 *     declare module "../lib/router" {
 *       interface Routes {
 *         customer: { id: CustomerId };
 *       }
 *     }
 *
 * A page that needs nothing is `{}`. Names are shared by all modules, so they must not collide
 * (a test checks the registered modules).
 */
export interface Routes {
  /** Settings; with `section`, scrolled to that card (the sync indicator opens "sync"). */
  settings: { section?: "sync" };
}

export type RouteName = keyof Routes;

/**
 * Navigation is in-memory: a desktop window has no address bar, and keeping routes as plain data
 * lets the palette, shortcuts and tests navigate without string parsing. A route is its name plus
 * that page's fields, e.g. `{ name: "customer", id }`.
 */
export type Route = { [N in RouteName]: Flat<{ name: N } & Routes[N]> }[RouteName];

/** The route of one page, e.g. `RouteOf<"customer">` is `{ name: "customer"; id: CustomerId }`. */
export type RouteOf<N extends RouteName> = Extract<Route, { name: N }>;

type Flat<T> = { [K in keyof T]: T[K] };

type Router = {
  route: Route;
  navigate: (route: Route, options?: { replace?: boolean }) => void;
  back: () => void;
};

const RouterContext = createContext<Router | null>(null);

/** The one page the shell always has; the app passes its first module's page instead. */
const SHELL_HOME: Route = { name: "settings" };
const MAX_HISTORY = 50;

/** `home` is where the window opens and where Back ends up once the history is used up. */
export function RouterProvider({
  home = SHELL_HOME,
  initial = home,
  children,
}: {
  home?: Route;
  initial?: Route;
  children: ReactNode;
}) {
  const [stack, setStack] = useState<Route[]>([initial]);

  const navigate = useCallback((route: Route, options?: { replace?: boolean }) => {
    setStack((current) => {
      const base = options?.replace ? current.slice(0, -1) : current;
      return [...base, route].slice(-MAX_HISTORY);
    });
  }, []);

  const back = useCallback(() => {
    setStack((current) => (current.length > 1 ? current.slice(0, -1) : [home]));
  }, [home]);

  const value = useMemo<Router>(
    () => ({ route: stack[stack.length - 1] ?? home, navigate, back }),
    [stack, navigate, back, home],
  );
  return <RouterContext.Provider value={value}>{children}</RouterContext.Provider>;
}

export function useRouter(): Router {
  const router = useContext(RouterContext);
  if (!router) throw new Error("useRouter outside RouterProvider");
  return router;
}
