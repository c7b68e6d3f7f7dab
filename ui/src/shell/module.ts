/**
 * What a module (customers today; calendar, sales, service next) gives the shell. A module lives in
 * its own folder and exports one `UiModule` from its `module.tsx`; `src/app/modules.ts` lists the
 * registered ones. The shell (sidebar, pages, palette, search, settings, providers) only ever
 * iterates over that list, so adding a module never means editing the middle of a shell file.
 */
import type { ComponentType, ReactNode } from "react";
import type { AppError, Locale, RecordsChanged } from "../bindings";
import i18n, { copyCatalogue } from "../i18n";
import type { Result } from "../lib/result";
import type { Route, RouteName, RouteOf } from "../lib/router";
import type { IconName } from "./Icon";
import type { Action } from "./pageActions";

/** A sidebar entry. */
export type NavItem = {
  /** Names the entry for tests: `data-testid="nav-<id>"`. Unique across modules. */
  id: string;
  /** i18n key of its label, e.g. "nav.customers". */
  label: string;
  icon: IconName;
  /** Where a click leads. */
  route: Route;
  /**
   * Place among the top-level entries of every module: lower first, then entries without one;
   * equal orders keep the registry's order. Child entries stay in the order given.
   */
  order?: number;
  /** Whether the entry reads as the current page; by default, while the route has its route's name. */
  isCurrent?: (route: Route) => boolean;
  /** Indented entries under this one (Trash and Find duplicates under Customers). */
  children?: NavItem[];
  /** Drawn after the entry and its children, e.g. the customers' saved segments. */
  After?: ComponentType;
  /**
   * A hook returning what to do on a click, just before navigating; a hook so it can reach the
   * module's own state (leaving a saved segment for the whole list clears its filters).
   */
  useOnOpen?: () => (from: Route) => void;
};

/** The palette's groups a module can add to, shown in this order between the page's own actions and the shell's. */
export type PaletteSlot = "create" | "go" | "view";

/**
 * A command a module offers in the palette. With a `hotkey`, the shell also binds it for the
 * whole window (Ctrl+N for a new person); with `topbar`, it is a button in the top bar too.
 */
export type ModuleAction = Omit<Action, "group"> & {
  group: PaletteSlot;
  /** The top bar button: its short label (the tooltip is the action's label and hotkey). */
  topbar?: { label: string; primary?: boolean; icon?: IconName };
};

/** One search result, in any module: drawn the same way by the global search and the palette. */
export type ModuleSearchHit = {
  /** Unique within the module; the result's `data-id`. */
  id: string;
  title: string;
  /** After the title, muted ("· Company"). */
  subtitle?: string;
  icon: ReactNode;
  /** At the end of the line: e.g. the field that matched and the customer's stage. */
  meta?: ReactNode;
  /** Opened by Enter or a click. */
  route: Route;
};

export type ModuleSearch = {
  /** i18n key of the heading its results sit under. */
  label: string;
  /**
   * The best `limit` hits for `text` (already trimmed, never empty). The shell debounces, keeps
   * only the answer to the latest text, and shows every module's answer together.
   */
  find: (text: string, limit: number) => Promise<Result<ModuleSearchHit[], AppError>>;
  /**
   * A hook giving the module's list filtered by search text, when it has one: the global search
   * then offers "Show all in the list" under the module's hits, and Escape in the search box
   * clears that filter with the box. A hook, so it can reach the module's own state (the
   * customers' list filters); called once per render of the shell.
   */
  useListFilter?: () => ListFilter;
};

/** A module's list, filtered by search text (see ModuleSearch.useListFilter). */
export type ListFilter = {
  /** Opens the module's list showing every record that matches `text` (trimmed, never empty). */
  showAll: (text: string) => void;
  /** Takes the search text out of the list's filter; nothing else changes. */
  clear: () => void;
};

/** How to draw each of a module's pages; the route's own type is checked per name. */
export type RouteTable = { [N in RouteName]?: (route: RouteOf<N>) => ReactNode };

/**
 * A section a module adds to another module's record page, named by record type (the calendar's
 * events and tasks on a customer's page). The owning page draws every registered module's panels
 * for its type with `RecordPanels` (src/records/), so neither module imports the other.
 */
