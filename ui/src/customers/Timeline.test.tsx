/**
 * The customer's timeline in the whole app, against the in-memory fake of the Rust commands:
 * logging an activity, the form's errors, paging back in time, deleting with Undo.
 */
import { act, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import type { ActivityInput } from "../bindings";
import i18n from "../i18n";
import { App } from "../shell/App";
import { useFakeBackend } from "../test/fakeBackend";

const { invoke } = vi.hoisted(() => ({ invoke: vi.fn() }));
vi.mock("@tauri-apps/api/core", () => ({ invoke }));

const backend = useFakeBackend(invoke);

const input = (testId: string) => screen.getByTestId(testId) as HTMLInputElement;
const type = (testId: string, value: string) => fireEvent.change(screen.getByTestId(testId), { target: { value } });

/** Opens the only customer in the list and waits for its timeline's first page. */
async function openCustomer(): Promise<HTMLElement> {
  render(<App />);
  fireEvent.click((await screen.findAllByTestId("customer-row"))[0]!);
  await screen.findByTestId("customer-detail");
  return screen.findByTestId("timeline");
}

/** The timeline's items in order, whatever their kind. */
const timelineItems = () => [...screen.getByTestId("timeline").children] as HTMLElement[];

const sentActivity = () => backend().calls.find((c) => c.command === "log_activity")?.args.input as ActivityInput | undefined;

describe("the customer timeline", () => {
  it("logs a call and shows it at the top, above older activities and the record's changes", async () => {
    const wang = backend().seed({ name: "王芳" });
    backend().seedActivity(wang.id, { kind: "visit", occurredAt: "2024-06-01T09:00:00+08:00", outcome: "First visit" });
    await openCustomer();
    expect(timelineItems().map((li) => li.dataset.testid)).toEqual(["history-entry", "timeline-activity"]);

    fireEvent.click(screen.getByTestId("log-activity"));
    const form = await screen.findByTestId("activity-form");
    expect(document.activeElement).toBe(input("activity-kind"));
    // The time defaults to now, as the input shows it (local wall-clock, to the minute).
    expect(input("activity-occurred-at").value).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/);
    fireEvent.change(input("activity-kind"), { target: { value: "call" } });
    type("activity-duration", "15");
    type("activity-outcome", "约好下周拜访");
    type("activity-body", "带上样品");
    await act(async () => {
      fireEvent.click(within(form).getByTestId("activity-save"));
    });

    await waitFor(() => expect(screen.queryByTestId("activity-form")).toBeNull());
    const top = timelineItems()[0]!;
    expect(top.dataset.testid).toBe("timeline-activity");
    expect(top.dataset.kind).toBe("call");
    expect(top.textContent).toContain("Call");
    expect(top.textContent).toContain("15 min");
    expect(top.textContent).toContain("约好下周拜访");
    expect(top.textContent).toContain("带上样品");
    expect(top.textContent).toContain("Logged by Tester");
    expect(timelineItems()).toHaveLength(3);

    // Sent as RFC 3339 with the browser's offset, at the moment the form opened.
    const sent = sentActivity()!;
    expect(sent).toMatchObject({ kind: "call", durationMinutes: 15, outcome: "约好下周拜访", body: "带上样品" });
    expect(sent.occurredAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}[+-]\d{2}:\d{2}$/);
    expect(Math.abs(Date.parse(sent.occurredAt) - Date.now())).toBeLessThan(60_000);
  });

  it("shows the core's duration error next to that input and keeps everything typed", async () => {
    backend().seed({ name: "Acme" });
    await openCustomer();
    fireEvent.click(screen.getByTestId("log-activity"));
    await screen.findByTestId("activity-form");
    fireEvent.change(input("activity-kind"), { target: { value: "meeting" } });
    type("activity-occurred-at", "2026-11-23T10:30");
    type("activity-duration", "20000");
    type("activity-outcome", "Signed");
    type("activity-body", "Long one");
    await act(async () => {
      fireEvent.click(screen.getByTestId("activity-save"));
    });

    const error = await waitFor(() => {
      const el = document.querySelector('[data-error-for="durationMinutes"]');
      expect(el).not.toBeNull();
      return el!;
    });
    expect(error.textContent).toBe("Duration (minutes): must be between 0 and 10080");
    const duration = input("activity-duration");
    expect(duration.parentElement?.contains(error)).toBe(true);
    expect(duration.getAttribute("aria-invalid")).toBe("true");
    expect(duration.getAttribute("aria-describedby")).toBe(error.id);
    expect(document.activeElement).toBe(duration);
    expect(duration.value).toBe("20000");
    expect(input("activity-kind").value).toBe("meeting");
    expect(input("activity-occurred-at").value).toBe("2026-11-23T10:30");
    expect(input("activity-outcome").value).toBe("Signed");
    expect(input("activity-body").value).toBe("Long one");
    expect(screen.queryAllByTestId("timeline-activity")).toHaveLength(0);
    // A typed time is sent as typed, with the offset the browser has on that date.
    expect(sentActivity()?.occurredAt).toMatch(/^2026-11-23T10:30:00\.000[+-]\d{2}:\d{2}$/);

    // Fixing the field clears its message; the next save goes through.
    type("activity-duration", "90");
    expect(document.querySelector('[data-error-for="durationMinutes"]')).toBeNull();
    await act(async () => {
      fireEvent.click(screen.getByTestId("activity-save"));
    });
    expect((await screen.findByTestId("timeline-activity")).textContent).toContain("1 h 30 min");
  });

  it("refuses a duration that is not whole minutes without asking Rust", async () => {
    backend().seed({ name: "Acme" });
    await openCustomer();
    fireEvent.click(screen.getByTestId("log-activity"));
    type("activity-duration", "1.5");
    await act(async () => {
      fireEvent.click(screen.getByTestId("activity-save"));
    });
    expect(document.querySelector('[data-error-for="durationMinutes"]')?.textContent).toBe("Enter the duration in whole minutes.");
    expect(sentActivity()).toBeUndefined();
  });

  it("fetches one page at a time and appends the next with Show older", async () => {
    const acme = backend().seed({ name: "Acme" });
    // 70 activities, all older than the record's creation, an hour apart.
    const start = Date.parse("2024-01-01T00:00:00Z");
    for (let i = 0; i < 70; i++) {
      backend().seedActivity(acme.id, { occurredAt: new Date(start + i * 3_600_000).toISOString(), outcome: `Note ${i}` });
    }
    await openCustomer();

    const pages = () => backend().calls.filter((c) => c.command === "customer_timeline").map((c) => c.args);
    expect(pages()).toEqual([{ id: acme.id, before: null, limit: 50 }]);
    expect(timelineItems()).toHaveLength(50);
    expect(timelineItems()[0]?.dataset.testid).toBe("history-entry");
    expect(timelineItems()[1]?.textContent).toContain("Note 69");
    expect(timelineItems()[49]?.textContent).toContain("Note 21");

    await act(async () => {
      fireEvent.click(screen.getByTestId("timeline-more"));
    });
    await waitFor(() => expect(timelineItems()).toHaveLength(71));
    // The cursor the first page handed back: the time of its oldest item, "Note 21".
    expect(pages()[1]).toEqual({ id: acme.id, before: new Date(start + 21 * 3_600_000).toISOString(), limit: 50 });
    expect(timelineItems()[50]?.textContent).toContain("Note 20");
    expect(timelineItems()[70]?.textContent).toContain("Note 0");
    // Nothing older: the button goes away.
    expect(screen.queryByTestId("timeline-more")).toBeNull();
  });

  it("deletes an activity with an Undo that brings it back", async () => {
    const acme = backend().seed({ name: "Acme" });
    backend().seedActivity(acme.id, { kind: "email", occurredAt: "2025-06-01T09:00:00Z", outcome: "Sent the price list" });
    await openCustomer();
    const activity = await screen.findByTestId("timeline-activity");
    await act(async () => {
      fireEvent.click(within(activity).getByTestId("activity-delete"));
    });
    await waitFor(() => expect(screen.queryAllByTestId("timeline-activity")).toHaveLength(0));
    expect((await screen.findByTestId("toast")).textContent).toContain("Deleted the activity (Email)");
    await act(async () => {
      fireEvent.click(screen.getByTestId("undo"));
    });
    const back = await screen.findByTestId("timeline-activity");
    expect(back.textContent).toContain("Sent the price list");
    expect(back.dataset.kind).toBe("email");
  });

  it("opens the form with Ctrl+L and from the palette, and not for a customer in the trash", async () => {
    const acme = backend().seed({ name: "Acme" });
    await openCustomer();
    expect(screen.getByTestId("log-activity").getAttribute("title")).toMatch(/Log activity \((Ctrl\+L|⌘L)\)/);
    fireEvent.keyDown(window, { key: "l", ctrlKey: true });
    await screen.findByTestId("activity-form");
    expect(document.activeElement).toBe(input("activity-kind"));
    fireEvent.click(screen.getByTestId("activity-cancel"));
    expect(screen.queryByTestId("activity-form")).toBeNull();

    fireEvent.keyDown(window, { key: "k", ctrlKey: true });
    const palette = await screen.findByTestId("palette-input");
    fireEvent.change(palette, { target: { value: "log activity" } });
    fireEvent.keyDown(palette, { key: "Enter" });
    await screen.findByTestId("activity-form");
    fireEvent.click(screen.getByTestId("activity-cancel"));

    await act(async () => {
      await backend().invoke("delete_customer", { id: acme.id });
      fireEvent.click(screen.getByTestId("nav-trash"));
    });
    fireEvent.click((await screen.findAllByTestId("customer-row"))[0]!);
    await screen.findByTestId("restore");
    await screen.findByTestId("timeline");
    expect(screen.queryByTestId("log-activity")).toBeNull();
    fireEvent.keyDown(window, { key: "l", ctrlKey: true });
    expect(screen.queryByTestId("activity-form")).toBeNull();
  });
});

