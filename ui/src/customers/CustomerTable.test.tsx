/**
 * The virtual list against a mocked `invoke` (the real IPC is tested end-to-end elsewhere) that
 * pretends to hold 100,000 customers: only the pages on screen may be fetched.
 */
import { act, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { CustomerRow, ListQuery } from "../bindings";
import { giveListAViewport } from "../test/fakeBackend";
import { passTime, useFakeClock } from "../test/timers";
import { COLUMNS, CUSTOM_COLUMN, CustomerTable, fittingColumns } from "./CustomerTable";
import { DEFAULT_FILTERS } from "./filters";
import { customersChanged } from "../lib/events";
import { askFirstPageEarly, FETCH_THROTTLE_MS } from "./useCustomerPages";

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

describe("the first page asked as the window starts", () => {
  it("is what the list shows when it mounts: one question, not two", async () => {
    askFirstPageEarly();
    expect(offsets()).toEqual([0]);
    render(<CustomerTable filters={DEFAULT_FILTERS} trash={false} onSort={vi.fn()} onOpen={vi.fn()} empty={null} />);
    await waitFor(() => expect(screen.getAllByTestId("customer-row").length).toBeGreaterThan(10));
    expect(offsets()).toEqual([0]);
    expect(screen.getAllByTestId("customer-row")[0]?.textContent).toContain("Customer 0");
  });

  it("is not used by a list asking something else, nor once customers changed", async () => {
    askFirstPageEarly();
    const { unmount } = render(<CustomerTable filters={{ ...DEFAULT_FILTERS, sort: "name" }} trash={false} onSort={vi.fn()} onOpen={vi.fn()} empty={null} />);
    await waitFor(() => expect(screen.getAllByTestId("customer-row").length).toBeGreaterThan(10));
    expect(invoke.mock.calls.map(([, args]) => (args as { query: ListQuery }).query.sort)).toEqual(["updated", "name"]);
    unmount();

    invoke.mockClear();
    askFirstPageEarly();
    customersChanged();
    render(<CustomerTable filters={DEFAULT_FILTERS} trash={false} onSort={vi.fn()} onOpen={vi.fn()} empty={null} />);
    await waitFor(() => expect(screen.getAllByTestId("customer-row").length).toBeGreaterThan(10));
    expect(offsets()).toEqual([0, 0]);
  });
});

describe("CustomerTable with 100,000 customers", () => {
  it("fetches only the pages in view, and fetches more as the user scrolls", async () => {
    const onOpen = vi.fn();
    render(<CustomerTable filters={DEFAULT_FILTERS} trash={false} onSort={vi.fn()} onOpen={onOpen} empty={null} />);
    await waitFor(() => expect(screen.getAllByTestId("customer-row").length).toBeGreaterThan(10));
    // 720 px of 36 px rows plus overscan fits in the first page.
    expect(new Set(offsets())).toEqual(new Set([0]));
    expect(screen.getAllByTestId("customer-row").length).toBeLessThan(60);

    // Scrolling asks for the rows in view once the fetch throttle has passed.
    const scroller = screen.getByTestId("customer-list");
    useFakeClock();
    act(() => {
      scroller.scrollTop = 50_000 * 36;
      fireEvent.scroll(scroller);
    });
    await passTime(FETCH_THROTTLE_MS);
    vi.useRealTimers();
    await waitFor(() => expect(screen.getByText("Customer 50000")).toBeTruthy());
    expect(offsets()).toContain(50_000);
    expect(offsets().length).toBeLessThanOrEqual(3);

    fireEvent.click(screen.getByText("Customer 50001"));
    expect(onOpen).toHaveBeenCalledWith(expect.objectContaining({ id: "c50001" }));
  });

  it("fetches nothing while the list flies past, and the rows in view once it slows", async () => {
    render(<CustomerTable filters={DEFAULT_FILTERS} trash={false} onSort={vi.fn()} onOpen={vi.fn()} empty={null} />);
    await waitFor(() => expect(screen.getAllByTestId("customer-row").length).toBeGreaterThan(10));
    const scroller = screen.getByTestId("customer-list");
    const asked = offsets().length;
    const scrollTo = (row: number) =>
      act(() => {
        scroller.scrollTop = row * 36;
        fireEvent.scroll(scroller);
      });
    useFakeClock();
    // A flick: 2,000 rows further on every frame, for a fifth of a second.
    for (let frame = 1; frame <= 12; frame++) {
      scrollTo(frame * 2_000);
      await passTime(16);
    }
    expect(offsets().slice(asked)).toEqual([]);
    expect(screen.getAllByTestId("customer-row-placeholder").length).toBeGreaterThan(10);
    // It stopped at row 24,000: a look later the rows in view are fetched, and nothing from before.
    await passTime(2 * FETCH_THROTTLE_MS);
    vi.useRealTimers();
    await waitFor(() => expect(screen.getByText("Customer 24001")).toBeTruthy());
    const fetched = offsets().slice(asked);
    expect(fetched).toContain(24_000);
    expect(fetched.every((offset) => offset >= 23_900 && offset <= 24_000)).toBe(true);
  });

  it("draws a scroll by filling the rows it has with other customers, not by building new rows", async () => {
    render(<CustomerTable filters={DEFAULT_FILTERS} trash={false} onSort={vi.fn()} onOpen={vi.fn()} empty={null} />);
    await waitFor(() => expect(screen.getAllByTestId("customer-row").length).toBeGreaterThan(10));
    const scroller = screen.getByTestId("customer-list");
    // Ten rows down first: from here on, as many rows are drawn above the screen as below.
    act(() => {
      scroller.scrollTop = 10 * 36;
      fireEvent.scroll(scroller);
    });
    await waitFor(() => expect(screen.queryByText("Customer 2")).toBeNull());
    const before = new Set(screen.getAllByTestId("customer-row"));
    // Two screens down, still inside the first page: no fetch, every row in view is another one.
    act(() => {
      scroller.scrollTop = 40 * 36;
      fireEvent.scroll(scroller);
    });
    await waitFor(() => expect(screen.getByText("Customer 50")).toBeTruthy());
    expect(screen.queryByText("Customer 20")).toBeNull();
    const after = screen.getAllByTestId("customer-row");
    expect(after.length).toBeGreaterThan(10);
    expect(after.filter((el) => !before.has(el))).toEqual([]);
  });

  it("moves with the arrow keys and opens with Enter; a focused row scrolled away leaves the focus on the list", async () => {
    const onOpen = vi.fn();
    render(<CustomerTable filters={DEFAULT_FILTERS} trash={false} onSort={vi.fn()} onOpen={onOpen} empty={null} />);
    await waitFor(() => expect(screen.getAllByTestId("customer-row").length).toBeGreaterThan(10));
    const scroller = screen.getByTestId("customer-list");
    // From the top (the list remembers where the last test left it).
    act(() => {
      scroller.scrollTop = 0;
      fireEvent.scroll(scroller);
    });
    await waitFor(() => expect(screen.getByText("Customer 3")).toBeTruthy());
    const rowOf = (name: string) => screen.getByText(name).closest<HTMLElement>("[data-index]")!;
    act(() => rowOf("Customer 3").focus());
    fireEvent.keyDown(rowOf("Customer 3"), { key: "ArrowDown" });
    await waitFor(() => expect(document.activeElement).toBe(rowOf("Customer 4")));
    fireEvent.keyDown(document.activeElement!, { key: "Enter" });
    expect(onOpen).toHaveBeenCalledWith(expect.objectContaining({ id: "c4" }));

    // Scrolled (by the wheel, say) far past it: the focused row's elements now show someone
    // else, so the focus must not stay on them.
    act(() => {
      scroller.scrollTop = 60 * 36;
      fireEvent.scroll(scroller);
    });
    await waitFor(() => expect(screen.getByText("Customer 70")).toBeTruthy());
    expect(document.activeElement).toBe(scroller);
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

describe("the list's columns on a narrow window", () => {
  const ids = (width: number | null, custom = 0, reserved = 0) =>
    fittingColumns([...COLUMNS, ...Array.from({ length: custom }, (_, i) => ({ id: `custom:${i}`, ...CUSTOM_COLUMN }))], width, reserved).map((c) => c.id);
  const all = COLUMNS.map((c) => c.id);

  it("shows every column while the width is unknown, or when they all fit", () => {
    expect(ids(null)).toEqual(all);
    expect(ids(1150)).toEqual(all);
  });

  it("drops the lowest priority first: tags, then the date, the owner, the stage, the company", () => {
    // 1024x600 with the sidebar as a rail: the list is 972 px wide.
    expect(ids(972)).toEqual(["name", "company", "stage", "owner", "email", "phone", "updated"]);
    expect(ids(860)).toEqual(["name", "company", "stage", "owner", "email", "phone"]);
    expect(ids(760)).toEqual(["name", "company", "stage", "email", "phone"]);
    expect(ids(640)).toEqual(["name", "company", "email", "phone"]);
    expect(ids(560)).toEqual(["name", "email", "phone"]);
    expect(ids(400)).toEqual(["name", "phone"]);
    // The name always stays, even when nothing fits.
    expect(ids(100)).toEqual(["name"]);
  });

  it("drops custom columns after the owner, the last added first, and keeps room for the trash's Restore", () => {
    expect(ids(1300, 2)).toEqual([...all, "custom:0", "custom:1"]);
    expect(ids(1150, 2)).toEqual(["name", "company", "stage", "owner", "email", "phone", "custom:0", "custom:1"]);
    expect(ids(1000, 2)).toEqual(["name", "company", "stage", "email", "phone", "custom:0", "custom:1"]);
    expect(ids(900, 2)).toEqual(["name", "company", "stage", "email", "phone", "custom:0"]);
    expect(ids(972, 0, 96)).toEqual(["name", "company", "stage", "owner", "email", "phone"]);
  });
});

describe("CustomerTable on a narrow window", () => {
  it("keeps the column it is sorted by, and leaves out the lowest priority ones from header and rows alike", async () => {
    // jsdom lays nothing out: the table says it is 760 px wide.
    const width = vi.spyOn(HTMLElement.prototype, "clientWidth", "get").mockImplementation(function (this: HTMLElement) {
      return this.classList.contains("table") ? 760 : 0;
    });
    try {
      render(<CustomerTable filters={DEFAULT_FILTERS} trash={false} onSort={vi.fn()} onOpen={vi.fn()} empty={null} />);
      await waitFor(() => expect(screen.getAllByTestId("customer-row").length).toBeGreaterThan(10));
      const headers = screen.getAllByRole("columnheader").map((h) => h.textContent?.replace(/[↑↓]/g, ""));
      // Sorted by the date, so it stays; tags, owner and stage go first.
      expect(headers).toEqual(["Name", "Company", "Email", "Phone", "Updated"]);
      expect(screen.getAllByTestId("customer-row")[0]!.querySelectorAll("[role=cell]")).toHaveLength(headers.length);
    } finally {
      width.mockRestore();
    }
  });
});
