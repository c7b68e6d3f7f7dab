/**
 * The service module as the shell sees it: ticket queues, tickets, the knowledge base, its
 * Settings card (hours, holidays, SLA targets, escalation; tickets' custom fields), a panel on
 * each customer's page, tickets and articles in the global search, "New ticket" in the palette
 * (for the customer whose page is open), and a clicked SLA notification opening its ticket.
 * Registered in src/app/modules.ts.
 */
import { useEffect, useMemo, useState, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { events, type ArticleId, type CustomerId, type QueueView, type RecordsChanged, type TicketId } from "../bindings";
import { CustomFieldsSection } from "../customers/CustomFieldsSection";
import { listenTo } from "../lib/listen";
import { useRouter } from "../lib/router";
import type { ModuleAction, UiModule } from "../shell/module";
import { isQueueView, serviceChanged } from "./api";
import { lazyPages } from "../lib/lazy";
import { CustomerServicePanel } from "./CustomerPanel";
import en from "./i18n/en.json";
import kbEn from "./i18n/kb.en.json";
import kbZh from "./i18n/kb.zh-CN.json";
import settingsEn from "./i18n/settings.en.json";
import settingsZh from "./i18n/settings.zh-CN.json";
import zhCN from "./i18n/zh-CN.json";
import { serviceSearch } from "./search";
import { ServiceSettingsSection } from "./ServiceSettingsSection";
import "./service.css";

// Its pages besides what the window opens on, from their own chunk (lib/lazy.tsx).
const { TicketsPage, TicketPage, TicketForm, ArticlesPage, ArticlePage, ArticleEditor } = lazyPages(() => import("./pages"));

declare module "../lib/router" {
  interface Routes {
    /** The ticket queues, on `view` when given (a summary notification opens the breached ones). */
    tickets: { view?: QueueView };
    ticket: { id: TicketId };
    /** A new ticket, optionally for a customer (its page's button, or the palette on it). */
    "ticket-new": { customer?: CustomerId };
    "ticket-edit": { id: TicketId };
  }
}

function onRecordsChanged(changed: RecordsChanged): void {
  if (changed.modules.includes("service")) serviceChanged();
}

/**
 * A clicked SLA notification (the desktop's `ReminderOpened`) opens its ticket, or for a summary
 * of many the queue they are in.
 */
function ServiceProvider({ children }: { children: ReactNode }) {
  const { navigate } = useRouter();
  useEffect(
    () =>
      listenTo(events.reminderOpened, (r) => {
        if (r.recordType === "ticket") {
          serviceChanged();
          navigate({ name: "ticket", id: r.id });
        } else if (r.recordType === "tickets" && isQueueView(r.id)) {
          serviceChanged();
          navigate({ name: "tickets", view: r.id });
        }
      }),
    [navigate],
  );
  return <>{children}</>;
}

function useServiceActions(): ModuleAction[] {
  const { t } = useTranslation();
  const { navigate, route } = useRouter();
  // On a customer's page the new ticket is that customer's: a ticket in a few keystrokes.
  const customer = route.name === "customer" ? (route as { id: CustomerId }).id : undefined;
  return useMemo<ModuleAction[]>(
    () => [
      { id: "new-ticket", group: "create", label: customer ? t("service.newTicketForCustomer") : t("service.newTicket"), keywords: "ticket support service issue 工单 报修 投诉", run: () => navigate({ name: "ticket-new", customer }) },
      { id: "new-article", group: "create", label: t("service.newArticle"), keywords: "article knowledge kb 知识库 文章", run: () => navigate({ name: "article-new" }) },
      { id: "go-tickets", group: "go", label: t("palette.goTo", { module: t("nav.tickets") }), keywords: "tickets queue 工单", run: () => navigate({ name: "tickets" }) },
      { id: "go-articles", group: "go", label: t("palette.goTo", { module: t("nav.knowledgeBase") }), keywords: "knowledge base 知识库", run: () => navigate({ name: "articles" }) },
    ],
    [t, navigate, customer],
  );
}

/** Settings → Service: the team's calendar and targets, then tickets' own custom fields. */
function ServiceSettingsPanels() {
  const { t } = useTranslation();
  // The fields' editor opens on demand (as the sales one does), so Settings shows one editor at a time.
  const [fields, setFields] = useState(false);
  return (
    <>
      <ServiceSettingsSection />
      {fields ? (
        <CustomFieldsSection recordType="ticket" title={t("service.customFieldsTitle")} help={t("service.customFieldsHelp")} onChanged={serviceChanged} />
      ) : (
        <section className="card ticket-fields-settings">
          <button type="button" className="btn" data-testid="ticket-fields-open" onClick={() => setFields(true)}>
            {t("service.customFieldsTitle")}
          </button>
        </section>
      )}
    </>
  );
}

const TICKET_ROUTES = new Set(["tickets", "ticket", "ticket-new", "ticket-edit"]);
const ARTICLE_ROUTES = new Set(["articles", "article", "article-new", "article-edit"]);

export const serviceModule: UiModule = {
  id: "service",
  nav: [
    {
      id: "service",
      label: "nav.tickets",
      icon: "lifebuoy",
      route: { name: "tickets" },
      order: 40,
      isCurrent: (route) => TICKET_ROUTES.has(route.name),
      children: [{ id: "articles", label: "nav.knowledgeBase", icon: "note", route: { name: "articles" }, isCurrent: (route) => ARTICLE_ROUTES.has(route.name) }],
    },
  ],
  routes: {
    tickets: (route) => <TicketsPage key={route.view ?? ""} view={route.view} />,
    ticket: (route) => <TicketPage key={route.id} id={route.id} />,
    "ticket-new": (route) => <TicketForm key={`new|${route.customer ?? ""}`} customer={route.customer} />,
    "ticket-edit": (route) => <TicketForm key={route.id} id={route.id} />,
    articles: () => <ArticlesPage />,
    article: (route) => <ArticlePage key={route.id} id={route.id as ArticleId} />,
    "article-new": () => <ArticleEditor key="new" />,
    "article-edit": (route) => <ArticleEditor key={route.id} id={route.id as ArticleId} />,
  },
  Provider: ServiceProvider,
  useActions: useServiceActions,
  SettingsSection: ServiceSettingsPanels,
  search: serviceSearch,
  translations: { en: { ...en, ...settingsEn, ...kbEn }, "zh-CN": { ...zhCN, ...settingsZh, ...kbZh } },
  recordPanels: [{ recordType: "customer", Panel: CustomerServicePanel }],
  onRecordsChanged,
};
