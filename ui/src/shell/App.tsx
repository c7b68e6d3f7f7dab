import { CustomerDetail } from "../customers/CustomerDetail";
import { CustomerFormPage } from "../customers/CustomerFormPage";
import { CustomersPage } from "../customers/CustomersPage";
import { DuplicatesPage } from "../customers/DuplicatesPage";
import { FiltersProvider } from "../customers/filters";
import { ImportPage } from "../customers/ImportPage";
import { MergePage } from "../customers/MergePage";
import { SegmentsProvider } from "../customers/segments";
import { TrashPage } from "../customers/TrashPage";
import { RouterProvider, useRouter, type Route } from "../lib/router";
import { ToastProvider } from "../lib/toast";
import { SettingsPage } from "../settings/SettingsPage";
import { SyncStatusProvider } from "../sync/useSyncStatus";
import { AppShell } from "./AppShell";
import { DatabaseGate } from "./DatabaseGate";
import { PageActionsProvider } from "./pageActions";
import { PlannedPage } from "./PlannedPage";

export function App() {
  return (
    <RouterProvider>
      <ToastProvider>
        <FiltersProvider>
          <PageActionsProvider>
            <DatabaseGate>
              <SegmentsProvider>
                <SyncStatusProvider>
                  <AppShell>
                    <CurrentPage />
                  </AppShell>
                </SyncStatusProvider>
              </SegmentsProvider>
            </DatabaseGate>
          </PageActionsProvider>
        </FiltersProvider>
      </ToastProvider>
    </RouterProvider>
  );
}

function CurrentPage() {
  const { route } = useRouter();
  // Keyed by the whole route: moving from one record to another starts a fresh page, never a
  // page that briefly shows the previous record's state.
  return <Page key={JSON.stringify(route)} route={route} />;
}

function Page({ route }: { route: Route }) {
  switch (route.name) {
    case "customers":
      return <CustomersPage />;
    case "trash":
      return <TrashPage />;
    case "duplicates":
      return <DuplicatesPage />;
    case "merge":
      return <MergePage keep={route.keep} other={route.other} />;
    case "import":
      return <ImportPage />;
    case "customer":
      return <CustomerDetail id={route.id} />;
    case "new":
      return <CustomerFormPage mode={{ kind: route.kind }} />;
    case "edit":
      return <CustomerFormPage mode={{ id: route.id }} />;
    case "settings":
      return <SettingsPage section={route.section} />;
    case "planned":
      return <PlannedPage module={route.module} />;
  }
}