describe("values that lost a concurrent edit", () => {
  it("are marked as lost with who and when, and one can be made the current value", async () => {
    const wang = backend().seed({ name: "王芳", stage: "lead" });
    const token = backend().seedLost(wang.id, "stage", "won", { author: "Li Lei", device: "li-desktop" });
    await openCustomer();

    const lost = await screen.findByTestId("history-lost");
    expect(lost.textContent).toContain("Lost in a concurrent edit");
    expect(lost.textContent).toContain("Li Lei · li-desktop");
    expect(lost.textContent).toContain("Stage: Won");
    // It never took effect: no change line says so, and the record still reads Lead.
    expect(screen.getAllByTestId("history-line").map((l) => l.textContent)).not.toContain("Stage: Won");
    expect(screen.getByTestId("detail-stage").textContent).toContain("Lead");

    await act(async () => {
      fireEvent.click(within(lost).getByTestId("history-restore"));
    });
    expect(backend().calls.filter((c) => c.command === "restore_lost_value").map((c) => c.args)).toEqual([{ token }]);
    // The record and its timeline reload: the value is current now, written as a new edit.
    await waitFor(() => expect(screen.getByTestId("detail-stage").textContent).toContain("Won"));
    await waitFor(() => expect(timelineItems()[0]?.textContent).toContain("Lead→Won"));
    expect(screen.getAllByTestId("toast-message").map((m) => m.textContent)).toContain("Restored Stage: Won");
  });

  it("read in Chinese, and say why when the value can no longer be restored", async () => {
    const wang = backend().seed({ name: "王芳" });
    backend().seedLost(wang.id, "owner", "李雷");
    backend().locale = "zh-CN";
    await act(async () => {
      await i18n.changeLanguage("zh-CN");
    });
    await openCustomer();

    const lost = await screen.findByTestId("history-lost");
    expect(lost.textContent).toContain("并发编辑中未被采用");
    expect(lost.textContent).toContain("客户经理: 李雷");
    const restore = within(lost).getByTestId("history-restore");
    expect(restore.textContent).toBe("恢复此值");

    backend().lostValues.clear();
    await act(async () => {
      fireEvent.click(restore);
    });
    const toast = await screen.findByTestId("toast");
    expect(toast.className).toContain("toast-error");
    // The core no longer finds it (NotFound), and says so in Chinese.
    expect(toast.textContent).toContain("该记录不存在（可能已被删除）");
  });
});

