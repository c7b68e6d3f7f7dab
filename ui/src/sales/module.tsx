/**
 * The sales module as the shell sees it: the pipeline (board, list, forecast), deals, quotes,
 * contracts, the product catalogue, its Settings card and a panel on each customer's page.
 * Registered in src/app/modules.ts.
 */
import type { ContractId, CustomerId, OpportunityId, QuoteId, RecordsChanged } from "../bindings";
import type { UiModule } from "../shell/module";
import { salesChanged } from "./api";
import { lazyPages } from "../lib/lazy";
import { CustomerSalesPanel } from "./CustomerPanel";
import en from "./i18n/en.json";
import zhCN from "./i18n/zh-CN.json";
import type { PipelineTab } from "./PipelinePage";
import { SalesSettingsPanels } from "./SalesSettingsSection";
import { salesSearch } from "./search";
import "./sales.css";

declare module "../lib/router" {
  interface Routes {
    pipeline: { tab?: PipelineTab };
    deal: { id: OpportunityId };
    "deal-new": { customer?: CustomerId };
    quotes: {};
    quote: { id: QuoteId };
    "quote-edit": { id: QuoteId };
    "quote-new": { customer?: CustomerId; opportunity?: OpportunityId };
    contracts: {};
    /** A contract made without a quote, optionally for a customer. */
    "contract-new": { customer?: CustomerId };
    contract: { id: ContractId };
    products: {};
  }
}

// Its pages besides what the window opens on, from their own chunk (lib/lazy.tsx).
const { PipelinePage, DealPage, QuotesPage, QuotePage, QuoteEditor, ContractsPage, ContractPage, NewContractPage, ProductsPage } = lazyPages(() => import("./pages"));

function onRecordsChanged(changed: RecordsChanged): void {
  if (changed.modules.includes("sales")) salesChanged();
}

const PIPELINE_ROUTES = new Set(["pipeline", "deal", "deal-new"]);
const QUOTE_ROUTES = new Set(["quotes", "quote", "quote-edit", "quote-new"]);

export const salesModule: UiModule = {
  id: "sales",
  nav: [
    {
      id: "sales",
      label: "nav.sales",
      icon: "briefcase",
      route: { name: "pipeline" },
      order: 30,
      isCurrent: (route) => PIPELINE_ROUTES.has(route.name),
      children: [
        { id: "quotes", label: "nav.quotes", icon: "file", route: { name: "quotes" }, isCurrent: (route) => QUOTE_ROUTES.has(route.name) },
        { id: "contracts", label: "nav.contracts", icon: "contract", route: { name: "contracts" }, isCurrent: (route) => route.name === "contracts" || route.name === "contract" || route.name === "contract-new" },
        { id: "products", label: "nav.products", icon: "target", route: { name: "products" } },
      ],
    },
  ],
  routes: {
    pipeline: (route) => <PipelinePage tab={route.tab} />,
    deal: (route) => <DealPage key={route.id} id={route.id} />,
    "deal-new": (route) => <DealPage key={`new|${route.customer ?? ""}`} customer={route.customer} />,
    quotes: () => <QuotesPage />,
    quote: (route) => <QuotePage key={route.id} id={route.id} />,
    "quote-edit": (route) => <QuoteEditor key={route.id} id={route.id} />,
    "quote-new": (route) => <QuoteEditor key={`new|${route.customer ?? ""}|${route.opportunity ?? ""}`} customer={route.customer} opportunity={route.opportunity} />,
    contracts: () => <ContractsPage />,
    "contract-new": (route) => <NewContractPage key={route.customer ?? ""} customer={route.customer} />,
    contract: (route) => <ContractPage key={route.id} id={route.id} />,
    products: () => <ProductsPage />,
  },
  SettingsSection: SalesSettingsPanels,
  search: salesSearch,
  translations: { en, "zh-CN": zhCN },
  recordPanels: [{ recordType: "customer", Panel: CustomerSalesPanel }],
  onRecordsChanged,
};
