/**
 * Tickets against the in-memory fake: a new ticket from a customer's page needs only a subject
 * (and is offered the articles that match it); queues switch and show SLA badges; picked tickets
 * are assigned together, and a bulk move the workflow refuses says which ticket and moves none;
 * a queue is saved as a view; a ticket's comments tell internal notes from replies; closing asks
 * for the customer's rating; an article is linked; everything reads in Chinese too.
 */
import { act, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { events, type CustomerId, type ReminderOpened } from "../bindings";
import i18n from "../i18n";
import { changeLocale } from "../i18n/locale";
import { addModuleTranslations } from "../shell/module";
import { RouterProvider, useRouter, type Route } from "../lib/router";
import { ToastProvider } from "../lib/toast";
import { useFakeBackend } from "../test/fakeBackend";
import { serviceModule } from "./module";
import { TicketForm } from "./TicketForm";
import { TicketPage } from "./TicketPage";
import { TicketsPage } from "./TicketsPage";

const { invoke, heard } = vi.hoisted(() => ({ invoke: vi.fn(), heard: new Map<unknown, (payload: unknown) => void>() }));
vi.mock("@tauri-apps/api/core", () => ({ invoke }));
// The desktop's events, as the window hears them: kept by event, for a test to send one.
vi.mock("../lib/listen", () => ({
  listenTo: (event: unknown, handler: (payload: unknown) => void) => {
    heard.set(event, handler);
    return () => heard.delete(event);
  },
}));

beforeAll(() => addModuleTranslations([serviceModule]));

const backend = useFakeBackend(invoke);

function Pages() {
  const { route } = useRouter();
  switch (route.name) {
    case "tickets":
      return <TicketsPage key={route.view ?? ""} view={route.view} />;
    case "ticket":
      return <TicketPage key={route.id} id={route.id} />;
    case "ticket-new":
      return <TicketForm customer={route.customer} />;
    default:
      return <div data-testid="other-route">{JSON.stringify(route)}</div>;
  }
}

function open(initial: Route) {
  return render(
    <ToastProvider>
      <RouterProvider home={{ name: "tickets" }} initial={initial}>
        <Pages />
      </RouterProvider>
    </ToastProvider>,
  );
}

const click = async (el: Element) => {
  await act(async () => {
    fireEvent.click(el);
  });
};

function seedTickets() {
  const b = backend();
  const acme = b.seed({ name: "上海示例贸易", kind: "company" });
  const make = (subject: string, priority: string, assignee = "") =>
    b.service.handle("create_ticket", { input: { customerId: acme.id, subject, description: "", priority, channel: "phone", openedAt: "", assignee } }, { fail: () => { throw new Error("fail"); }, invalid: () => { throw new Error("invalid"); }, field: () => ({ field: "", message: "", reason: "", params: {} }), customerName: () => acme.name }) as { id: string; number: string };
  const jam = make("打印机卡纸", "urgent");
  const vpn = make("VPN down", "normal", "Tester");
  b.service.badges.set(jam.id, { badge: "breached", due: "2026-11-30T10:00:00+08:00", minutesLeft: -95 });
  b.service.badges.set(vpn.id, { badge: "soon", due: "2026-11-30T17:00:00+08:00", minutesLeft: 40 });
  return { acme, jam, vpn };
}

describe("tickets", () => {
  it("opens from a customer's page with the customer filled in, offers matching articles, and refuses an empty subject", async () => {
    const b = backend();
    const acme = b.seed({ name: "华通科技", kind: "company" });
    b.service.articles.push({ id: "a-1", title: "打印机卡纸怎么办", problem: "", solution: "取出卡纸", tags: ["打印机"], language: "zh", sourceTicketId: null, productId: null });
    open({ name: "ticket-new", customer: acme.id as CustomerId });
    await waitFor(() => expect(screen.getByTestId("ticket-customer-name").textContent).toBe("华通科技"));
    await click(document.querySelector('[data-action="save-ticket"]')!);
    await waitFor(() => expect(document.querySelector('[data-error-for="subject"]')?.textContent).toMatch(/Subject/));
    expect(b.service.tickets).toHaveLength(0);
    fireEvent.change(screen.getByTestId("ticket-subject"), { target: { value: "打印机又卡纸了" } });
    await waitFor(() => expect(screen.getAllByTestId("ticket-suggestion").map((s) => s.textContent)).toEqual(["打印机卡纸怎么办"]));
    fireEvent.change(screen.getByTestId("ticket-priority-select"), { target: { value: "high" } });
    await click(document.querySelector('[data-action="save-ticket"]')!);
    await waitFor(() => expect(screen.getByTestId("ticket-page").dataset.number).toBe("T-2026-0001"));
    expect(b.service.tickets[0]).toMatchObject({ customerId: acme.id, subject: "打印机又卡纸了", priority: "high", status: "new" });
  });

  it("switches queues with their SLA badges, assigns picked tickets together and refuses a bulk move naming the ticket", async () => {
    const { jam, vpn } = seedTickets();
    open({ name: "tickets" });
    await waitFor(() => expect(screen.getAllByTestId("ticket-row")).toHaveLength(2));
    // Names, numbers and pinyin are not words: no red underlines in the search box.
    expect(screen.getByTestId("queue-search").getAttribute("spellcheck")).toBe("false");
    const badge = (number: string) => screen.getAllByTestId("ticket-row").find((r) => r.dataset.number === number)!.querySelector('[data-testid="sla-badge"]')!;
    expect(badge(jam.number).textContent).toBe("overdue 1h 35m");
    expect(badge(vpn.number).textContent).toBe("40m left");
    await click(screen.getByTestId("queue-breached"));
    await waitFor(() => expect(screen.getAllByTestId("ticket-row").map((r) => r.dataset.number)).toEqual([jam.number]));
    await click(screen.getByTestId("queue-mine"));
    await waitFor(() => expect(screen.getAllByTestId("ticket-row").map((r) => r.dataset.number)).toEqual([vpn.number]));
    await click(screen.getByTestId("queue-open"));
    await waitFor(() => expect(screen.getAllByTestId("ticket-row")).toHaveLength(2));

    await click(screen.getByTestId("pick-all"));
    fireEvent.change(screen.getByTestId("bulk-assignee"), { target: { value: "李娜" } });
    await click(document.querySelector('[data-action="bulk-assign"]')!);
    await waitFor(() => expect(backend().service.tickets.map((t) => [t.assignee, t.status])).toEqual([["李娜", "assigned"], ["李娜", "assigned"]]));

    // Closing tickets that are not resolved: refused, naming the first, nothing moved.
    await waitFor(() => expect(screen.getAllByTestId("ticket-row")).toHaveLength(2));
    await click(screen.getByTestId("pick-all"));
    fireEvent.change(screen.getByTestId("bulk-status"), { target: { value: "closed" } });
    await click(document.querySelector('[data-action="bulk-move"]')!);
    await waitFor(() => expect(within(screen.getByTestId("ticket-bulk")).getByRole("alert").textContent).toContain(jam.number));
    expect(backend().service.tickets.map((t) => t.status)).toEqual(["assigned", "assigned"]);
  });

  it("opens the breached queue when a summary of many SLA notices is clicked, and a ticket for one", async () => {
    const { jam, vpn } = seedTickets();
    const Provider = serviceModule.Provider!;
    render(
      <ToastProvider>
        <RouterProvider home={{ name: "tickets" }} initial={{ name: "settings" }}>
          <Provider>
            <Pages />
          </Provider>
        </RouterProvider>
      </ToastProvider>,
    );
    expect(screen.getByTestId("other-route").textContent).toContain("settings");
    const click = (r: ReminderOpened) => act(() => heard.get(events.reminderOpened)!(r));
    await click({ recordType: "tickets", id: "breached", recurrenceId: null });
    await waitFor(() => expect(screen.getAllByTestId("ticket-row").map((r) => r.dataset.number)).toEqual([jam.number]));
    expect(screen.getByTestId("queue-breached").getAttribute("aria-selected")).toBe("true");
    await click({ recordType: "tickets", id: "breaching_soon", recurrenceId: null });
    await waitFor(() => expect(screen.getAllByTestId("ticket-row").map((r) => r.dataset.number)).toEqual([vpn.number]));
    // A view this window does not know is not followed.
    await click({ recordType: "tickets", id: "<script>", recurrenceId: null });
    expect(screen.getByTestId("queue-breaching_soon").getAttribute("aria-selected")).toBe("true");
    await click({ recordType: "ticket", id: jam.id, recurrenceId: null });
    await waitFor(() => expect(screen.queryByTestId("queue-breached")).toBeNull());
  });

  it("saves the current queue as a view and applies it again", async () => {
    seedTickets();
    open({ name: "tickets" });
    await waitFor(() => expect(screen.getAllByTestId("ticket-row")).toHaveLength(2));
    fireEvent.change(screen.getByTestId("queue-priority"), { target: { value: "urgent" } });
    await waitFor(() => expect(screen.getAllByTestId("ticket-row")).toHaveLength(1));
    await click(screen.getByTestId("ticket-view-save"));
    fireEvent.change(screen.getByTestId("ticket-view-name"), { target: { value: "紧急工单" } });
    await click(screen.getByTestId("ticket-view-confirm"));
    await waitFor(() => expect(screen.getAllByTestId("ticket-view").map((v) => v.textContent)).toEqual(["紧急工单×"]));
    fireEvent.change(screen.getByTestId("queue-priority"), { target: { value: "" } });
    await waitFor(() => expect(screen.getAllByTestId("ticket-row")).toHaveLength(2));
    await click(within(screen.getByTestId("ticket-view")).getByText("紧急工单"));
    await waitFor(() => expect(screen.getAllByTestId("ticket-row")).toHaveLength(1));
    expect(backend().service.views[0]?.filter.priorities).toEqual(["urgent"]);
  });

  it("keeps internal notes apart from replies, links an article, and closes with the customer's rating", async () => {
    const { jam } = seedTickets();
    backend().service.articles.push({ id: "a-9", title: "卡纸处理步骤", problem: "", solution: "打开后盖", tags: [], language: "zh", sourceTicketId: null, productId: null });
    open({ name: "ticket", id: jam.id });
    await waitFor(() => expect(screen.getByTestId("ticket-page").dataset.status).toBe("new"));
    fireEvent.change(screen.getByTestId("comment-body"), { target: { value: "先查固件" } });
    await click(screen.getByTestId("comment-internal"));
    await click(document.querySelector('[data-action="add-comment"]')!);
    await waitFor(() => expect(screen.getAllByTestId("ticket-comment")).toHaveLength(1));
    expect(backend().service.tickets[0]?.firstResponseAt).toBeNull();
    await click(screen.getByTestId("comment-internal"));
    fireEvent.change(screen.getByTestId("comment-body"), { target: { value: "您好，工程师明天上门" } });
    await click(document.querySelector('[data-action="add-comment"]')!);
    await waitFor(() => expect(screen.getAllByTestId("ticket-comment").map((c) => c.dataset.internal)).toEqual(["true", "false"]));
    await waitFor(() => expect(screen.getAllByTestId("sla-standing")[0]?.dataset.state).toBe("met"));

    fireEvent.change(screen.getByTestId("article-link-search"), { target: { value: "卡纸" } });
    await click(await screen.findByTestId("article-link-hit"));
    await waitFor(() => expect(screen.getAllByTestId("linked-article").map((a) => a.textContent)).toEqual(["卡纸处理步骤"]));

    await click(document.querySelector('[data-action="move-resolved"]')!);
    await waitFor(() => expect(screen.getByTestId("ticket-page").dataset.status).toBe("resolved"));
    await click(document.querySelector('[data-action="move-closed"]')!);
    await click(screen.getByTestId("rating-4"));
    fireEvent.change(screen.getByTestId("rating-comment"), { target: { value: "很及时" } });
    await click(document.querySelector('[data-action="confirm-close"]')!);
    await waitFor(() => expect(screen.getByTestId("ticket-page").dataset.status).toBe("closed"));
    expect(screen.getByTestId("ticket-rating").dataset.rating).toBe("4");
    expect(backend().service.tickets[0]).toMatchObject({ rating: 4, ratingComment: "很及时" });
  });

  it("reads in Chinese", async () => {
    const { jam } = seedTickets();
    await act(async () => {
      await changeLocale("zh-CN");
    });
    try {
      open({ name: "tickets" });
      await waitFor(() => expect(screen.getByTestId("queue-breached").textContent).toBe("已超时"));
      const row = (await screen.findAllByTestId("ticket-row")).find((r) => r.dataset.number === jam.number)!;
      expect(row.querySelector('[data-testid="sla-badge"]')!.textContent).toBe("已超时 1h 35m");
      expect(row.querySelector('[data-testid="ticket-priority"]')!.textContent).toBe("紧急");
      expect(i18n.t("service.moveAction.waiting")).toBe("等待客户");
    } finally {
      await act(async () => {
        await changeLocale("en");
      });
    }
  });
});
