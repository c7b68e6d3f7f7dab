/**
 * The "Find duplicates" page inside the whole app, against the in-memory fake of the commands:
 * reached from the sidebar and the palette, one entry per pair with its reason, each side opens
 * its own record, and a calm empty state when nothing matches.
 */
import { act, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import i18n from "../i18n";
import { App } from "../shell/App";
import type { CustomerRow, DuplicatePair } from "../bindings";
import { useFakeBackend } from "../test/fakeBackend";

const { invoke } = vi.hoisted(() => ({ invoke: vi.fn() }));
vi.mock("@tauri-apps/api/core", () => ({ invoke }));

const backend = useFakeBackend(invoke);

const scans = () => backend().calls.filter((c) => c.command === "duplicate_pairs");

describe("find duplicates", () => {
  it("lists two customers with the same phone as one pair, and opens either side", async () => {
    const company = backend().seed({ kind: "company", name: "Hangzhou Tea Co." });
    const wang = backend().seed({
      name: "Wang Fang",
      companyId: company.id,
      phones: [{ id: null, label: "mobile", value: "+86 138-0013-8000" }],
    });
    const copy = backend().seed({ name: "王芳", phones: [{ id: null, label: "work", value: "13800138000" }] });
    backend().seed({ name: "Li Lei", phones: [{ id: null, label: "mobile", value: "13900000000" }] });
    render(<App />);

    fireEvent.click(await screen.findByTestId("nav-duplicates"));
    expect(screen.getByTestId("nav-duplicates").getAttribute("aria-current")).toBe("page");
    const pair = await screen.findByTestId("duplicate-pair");
    expect(screen.getAllByTestId("duplicate-pair")).toHaveLength(1);
    expect(scans()).toEqual([{ command: "duplicate_pairs", args: { limit: 500 } }]);
    expect(screen.getByTestId("duplicate-count").textContent).toBe("1 likely duplicate");

    expect(within(pair).getByTestId("duplicate-reason").textContent).toBe("Same phone: 13800138000");
    const [a, b] = within(pair).getAllByTestId("duplicate-record");
    expect(a!.getAttribute("data-id")).toBe(wang.id);
    expect(a!.textContent).toContain("Wang Fang");
    expect(a!.textContent).toContain("Hangzhou Tea Co.");
    expect(b!.getAttribute("data-id")).toBe(copy.id);
    expect(b!.textContent).toContain("13800138000");
    expect(pair.textContent).not.toContain("Li Lei");
    // Each card marks the phone they share, as its own record writes it.
    expect(within(a!).getByTestId("duplicate-shared").textContent).toBe("+86 138-0013-8000");
    expect(within(b!).getByTestId("duplicate-shared").textContent).toBe("13800138000");
    expect(within(b!).getByTestId("duplicate-shared").getAttribute("data-own")).toBe("true");

    fireEvent.click(within(b!).getByTestId("duplicate-open"));
    const detail = await screen.findByTestId("customer-detail");
    expect(detail.getAttribute("data-id")).toBe(copy.id);
  });

  it("marks the shared value on both cards from the pair as the core sends it, in each card's own writing where the row has it", async () => {
    const row = (id: string, name: string, over: Partial<CustomerRow> = {}): CustomerRow => ({
      id,
      kind: "person",
      name,
      companyName: null,
      stage: "lead",
      owner: "",
      jobTitle: "",
      department: "",
      tags: [],
      email: null,
      phone: null,
      updatedAt: "2025-03-01T00:00:00Z",
      deletedAt: null,
      custom: [],
      ...over,
    });
    // The core's `matched` is the value as it compared it: the phone's digits, the email in lower
    // case; aShared/bShared each side's own writing of it. A row carries only the record's first
    // phone and email.
    const pairs: DuplicatePair[] = [
      {
        a: row("p1", "Wang Fang", { phone: "+86 138-0013-8000" }),
        b: row("p2", "王芳", { phone: "138 0013 8000 转 12" }),
        reason: "same_phone",
        matched: "13800138000",
        aShared: "+86 138-0013-8000",
        bShared: "138 0013 8000 转 12",
      },
      {
        a: row("p3", "Li Lei", { email: "Li@Example.com" }),
        // Shares li@example.com as its second email: its first is all the row holds.
        b: row("p4", "Lei Li", { email: "lei@home.cn" }),
        reason: "same_email",
        matched: "li@example.com",
        aShared: "Li@Example.com",
        bShared: "LI@example.COM",
      },
      {
        a: row("p5", "张伟", { companyName: "Acme" }),
        b: row("p6", "张 伟", { companyName: "Acme" }),
        reason: "similar_name",
        matched: "张 伟",
        aShared: "张伟",
        bShared: "张 伟",
      },
    ];
    invoke.mockImplementation(async (command: string, args?: Record<string, unknown>) =>
      command === "duplicate_pairs" ? pairs : backend().invoke(command, args),
    );
    render(<App />);
    fireEvent.click(await screen.findByTestId("nav-duplicates"));
    await waitFor(() => expect(screen.getAllByTestId("duplicate-pair")).toHaveLength(3));
    const marks = (i: number) =>
      within(screen.getAllByTestId("duplicate-pair")[i]!)
        .getAllByTestId("duplicate-record")
        .map((card) => within(card).getAllByTestId("duplicate-shared").map((m) => [m.textContent, m.getAttribute("data-own")]));

    // The same number in two writings (one with an extension): each card marks its own.
    expect(marks(0)).toEqual([[["+86 138-0013-8000", "true"]], [["138 0013 8000 转 12", "true"]]]);
    // The same email in another case on one card; the other record's shared email is not its first,
    // so that card keeps its first and shows the shared one, as that record writes it, on a line of
    // its own, saying so on hover.
    expect(marks(1)).toEqual([[["Li@Example.com", "true"]], [["LI@example.COM", "false"]]]);
    const other = within(screen.getAllByTestId("duplicate-pair")[1]!).getAllByTestId("duplicate-record")[1]!;
    expect(other.textContent).toContain("lei@home.cn");
    expect(within(other).getByTestId("duplicate-shared").getAttribute("title")).toContain("one of this record's other email addresses");
    // A similar name: each card's name is what they share.
    expect(marks(2)).toEqual([[["张伟", "true"]], [["张 伟", "true"]]]);
    // Only the shared value is marked: the company line is plain.
    expect(within(screen.getAllByTestId("duplicate-pair")[2]!).getAllByTestId("duplicate-shared")).toHaveLength(2);
  });

  it("says so when there are no likely duplicates, and scans again on request", async () => {
    backend().seed({ name: "Wang Fang", phones: [{ id: null, label: "mobile", value: "13800138000" }] });
    backend().seed({ name: "Li Lei", emails: [{ id: null, label: "work", value: "li@example.com" }] });
    render(<App />);

    fireEvent.click(await screen.findByTestId("nav-duplicates"));
    const empty = await screen.findByTestId("empty-state");
    expect(empty.textContent).toContain("No likely duplicates found");
    expect(screen.queryByTestId("duplicate-pair")).toBeNull();

    // Someone adds the same email in another case; a rescan finds it without leaving the page.
    backend().seed({ name: "Lei Li", emails: [{ id: null, label: "home", value: "LI@example.com" }] });
    fireEvent.click(screen.getByTestId("duplicate-rescan"));
    const pair = await screen.findByTestId("duplicate-pair");
    expect(within(pair).getByTestId("duplicate-reason").textContent).toBe("Same email: li@example.com");
    expect(scans()).toHaveLength(2);
  });

  it("ignores customers in the trash", async () => {
    backend().seed({ name: "A", emails: [{ id: null, label: "work", value: "a@example.com" }] });
    const gone = backend().seed({ name: "B", emails: [{ id: null, label: "work", value: "a@example.com" }] });
    backend().customers.set(gone.id, { ...gone, deletedAt: "2025-03-02T00:00:00Z" });
    render(<App />);

    fireEvent.click(await screen.findByTestId("nav-duplicates"));
    expect((await screen.findByTestId("empty-state")).textContent).toContain("No likely duplicates found");
  });

  it("opens from the command palette, in Chinese too", async () => {
    backend().seed({ name: "王芳", phones: [{ id: null, label: "mobile", value: "13800138000" }] });
    backend().seed({ name: "王芳", phones: [{ id: null, label: "work", value: "0086 138 0013 8000" }] });
    render(<App />);
    await act(async () => {
      await i18n.changeLanguage("zh-CN");
    });

    fireEvent.keyDown(window, { key: "k", ctrlKey: true });
    const input = await screen.findByTestId("palette-input");
    fireEvent.change(input, { target: { value: "查找重复" } });
    fireEvent.keyDown(input, { key: "Enter" });
    await waitFor(() => expect(screen.getByTestId("duplicate-count").textContent).toBe("1 组疑似重复"));
    expect(screen.getByTestId("duplicate-reason").textContent).toBe("电话相同：13800138000");
    expect(screen.getByTestId("duplicate-rescan").textContent).toBe("重新查找");
  });
});
