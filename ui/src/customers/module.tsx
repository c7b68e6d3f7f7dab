/**
 * The customers module as the shell sees it: companies and people, their list, saved segments,
 * records, trash, duplicates, merge and import. Registered in src/app/modules.ts.
 */
import type { ReactNode } from "react";
import type { CustomerId, CustomerKind, RecordsChanged, SegmentId } from "../bindings";
import { customersChanged, customFieldsChanged } from "../lib/events";
import type { Route } from "../lib/router";
import type { UiModule } from "../shell/module";
import { lazyPages } from "../lib/lazy";
import { askFirstPageEarly } from "./useCustomerPages";
import { useCustomerActions } from "./actions";
import { CustomersPage } from "./CustomersPage";
import { CustomFieldsSection } from "./CustomFieldsSection";
import { FiltersProvider } from "./filters";
import en from "./i18n/en.json";
import zhCN from "./i18n/zh-CN.json";
import { ListFocusProvider } from "./listFocus";
import { customerSearch } from "./search";
import { SegmentLinks, useLeaveSegment } from "./SegmentLinks";
import { SegmentsProvider } from "./segments";
import "./customers.css";

// Its pages besides what the window opens on, from their own chunk (lib/lazy.tsx).
const { CustomerDetail, CustomerFormPage, DuplicatesPage, ImportPage, MergePage, TrashPage } = lazyPages(() => import("./pages"));

declare module "../lib/router" {
  interface Routes {
    /** The customer list; with `segment`, showing that saved segment (its filters are applied on opening). */
    customers: { segment?: SegmentId };
    trash: {};
    duplicates: {};
    /** Merging two records of one customer; `keep` is the record kept until the user picks the other. */
    merge: { keep: CustomerId; other: CustomerId };
    import: {};
    customer: { id: CustomerId };
    new: { kind: CustomerKind };
    edit: { id: CustomerId };
  }
}

/** The list's pages: while one is open, Customers is the current sidebar entry (a record page still highlights its list). */
const LIST_PAGES: ReadonlySet<Route["name"]> = new Set(["import", "customer", "new", "edit"]);

/**
 * Another device's changes arrived (see UiModule.onRecordsChanged): any of this module's tables
 * refreshes its lists, facets, segments and open records; custom field definitions (which only
 * this module has today) refresh the forms, columns and filters built from them.
 */
function onRecordsChanged(changed: RecordsChanged): void {
  if (changed.modules.includes("customers")) customersChanged();
  if (changed.tables.includes("custom_fields")) customFieldsChanged();
}

/**
 * The live list's filters sit above the pages so they survive opening a record and coming back,
 * and so the palette's actions can change them; the segments are shared by the sidebar and the list;
 * where the list's focus goes on coming back to it is noted by the list and the detail page.
 */
function CustomersProvider({ children }: { children: ReactNode }) {
  return (
    <FiltersProvider>
      <SegmentsProvider>
        <ListFocusProvider>{children}</ListFocusProvider>
      </SegmentsProvider>
    </FiltersProvider>
  );
}

export const customersModule: UiModule = {
  id: "customers",
  nav: [
    {
      id: "customers",
      label: "nav.customers",
      icon: "users",
      route: { name: "customers" },
      order: 10,
      // Not while a saved segment is open: its own link in the sidebar is the current one then.
      isCurrent: (route) => (route.name === "customers" ? route.segment === undefined : LIST_PAGES.has(route.name)),
      useOnOpen: useLeaveSegment,
      children: [
        { id: "trash", label: "nav.trash", icon: "trash", route: { name: "trash" } },
        {
          id: "duplicates",
          label: "nav.duplicates",
          icon: "duplicate",
          route: { name: "duplicates" },
          isCurrent: (route) => route.name === "duplicates" || route.name === "merge",
        },
      ],
      After: SegmentLinks,
    },
  ],
  askEarly: (home) => {
    if (home?.name === "customers") askFirstPageEarly();
  },
  routes: {
    customers: () => <CustomersPage />,
    trash: () => <TrashPage />,
    duplicates: () => <DuplicatesPage />,
    merge: (route) => <MergePage keep={route.keep} other={route.other} />,
    import: () => <ImportPage />,
    customer: (route) => <CustomerDetail id={route.id} />,
    new: (route) => <CustomerFormPage mode={{ kind: route.kind }} />,
    edit: (route) => <CustomerFormPage mode={{ id: route.id }} />,
  },
  Provider: CustomersProvider,
  useActions: useCustomerActions,
  search: customerSearch,
  translations: { en, "zh-CN": zhCN },
  SettingsSection: CustomFieldsSection,
  onRecordsChanged,
};
