/**
 * The event form against the fake backend: what it sends for the Repeat and Reminder choices,
 * and a refusal from the core shown under the field it names with everything typed kept. The
 * core's own checks are tested in crates/core; the real window in tests/e2e/tests/calendar.rs.
 */
import { act, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import type { AppError, EventInput } from "../bindings";
import { App } from "../shell/App";
import { useFakeBackend } from "../test/fakeBackend";

const { invoke } = vi.hoisted(() => ({ invoke: vi.fn() }));
vi.mock("@tauri-apps/api/core", () => ({ invoke }));

function answerCreate(answer: (input: EventInput) => unknown) {
  const base = invoke.getMockImplementation()!;
  invoke.mockImplementation(async (command: string, args: Record<string, unknown>) =>
    command === "create_event" ? answer(args.input as EventInput) : base(command, args),
  );
}

async function openNewEvent() {
  render(<App />);
  fireEvent.click(await screen.findByTestId("nav-calendar"));
  fireEvent.click(await screen.findByTestId("new-event"));
  await screen.findByTestId("event-form");
}

const input = (id: string) => screen.getByTestId(id) as HTMLInputElement;

describe("the event form", () => {
  useFakeBackend(invoke);

  it("sends the weekly rule for the days ticked, and the default reminder", async () => {
    const sent: EventInput[] = [];
    answerCreate((i) => {
      sent.push(i);
      return { event: { ...i, id: "0190a4a0-0000-7000-8000-000000000001", uid: "", attendees: [] }, clashes: [] };
    });
    await openNewEvent();
    fireEvent.change(input("event-title"), { target: { value: "Stand-up" } });
    fireEvent.change(input("event-start"), { target: { value: "2027-01-12T09:00" } });
    fireEvent.change(input("event-end"), { target: { value: "2027-01-12T09:15" } });
    fireEvent.change(screen.getByTestId("repeat-freq"), { target: { value: "weekly" } });
    fireEvent.click(input("repeat-day-TU"));
    fireEvent.click(input("repeat-day-TH"));
    fireEvent.change(screen.getByTestId("repeat-ends"), { target: { value: "count" } });
    fireEvent.change(input("repeat-count"), { target: { value: "8" } });
    await waitFor(() => expect(input("reminder-15").checked).toBe(true));
    await act(async () => {
      fireEvent.click(screen.getByTestId("event-save"));
    });
    await waitFor(() => expect(sent).toHaveLength(1));
    expect(sent[0]).toMatchObject({ title: "Stand-up", start: "2027-01-12T09:00", end: "2027-01-12T09:15", rrule: "FREQ=WEEKLY;BYDAY=TU,TH;COUNT=8", reminders: [15] });
  });

  it("shows the core's refusal under the end and keeps what was typed", async () => {
    const refusal: AppError = {
      code: "validation",
      message: "End: must not be before the start",
      field: "end",
      reason: "invalid.endsBeforeStart",
      params: {},
      fields: [{ field: "end", message: "End: must not be before the start", reason: "invalid.endsBeforeStart", params: {} }],
    };
    answerCreate(() => {
      throw refusal;
    });
    await openNewEvent();
    fireEvent.change(input("event-title"), { target: { value: "拜访华通" } });
    fireEvent.change(input("event-start"), { target: { value: "2027-01-12T10:00" } });
    fireEvent.change(input("event-end"), { target: { value: "2027-01-12T09:00" } });
    await act(async () => {
      fireEvent.click(screen.getByTestId("event-save"));
    });
    const error = await screen.findByText("End: must not be before the start");
    expect(error.closest("[data-error-for]")?.getAttribute("data-error-for")).toBe("end");
    expect(input("event-end").getAttribute("aria-invalid")).toBe("true");
    expect(input("event-title").value).toBe("拜访华通");
    expect(screen.getByTestId("event-form")).toBeTruthy();
  });
});
