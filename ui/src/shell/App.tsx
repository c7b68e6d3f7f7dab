import { Suspense, useMemo, useState } from "react";
import { MODULES } from "../app/modules";
import { RouterProvider, useRouter, type Route } from "../lib/router";
import { ToastProvider } from "../lib/toast";
import { SettingsPage } from "../settings/SettingsPage";
import { SyncStatusProvider } from "../sync/useSyncStatus";
import { AppShell } from "./AppShell";
import { DatabaseGate } from "./DatabaseGate";
import { addModuleTranslations, homeRoute, pageFor, type RouteTable, type UiModule } from "./module";
import { ModuleActionsProvider, ModuleProviders, ModulesProvider, useModules } from "./moduleContext";
import { PageActionsProvider } from "./pageActions";
import { useOnSyncFinished, useRecordsChanged } from "./recordsChanged";
import { markOnce } from "../lib/marks";

/** The shell's own pages; every other page belongs to a module. */
const SHELL_PAGES: RouteTable = {
  settings: (route) => <SettingsPage section={route.section} />,
};

/**
 * `modules` is the registry (src/app/modules.ts); tests pass their own list to prove a module
 * plugs in without shell edits. The list is fixed for the App's life: a different one is a
 * different App (see the key below).
 */
export function App({ modules = MODULES }: { modules?: readonly UiModule[] }) {
  return <Shell key={modules.map((module) => module.id).join(" ")} modules={modules} />;
}

function Shell({ modules }: { modules: readonly UiModule[] }) {
  // Where React's first render begins, on the page's clock (`make bench-app` prints it).
  markOnce("satchel:shell-render");
  // Before the first render below, so the first paint already has every module's texts.
  useState(() => addModuleTranslations(modules));
  const home = useMemo<Route>(() => homeRoute(modules) ?? { name: "settings" }, [modules]);
  // What changed underneath the window (a sync applied another device's changes) goes to the
  // modules: one listener for the window, whatever page is open.
  useRecordsChanged(modules);
  const onSyncFinished = useOnSyncFinished(modules);
  return (
    <ModulesProvider modules={modules}>
      <RouterProvider home={home}>
        <ToastProvider>
          <PageActionsProvider>
            <DatabaseGate>
              <SyncStatusProvider onSyncFinished={onSyncFinished}>
                {/* Inside the gate: once the database turns out unusable, no module keeps asking it for its state. */}
                <ModuleProviders>
                  <ModuleActionsProvider>
                    <AppShell>
                      <CurrentPage />
                    </AppShell>
                  </ModuleActionsProvider>
                </ModuleProviders>
              </SyncStatusProvider>
            </DatabaseGate>
          </PageActionsProvider>
        </ToastProvider>
      </RouterProvider>
    </ModulesProvider>
  );
}

function CurrentPage() {
  const { route } = useRouter();
  // Keyed by the whole route: moving from one record to another starts a fresh page, never a
  // page that briefly shows the previous record's state.
  return <Page key={JSON.stringify(route)} route={route} />;
}

function Page({ route }: { route: Route }) {
  const modules = useModules();
  const page = pageFor(route, modules, SHELL_PAGES);
  // A module's pages may come from a chunk of their own (lib/lazy.tsx): nothing is drawn in the
  // page's place until it is in (a few milliseconds), the sidebar stays as it is.
  return <Suspense fallback={null}>{page ? page(route) : null}</Suspense>;
}