describe("who made a change", () => {
  // With no OS user or host name the core signs changes "me" on "this computer": words, not names.
  it("is \"me\" on \"this computer\" in English, and 我 on 本机 in Chinese, never the English words", async () => {
    backend().author = "me";
    backend().device = "this computer";
    const wang = backend().seed({ name: "王芳" });
    backend().seedActivity(wang.id, { kind: "call", occurredAt: "2024-06-01T09:00:00+08:00", outcome: "约好下周拜访" });
    await openCustomer();
    const activity = await screen.findByTestId("timeline-activity");
    expect(activity.textContent).toContain("Logged by me");
    expect(screen.getByTestId("history-entry").textContent).toContain("me · this computer · ");

    await act(async () => {
      await i18n.changeLanguage("zh-CN");
    });
    await waitFor(() => expect(screen.getByTestId("timeline-activity").textContent).toContain("由我记录"));
    const entry = screen.getByTestId("history-entry").textContent!;
    expect(entry).toContain("我 · 本机 · ");
    expect(screen.getByTestId("timeline").textContent).not.toMatch(/\bme\b|this computer/);
  });

  it("keeps a real name as it is, in both languages", async () => {
    backend().author = "Li Lei";
    const wang = backend().seed({ name: "王芳" });
    backend().seedActivity(wang.id, { kind: "call", occurredAt: "2024-06-01T09:00:00+08:00" });
    await act(async () => {
      await i18n.changeLanguage("zh-CN");
    });
    await openCustomer();
    expect((await screen.findByTestId("timeline-activity")).textContent).toContain("由 Li Lei 记录");
    expect(screen.getByTestId("history-entry").textContent).toContain("Li Lei · test-laptop · ");
  });
});

describe("the record's creation in its timeline", () => {
  it("lists the fields it was created with, not the ones left empty", async () => {
    backend().seed({ name: "王芳", owner: "陈晓", phones: [{ id: null, label: "mobile", value: "+86 138 0013 8000" }] });
    await openCustomer();
    const created = timelineItems().find((li) => li.textContent?.includes("Created"))!;
    const lines = within(created)
      .getAllByTestId("history-line")
      .map((li) => li.textContent);
    expect(lines).toContain("Name: 王芳");
    expect(lines).toContain("Owner: 陈晓");
    // Notes, source and birthday were left empty: nothing to say about them.
    expect(lines.some((l) => l?.startsWith("Notes"))).toBe(false);
    expect(lines.some((l) => l?.startsWith("Source"))).toBe(false);
    expect(lines.every((l) => !l?.endsWith("—"))).toBe(true);
  });
});
