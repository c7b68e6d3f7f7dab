import { lazy, useState, type ComponentProps, type ComponentType } from "react";

/**
 * A page component fetched from its module's own chunk the first time it is drawn. Why: the window
 * starts on the customer list, and every page in the one script was parsed and evaluated before
 * the list could show (docs/benchmarks.md, "Tenth pass"). The shell's page outlet is the Suspense
 * boundary that waits for the chunk (`shell/App.tsx`); [`preloadPages`] fetches every chunk once
 * the window has started, so a page is usually there before it is first opened.
 *
 * `load` is the module's `() => import("./pages")`, so every page of a module shares one chunk and
 * one fetch.
 */
// Props are whatever the named component takes; `any` is the only bound React's own types allow.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function lazyNamed<M extends Record<K, ComponentType<any>>, K extends keyof M>(load: () => Promise<M>, name: K): ComponentType<ComponentProps<M[K]>> {
  let loaded: M[K] | undefined;
  const fetch = () => load().then((m) => (loaded = m[name]));
  const Lazy = lazy(() => fetch().then((component) => ({ default: component })));
  LOADS.push(fetch);
  function Page(props: ComponentProps<M[K]>) {
    // Chosen once per page: an element that changed type between renders would start the page
    // over (a form losing what was typed).
    // (In an object: a function handed to useState would be called as its initialiser.)
    const [{ Component }] = useState(() => ({ Component: (loaded ?? Lazy) as ComponentType<ComponentProps<M[K]>> }));
    return <Component {...props} />;
  }
  Page.displayName = `Lazy(${String(name)})`;
  return Page;
}

const LOADS: (() => Promise<unknown>)[] = [];

/** Fetches and evaluates every lazy page's chunk; a page drawn after this is drawn at once. */
export async function preloadPages(): Promise<void> {
  await Promise.all(LOADS.map((load) => load()));
}
