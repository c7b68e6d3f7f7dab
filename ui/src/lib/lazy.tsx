import { lazy, useState, type ComponentProps, type ComponentType } from "react";

// Props are whatever each page takes; `any` is the only bound React's own types allow.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Pages = Record<string, ComponentType<any>>;
type LazyPages<M extends Pages> = { readonly [P in keyof M]: ComponentType<ComponentProps<M[P]>> };

/**
 * A module's pages, fetched from the module's own chunk the first time one is drawn:
 * `const { TicketsPage, TicketPage } = lazyPages(() => import("./pages"))`, where `pages.ts`
 * re-exports them. Why: the window starts on the customer list, and every page in the one script
 * was parsed and evaluated before the list could show (docs/benchmarks.md, "Tenth pass"). The
 * shell's page outlet is the Suspense boundary that waits for the chunk (`shell/App.tsx`);
 * [`preloadPages`] fetches every chunk once the window has started, so a page is usually in before
 * it is first opened, and is then drawn at once.
 */
export function lazyPages<M extends Pages>(load: () => Promise<M>): LazyPages<M> {
  let loaded: M | undefined;
  // The browser fetches and evaluates a chunk once; asking again is a resolved promise.
  const fetch = () => load().then((m) => (loaded = m));
  LOADS.push(fetch);
  const made = new Map<string, ComponentType<unknown>>();
  const page = (name: string) => {
    const Lazy = lazy(() =>
      fetch().then((m) => {
        const component = m[name];
        if (!component) throw new Error(`${name} is not among the pages its chunk exports`);
        return { default: component };
      }),
    );
    function Page(props: object) {
      // Chosen once per page: an element that changed type between renders would start the page
      // over (a form losing what was typed). (In an object: a function handed to useState would be
      // called as its initialiser.)
      const [{ Component }] = useState(() => ({ Component: (loaded?.[name] ?? Lazy) as ComponentType<object> }));
      return <Component {...props} />;
    }
    Page.displayName = `Lazy(${name})`;
    return Page as ComponentType<unknown>;
  };
  return new Proxy({} as LazyPages<M>, {
    get(_, name) {
      if (typeof name !== "string") return undefined;
      let component = made.get(name);
      if (!component) made.set(name, (component = page(name)));
      return component;
    },
  });
}

const LOADS: (() => Promise<unknown>)[] = [];

/** Fetches and evaluates every module's page chunk; a page drawn after this is drawn at once. */
export async function preloadPages(): Promise<void> {
  await Promise.all(LOADS.map((load) => load()));
}