export type RecordPanel = { recordType: string; Panel: ComponentType<{ recordId: string; readOnly: boolean }> };

/** A catalogue per language, merged into i18next's at start; a test checks both have the same keys. */
export type Translations = Record<Locale, Record<string, unknown>>;

/**
 * One module. Its styles are not a field: its module.tsx imports its own stylesheet
 * (`import "./customers.css"`), which the bundle places after the shared src/styles.css.
 */
export type UiModule = {
  /** Unique; names its search group (`data-module`). */
  id: string;
  nav: NavItem[];
  /** Its pages: each name it declared in `Routes` (see lib/router.tsx). */
  routes: RouteTable;
  /** State the module's pages, sidebar entries and actions share (inside the shell's providers). */
  Provider?: ComponentType<{ children: ReactNode }>;
  /** A hook giving its palette actions; called once per render of the shell. */
  useActions?: () => ModuleAction[];
  search?: ModuleSearch;
  translations?: Translations;
  /** Sections on other modules' record pages (see `RecordPanel`). */
  recordPanels?: RecordPanel[];
  /** A card on the Settings page, after Sync. */
  SettingsSection?: ComponentType;
  /**
   * Records changed underneath the window (another device's changes applied by a sync page): the
   * core names the modules and tables whose rows changed (`RecordsChanged`, the `recordsChanged`
   * event), and the shell, which listens once for the window, hands every notice to every module.
   * A module refreshes what it owns (its lists, facets, open records) and ignores the rest.
   * Changes made in this window need no notice: the screen that saved tells its own module.
   */
  onRecordsChanged?: (changed: RecordsChanged) => void;
  /**
   * Called once as the script starts, before the first render, with the page the window opens on:
   * a module may ask the core now for what that page will show, so the answer is in, or on its
   * way, when the page mounts (the customer list's first page; see main.tsx).
   */
  askEarly?: (home: Route | undefined) => void;
};

/** Hands a change notice to every module that reacts to one; a module that throws never keeps it from the rest. */
export function tellModules(modules: readonly UiModule[], changed: RecordsChanged): void {
  for (const module of modules) {
    try {
      module.onRecordsChanged?.(changed);
    } catch (e) {
      console.error(`module ${module.id} failed to handle a change notice`, e);
    }
  }
}

/** The top-level sidebar entries of every module, in sidebar order. */
export function navEntries(modules: readonly UiModule[]): NavItem[] {
  const entries = modules.flatMap((module) => module.nav);
  const order = (item: NavItem) => item.order ?? Number.MAX_SAFE_INTEGER;
  // Array.prototype.sort is stable, so equal orders keep the registry's order.
  return entries.sort((a, b) => order(a) - order(b));
}

/** Whether a sidebar entry is the current page. */
export function isCurrentEntry(item: NavItem, route: Route): boolean {
  return item.isCurrent ? item.isCurrent(route) : route.name === item.route.name;
}

/** Where the window opens: the first sidebar entry's page. */
export function homeRoute(modules: readonly UiModule[]): Route | undefined {
  return navEntries(modules)[0]?.route;
}

type Page = (route: Route) => ReactNode;

/** How to draw `route`: the first module (or, before them, `own`, the shell's pages) that knows its name. */
export function pageFor(route: Route, modules: readonly UiModule[], own: RouteTable = {}): Page | undefined {
  // Each table is typed per name; looked up by a name only known at run time, it takes any route.
  const lookup = (table: RouteTable) => (table as Partial<Record<RouteName, Page>>)[route.name];
  return lookup(own) ?? modules.map((module) => lookup(module.routes)).find(Boolean);
}

/**
 * Merges the modules' catalogues into i18next's. Deep, never overwriting: a module may add keys to
 * a shared group (its own `nav.<id>`), never change the shell's. Safe to call again.
 */
export function addModuleTranslations(modules: readonly UiModule[]): void {
  for (const module of modules) {
    for (const [locale, catalogue] of Object.entries(module.translations ?? {})) {
      i18n.addResourceBundle(locale, "translation", copyCatalogue(catalogue), true, false);
    }
  }
}
