/** The board against the fake backend: columns per stage, a card dragged by the mouse, Lost asks why. */
import { act, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import { App } from "../shell/App";
import { useFakeBackend } from "../test/fakeBackend";

const { invoke } = vi.hoisted(() => ({ invoke: vi.fn() }));
vi.mock("@tauri-apps/api/core", () => ({ invoke }));

const column = (stage: string) => document.querySelector<HTMLElement>(`[data-stage="${stage}"]`)!;
const card = (id: string) => document.querySelector<HTMLElement>(`[data-deal="${id}"]`)!;

async function drag(id: string, to: string) {
  await act(async () => {
    fireEvent.mouseDown(card(id), { button: 0, clientX: 10, clientY: 10 });
  });
  await act(async () => {
    fireEvent.mouseMove(column(to), { clientX: 300, clientY: 40 });
  });
  expect(column(to).classList.contains("board-column-over")).toBe(true);
  await act(async () => {
    fireEvent.mouseUp(column(to), { clientX: 300, clientY: 40 });
  });
}

describe("the sales board", () => {
  const backend = useFakeBackend(invoke);

  async function openBoard() {
    render(<App />);
    fireEvent.click(await screen.findByTestId("nav-sales"));
    await waitFor(() => expect(document.querySelectorAll("[data-stage]")).toHaveLength(4));
  }

  it("shows a column per stage with its deals, count and sums", async () => {
    await openBoard();
    expect(within(column("lead")).getByText("Lead")).toBeTruthy();
    expect(card("d-1").dataset.dealTitle).toBe("Oolong for Huatong");
    expect(column("lead").contains(card("d-1"))).toBe(true);
    expect(within(column("lead")).getByTestId("column-sums").textContent).toContain("CNY 12,800.00");
  });

  it("moves a dragged card to the column it is dropped on", async () => {
    await openBoard();
    await drag("d-1", "won");
    await waitFor(() => expect(column("won").contains(card("d-1"))).toBe(true));
    expect(backend().calls.find((c) => c.command === "move_opportunity")?.args).toEqual({ id: "d-1", stage: "won", lostReason: "" });
    expect(backend().sales.deals.find((d) => d.id === "d-1")?.stage).toBe("won");
  });

  it("asks why before dropping a deal on Lost", async () => {
    await openBoard();
    await drag("d-2", "lost");
    const dialog = await screen.findByTestId("lost-dialog");
    expect(backend().calls.some((c) => c.command === "move_opportunity")).toBe(false);
    fireEvent.change(within(dialog).getByTestId("lost-reason"), { target: { value: "Competitor" } });
    await act(async () => {
      fireEvent.click(within(dialog).getByTestId("lost-confirm"));
    });
    await waitFor(() => expect(column("lost").contains(card("d-2"))).toBe(true));
    expect(backend().calls.find((c) => c.command === "move_opportunity")?.args).toEqual({ id: "d-2", stage: "lost", lostReason: "Competitor" });
  });

  it("puts the card back and says why when the move is refused", async () => {
    await openBoard();
    const base = invoke.getMockImplementation()!;
    invoke.mockImplementation(async (command: string, args: Record<string, unknown>, o?: unknown) => {
      if (command === "move_opportunity") throw { code: "conflict", message: "The deal changed elsewhere", field: null, reason: "error.internal", params: {}, fields: [] };
      return base(command, args, o);
    });
    await drag("d-1", "proposal");
    await screen.findByText("The deal changed elsewhere");
    expect(column("lead").contains(card("d-1"))).toBe(true);
  });
});
