import { createContext, useContext, useMemo, type ReactNode } from "react";
import type { ListFilter, ModuleAction, UiModule } from "./module";

/** A module's list filter for search text, named by the module. */
export type ModuleListFilter = { module: string; filter: ListFilter };

const ModulesContext = createContext<readonly UiModule[]>([]);
const ModuleActionsContext = createContext<readonly ModuleAction[]>([]);
const ModuleListFiltersContext = createContext<readonly ModuleListFilter[]>([]);
const NO_ACTIONS: ModuleAction[] = [];
const NO_FILTERS: ModuleListFilter[] = [];

/** The registered modules, for the shell's parts that iterate over them. */
export function ModulesProvider({ modules, children }: { modules: readonly UiModule[]; children: ReactNode }) {
  return <ModulesContext.Provider value={modules}>{children}</ModulesContext.Provider>;
}

export function useModules(): readonly UiModule[] {
  return useContext(ModulesContext);
}

/** Each module's own provider, the first registered outermost. */
export function ModuleProviders({ children }: { children: ReactNode }) {
  const modules = useModules();
  return modules.reduceRight<ReactNode>((inner, module) => {
    const { Provider } = module;
    return Provider ? <Provider key={module.id}>{inner}</Provider> : inner;
  }, children);
}

/**
 * Calls every module's `useActions` hook (and its search's `useListFilter`) and shares the
 * results. One small component per module (keyed by its id) calls that module's hooks, so each
 * hook keeps its own place in React's order however many modules there are.
 */
export function ModuleActionsProvider({ children }: { children: ReactNode }) {
  const modules = useModules();
  return (
    <Collect modules={modules} collected={NO_ACTIONS} filters={NO_FILTERS}>
      {children}
    </Collect>
  );
}

type Collected = { collected: readonly ModuleAction[]; filters: readonly ModuleListFilter[] };

function Collect({ modules, collected, filters, children }: { modules: readonly UiModule[]; children: ReactNode } & Collected) {
  const [first, ...rest] = modules;
  if (!first) {
    return (
      <ModuleActionsContext.Provider value={collected}>
        <ModuleListFiltersContext.Provider value={filters}>{children}</ModuleListFiltersContext.Provider>
      </ModuleActionsContext.Provider>
    );
  }
  return (
    <CollectOne key={first.id} module={first} rest={rest} collected={collected} filters={filters}>
      {children}
    </CollectOne>
  );
}

function CollectOne({
  module,
  rest,
  collected,
  filters,
  children,
}: {
  module: UiModule;
  rest: readonly UiModule[];
  children: ReactNode;
} & Collected) {
  const own = (module.useActions ?? useNoActions)();
  const all = useMemo(() => (own.length === 0 ? collected : [...collected, ...own]), [collected, own]);
  const filter = (module.search?.useListFilter ?? useNoListFilter)();
  const allFilters = useMemo(() => (filter ? [...filters, { module: module.id, filter }] : filters), [filters, filter, module.id]);
  return (
    <Collect modules={rest} collected={all} filters={allFilters}>
      {children}
    </Collect>
  );
}

function useNoActions(): ModuleAction[] {
  return NO_ACTIONS;
}

function useNoListFilter(): ListFilter | null {
  return null;
}

/** Every module's palette actions, in registry order. */
export function useModuleActions(): readonly ModuleAction[] {
  return useContext(ModuleActionsContext);
}

/** The modules' lists filtered by search text, in registry order (see ModuleSearch.useListFilter). */
export function useModuleListFilters(): readonly ModuleListFilter[] {
  return useContext(ModuleListFiltersContext);
}
