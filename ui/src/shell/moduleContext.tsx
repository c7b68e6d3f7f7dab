import { createContext, useContext, useMemo, type ReactNode } from "react";
import type { ModuleAction, UiModule } from "./module";

const ModulesContext = createContext<readonly UiModule[]>([]);
const ModuleActionsContext = createContext<readonly ModuleAction[]>([]);
const NO_ACTIONS: ModuleAction[] = [];

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
 * Calls every module's `useActions` hook and shares the result. One small component per module
 * (keyed by its id) calls that module's hook, so each hook keeps its own place in React's order
 * however many modules there are.
 */
export function ModuleActionsProvider({ children }: { children: ReactNode }) {
  const modules = useModules();
  return (
    <Collect modules={modules} collected={NO_ACTIONS}>
      {children}
    </Collect>
  );
}

function Collect({ modules, collected, children }: { modules: readonly UiModule[]; collected: readonly ModuleAction[]; children: ReactNode }) {
  const [first, ...rest] = modules;
  if (!first) return <ModuleActionsContext.Provider value={collected}>{children}</ModuleActionsContext.Provider>;
  return (
    <CollectOne key={first.id} module={first} rest={rest} collected={collected}>
      {children}
    </CollectOne>
  );
}

function CollectOne({
  module,
  rest,
  collected,
  children,
}: {
  module: UiModule;
  rest: readonly UiModule[];
  collected: readonly ModuleAction[];
  children: ReactNode;
}) {
  const own = (module.useActions ?? useNoActions)();
  const all = useMemo(() => (own.length === 0 ? collected : [...collected, ...own]), [collected, own]);
  return (
    <Collect modules={rest} collected={all}>
      {children}
    </Collect>
  );
}

function useNoActions(): ModuleAction[] {
  return NO_ACTIONS;
}

/** Every module's palette actions, in registry order. */
export function useModuleActions(): readonly ModuleAction[] {
  return useContext(ModuleActionsContext);
}
