/**
 * Custom fields of deals against the fake backend: defined in Settings → Sales for deals only
 * (customers don't get it), shown in the deal's form, sent with the save, and kept apart from the
 * quote's fields.
 */
import { act, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import type { OpportunityInput } from "../bindings";
import { App } from "../shell/App";
import { useFakeBackend } from "../test/fakeBackend";

const { invoke } = vi.hoisted(() => ({ invoke: vi.fn() }));
vi.mock("@tauri-apps/api/core", () => ({ invoke }));

describe("custom fields of deals", () => {
  const backend = useFakeBackend(invoke);

  it("are made in Settings for deals only, then filled in on a deal and saved with it", async () => {
    render(<App />);
    fireEvent.click(await screen.findByTestId("nav-settings"));
    fireEvent.change(await screen.findByTestId("sales-fields-type"), { target: { value: "opportunity" } });
    const section = await screen.findByTestId("custom-fields-opportunity");
    fireEvent.click(within(section).getByTestId("add-custom-field"));
    fireEvent.change(within(section).getByTestId("cf-label-en"), { target: { value: "Lead source" } });
    // A deal's field applies to every deal: there is no companies/people choice.
    expect(within(section).queryByTestId("cf-scope")).toBeNull();
    await act(async () => {
      fireEvent.click(within(section).getByTestId("cf-save"));
    });
    await waitFor(() => expect(within(section).getAllByTestId("custom-field-row")).toHaveLength(1));
    const created = backend().calls.find((c) => c.command === "create_record_custom_field");
    expect(created?.args.recordType).toBe("opportunity");
    // Quotes have none yet, and the customers' list did not get it.
    fireEvent.change(screen.getByTestId("sales-fields-type"), { target: { value: "quote" } });
    expect(await within(await screen.findByTestId("custom-fields-quote")).findByTestId("custom-fields-empty")).toBeTruthy();
    expect(within(screen.getByTestId("custom-fields")).queryAllByTestId("custom-field-row")).toHaveLength(0);

    // The deal's form shows the field; what is typed goes with the save.
    fireEvent.click(screen.getByTestId("nav-sales"));
    await waitFor(() => expect(document.querySelectorAll("[data-deal]").length).toBeGreaterThan(0));
    fireEvent.click(document.querySelector<HTMLElement>('[data-deal="d-1"] .deal-card-title')!);
    const group = await screen.findByTestId("custom-field-group");
    const field = backend().fields[0]!;
    fireEvent.change(within(group).getByTestId(`field-custom-${field.id}`), { target: { value: "Trade fair" } });
    await act(async () => {
      fireEvent.click(screen.getByTestId("deal-save"));
    });
    await waitFor(() => expect(backend().calls.some((c) => c.command === "update_opportunity")).toBe(true));
    const saved = backend().calls.find((c) => c.command === "update_opportunity")!.args.input as OpportunityInput;
    expect(saved.custom).toEqual([{ fieldId: field.id, value: "Trade fair" }]);
    expect(backend().sales.deals.find((d) => d.id === "d-1")?.custom).toEqual([{ fieldId: field.id, value: "Trade fair" }]);
  });
});
