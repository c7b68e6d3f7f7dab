/**
 * The virtual list against a mocked `invoke` (the real IPC is tested end-to-end elsewhere) that
 * pretends to hold 100,000 customers: only the pages on screen may be fetched.
 */
import { act, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { CustomerRow, ListQuery } from "../bindings";
import { giveListAViewport } from "../test/fakeBackend";
import { CustomerTable } from "./CustomerTable";
import { DEFAULT_FILTERS } from "./filters";

const { invoke } = vi.hoisted(() => ({ invoke: vi.fn() }));
vi.mock("@tauri-apps/api/core", () => ({ invoke }));

const TOTAL = 100_000;
const row = (i: number): CustomerRow => ({
  id: `c${i}`,
  kind: i % 2 ? "person" : "company",
  name: `Customer ${i}`,
  companyName: null,
  stage: "lead",
  owner: "",
  jobTitle: "",
  department: "",
  tags: [],
  email: null,
  phone: null,
  updatedAt: "2025-01-01T00:00:00Z",
  deletedAt: null,
  custom: [],
});

let restoreViewport: () => void;
beforeEach(() => {
  restoreViewport = giveListAViewport(720);
  invoke.mockReset();
  invoke.mockImplementation(async (command: string, args: { query: ListQuery }) => {
    if (command !== "list_customers") throw { code: "internal", message: command, field: null };
    const { offset, limit } = args.query;
    const rows = Array.from({ length: Math.max(0, Math.min(limit, TOTAL - offset)) }, (_, k) => row(offset + k));
    return { total: TOTAL, offset, rows };
  });
});
afterEach(() => restoreViewport());

const offsets = () => invoke.mock.calls.map(([, args]) => (args as { query: ListQuery }).query.offset);

describe("CustomerTable with 100,000 customers", () => {
  it("fetches only the pages in view, and fetches more as the user scrolls", async () => {
    const onOpen = vi.fn();
    render(<CustomerTable filters={DEFAULT_FILTERS} trash={false} onSort={vi.fn()} onOpen={onOpen} empty={null} />);
    await waitFor(() => expect(screen.getAllByTestId("customer-row").length).toBeGreaterThan(10));
    // 720 px of 36 px rows plus overscan fits in the first page.
    expect(new Set(offsets())).toEqual(new Set([0]));
    expect(screen.getAllByTestId("customer-row").length).toBeLessThan(60);

    const scroller = screen.getByTestId("customer-list");
    await act(async () => {
      scroller.scrollTop = 50_000 * 36;
      fireEvent.scroll(scroller);
      await new Promise((resolve) => setTimeout(resolve, 120));
    });
    await waitFor(() => expect(screen.getByText("Customer 50000")).toBeTruthy());
    expect(offsets()).toContain(50_000);
    expect(offsets().length).toBeLessThanOrEqual(3);

    fireEvent.click(screen.getByText("Customer 50001"));
    expect(onOpen).toHaveBeenCalledWith(expect.objectContaining({ id: "c50001" }));
  });

  it("sends sort and filters with every page request", async () => {
    render(
      <CustomerTable
        filters={{ ...DEFAULT_FILTERS, sort: "name", descending: false, stage: "won", kind: "company" }}
        trash
        onSort={vi.fn()}
        onOpen={vi.fn()}
        empty={null}
      />,
    );
    await waitFor(() => expect(invoke).toHaveBeenCalled());
    expect(invoke.mock.calls[0]?.[1]).toEqual({
      query: { sort: "name", descending: false, stage: "won", tag: null, owner: null, kind: "company", trash: true, offset: 0, limit: 100 },
    });
  });
});
