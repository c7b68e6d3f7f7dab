/** A contract's payment schedule edited on its page: a split that does not add up is refused next
 * to the schedule and keeps what was typed; one that does is saved. */
import { act, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import { App } from "../shell/App";
import { useFakeBackend } from "../test/fakeBackend";

const { invoke } = vi.hoisted(() => ({ invoke: vi.fn() }));
vi.mock("@tauri-apps/api/core", () => ({ invoke }));

const field = (name: string) => document.querySelector<HTMLInputElement>(`[name="${name}"]`)!;
const type = (name: string, value: string) => fireEvent.change(field(name), { target: { value } });

describe("the contract editor", () => {
  const backend = useFakeBackend(invoke);

  it("refuses a schedule that does not add up, then saves one that does", async () => {
    backend().sales.contracts.push({
      id: "c-1", number: "C-2025-0001", title: "Support 2025", customerId: null, customerName: "", contactId: null, contactName: "", quoteId: null, quoteNumber: "",
      owner: "Tester", visibility: "team", value: "1000.00", currency: "CNY", startsOn: "2025-03-01", endsOn: "2026-02-28", terms: "", status: "draft", signedOn: "", noticeDays: 30, custom: [],
      instalments: [{ id: "i-1", label: "Payment", dueOn: "2025-03-31", amount: "1000.00", paidOn: "", taskId: null }],
    });
    render(<App />);
    fireEvent.click(await screen.findByTestId("nav-contracts"));
    fireEvent.click(await screen.findByText("C-2025-0001"));
    fireEvent.click(await screen.findByText("Edit", { selector: '[data-action="edit-contract"]' }));
    await screen.findByTestId("contract-editor");
    type("instalments.0.label", "Deposit 定金");
    type("instalments.0.amount", "300");
    fireEvent.click(document.querySelector('[data-action="add-instalment"]')!);
    type("instalments.1.label", "Balance 尾款");
    type("instalments.1.dueOn", "2025-06-30");
    type("instalments.1.amount", "600");
    await act(async () => {
      fireEvent.click(document.querySelector('[data-action="save-contract"]')!);
    });
    const error = await waitFor(() => document.querySelector('[data-error-for="instalments"]')!);
    expect(error.textContent).toContain("900.00");
    expect(field("instalments.1.amount").value).toBe("600");
    type("instalments.1.amount", "700");
    await act(async () => {
      fireEvent.click(document.querySelector('[data-action="save-contract"]')!);
    });
    await screen.findByTestId("contract-page");
    expect(screen.getAllByTestId("instalment").map((r) => r.textContent)).toEqual([expect.stringContaining("Deposit 定金"), expect.stringContaining("Balance 尾款")]);
    expect(backend().sales.contracts[0]!.instalments.map((i) => i.amount)).toEqual(["300", "700"]);
    // The deposit paid: the row says when.
    await act(async () => {
      fireEvent.click(document.querySelector('[data-action="mark-paid"]')!);
    });
    await waitFor(() => expect(screen.getAllByTestId("instalment")[0]!.textContent).toContain("2025-03-15"));
    expect(document.querySelector('[data-action="mark-unpaid"]')).not.toBeNull();
  });
});
