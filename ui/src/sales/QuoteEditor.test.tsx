/** The quote editor: totals from the core's preview, a refusal under its line's field, pasted lines. */
import { act, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import type { AppError } from "../bindings";
import { App } from "../shell/App";
import { useFakeBackend } from "../test/fakeBackend";

const { invoke } = vi.hoisted(() => ({ invoke: vi.fn() }));
vi.mock("@tauri-apps/api/core", () => ({ invoke }));

const field = (name: string) => document.querySelector<HTMLInputElement>(`[name="${name}"]`)!;
const type = (name: string, value: string) => fireEvent.change(field(name), { target: { value } });

async function openEditor() {
  render(<App />);
  fireEvent.click(await screen.findByTestId("nav-quotes"));
  fireEvent.click(await screen.findByTestId("new-quote"));
  await screen.findByTestId("quote-form");
  await waitFor(() => expect(field("currency").value).toBe("CNY"));
}

describe("the quote editor", () => {
  const backend = useFakeBackend(invoke);

  it("shows the totals the core previews for the lines typed", async () => {
    await openEditor();
    type("lines.0.description", "Green tea");
    type("lines.0.quantity", "3");
    type("lines.0.unitPrice", "100");
    type("lines.0.taxPercent", "13");
    await waitFor(() => expect(screen.getByTestId("quote-totals").querySelector('[data-total="total"]')?.textContent).toBe("CNY 339.00"), { timeout: 2000 });
    expect(screen.getByTestId("quote-totals").querySelector('[data-total="subtotal"]')?.textContent).toBe("CNY 300.00");
    expect(screen.getAllByTestId("line-net")[0]?.textContent).toBe("CNY 300.00");
    expect(backend().calls.some((c) => c.command === "preview_quote")).toBe(true);
  });

  it("fills a line from a catalogue product in the quote's currency", async () => {
    await openEditor();
    fireEvent.change(field("lines.0.productId"), { target: { value: "p-1" } });
    expect(field("lines.0.description").value).toBe("绿茶 Green tea");
    expect(field("lines.0.unitPrice").value).toBe("120.00");
    expect(field("lines.0.taxPercent").value).toBe("13");
  });

  it("shows a refused save next to the line's quantity and keeps what was typed", async () => {
    await openEditor();
    const refusal: AppError = {
      code: "validation",
      message: "Line 1 quantity: must be more than zero",
      field: "lines.0.quantity",
      reason: "invalid.positive",
      params: {},
      fields: [{ field: "lines.0.quantity", message: "Line 1 quantity: must be more than zero", reason: "invalid.positive", params: {} }],
    };
    const base = invoke.getMockImplementation()!;
    invoke.mockImplementation(async (command: string, args: Record<string, unknown>, o?: unknown) => {
      if (command === "create_quote") throw refusal;
      return base(command, args, o);
    });
    type("lines.0.description", "拜访服务");
    type("lines.0.quantity", "0");
    type("lines.0.unitPrice", "50");
    await act(async () => {
      fireEvent.click(document.querySelector('[data-action="save-quote"]')!);
    });
    const error = await screen.findByText("Line 1 quantity: must be more than zero");
    expect(error.getAttribute("data-error-for")).toBe("lines.0.quantity");
    expect(field("lines.0.quantity").getAttribute("aria-invalid")).toBe("true");
    expect(field("lines.0.description").value).toBe("拜访服务");
    expect(field("lines.0.unitPrice").value).toBe("50");
  });

  it("adds pasted lines, or lists the rows it could not read", async () => {
    await openEditor();
    fireEvent.click(document.querySelector('[data-action="paste-lines"]')!);
    const dialog = await screen.findByTestId("paste-dialog");
    fireEvent.change(within(dialog).getByTestId("paste-text"), { target: { value: "Tea\tmany\tkg\t10" } });
    await act(async () => {
      fireEvent.click(within(dialog).getByTestId("paste-read"));
    });
    expect((await within(dialog).findByTestId("row-errors")).textContent).toContain("Row 1, quantity");
    fireEvent.change(within(dialog).getByTestId("paste-text"), { target: { value: "Tea\t2\tkg\t10\nInstall\t1\th\t300" } });
    await act(async () => {
      fireEvent.click(within(dialog).getByTestId("paste-read"));
    });
    await waitFor(() => expect(screen.queryByTestId("paste-dialog")).toBeNull());
    expect(screen.getAllByTestId("line-row")).toHaveLength(2);
    expect(field("lines.1.description").value).toBe("Install");
    expect(backend().calls.find((c) => c.command === "read_quote_lines")?.args).toMatchObject({ currency: "CNY" });
  });

  it("saves the quote and opens it", async () => {
    await openEditor();
    type("lines.0.description", "Tea");
    type("lines.0.quantity", "2");
    type("lines.0.unitPrice", "10");
    await act(async () => {
      fireEvent.click(document.querySelector('[data-action="save-quote"]')!);
    });
    const page = await screen.findByTestId("quote-page");
    expect(page.dataset.number).toBe("Q-2025-0001");
    expect(document.querySelector('[data-action="make-contract"]')).toBeTruthy();
  });
});
