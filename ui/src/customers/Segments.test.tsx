/**
 * Saved segments across the app, against the in-memory fake of the commands: the list's filters
 * (with "No activity for") saved under a name, listed in the sidebar with live counts, opened,
 * renamed, updated and deleted with an Undo.
 */
import { act, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import i18n from "../i18n";
import { App } from "../shell/App";
import { useFakeBackend } from "../test/fakeBackend";

const { invoke } = vi.hoisted(() => ({ invoke: vi.fn() }));
vi.mock("@tauri-apps/api/core", () => ({ invoke }));

const backend = useFakeBackend(invoke);

const type = (testId: string, value: string) => fireEvent.change(screen.getByTestId(testId), { target: { value } });
const select = (testId: string) => screen.getByTestId(testId) as HTMLSelectElement;
const lastQuery = () => backend().calls.filter((c) => c.command === "list_customers").at(-1)?.args.query;
const rowNames = () => screen.queryAllByTestId("customer-row").map((row) => row.textContent ?? "");
const title = () => screen.getByTestId("list-title").textContent;

/** The sidebar link of the segment called `name` (waits for it). */
async function segmentLink(name: string): Promise<HTMLElement> {
  return waitFor(() => {
    const link = screen.getAllByTestId("segment-link").find((l) => l.textContent?.includes(name));
    expect(link).toBeDefined();
    return link!;
  });
}

const countOf = (link: HTMLElement) => within(link).getByTestId("segment-count").textContent;

async function click(testId: string) {
  await act(async () => {
    fireEvent.click(screen.getByTestId(testId));
  });
}

describe("segments", () => {
  it("saves the list's filters under a name and lists the segment in the sidebar with its count", async () => {
    backend().seed({ name: "Alpha Tea", stage: "won", owner: "Li" });
    backend().seed({ name: "Beta Silk", stage: "won", owner: "Li" });
    backend().seed({ name: "Gamma Jade", stage: "lead", owner: "Li" });
    render(<App />);
    await waitFor(() => expect(rowNames()).toHaveLength(3));
    // Nothing narrows the list yet: nothing to save.
    expect(screen.queryByTestId("save-segment")).toBeNull();
    expect(screen.queryByTestId("segment-list")).toBeNull();

    fireEvent.change(select("filter-stage"), { target: { value: "won" } });
    await waitFor(() => expect(rowNames()).toHaveLength(2));
    fireEvent.click(screen.getByTestId("save-segment"));
    type("segment-name", "Won deals");
    await click("segment-save");

    const link = await segmentLink("Won deals");
    expect(countOf(link)).toBe("2");
    expect(link.getAttribute("aria-current")).toBe("page");
    expect(link.getAttribute("aria-label")).toBe("Won deals, 2 customers");
    expect([...backend().segments.values()]).toMatchObject([
      { name: "Won deals", filter: { stage: "won", tag: null, owner: null, kind: null, custom: [], inactiveDays: null } },
    ]);
    // The list is now the segment: its name as the title, nothing to save again.
    await waitFor(() => expect(title()).toBe("Won deals"));
    expect(screen.queryByTestId("segment-form")).toBeNull();
    expect(screen.queryByTestId("save-segment")).toBeNull();
    expect(screen.queryByTestId("segment-update")).toBeNull();
    expect(rowNames()).toHaveLength(2);
  });

  it("shows the core's error under the name and keeps the form open", async () => {
    backend().seed({ name: "Alpha Tea", stage: "won" });
    render(<App />);
    await screen.findAllByTestId("customer-row");
    fireEvent.change(select("filter-stage"), { target: { value: "won" } });
    fireEvent.click(screen.getByTestId("save-segment"));
    await click("segment-save");

    const error = await waitFor(() => {
      const el = document.querySelector('[data-error-for="name"]');
      expect(el).not.toBeNull();
      return el!;
    });
    expect(error.textContent).toBe("Name: is required");
    expect(screen.getByTestId("segment-name").getAttribute("aria-invalid")).toBe("true");
    expect(backend().segments.size).toBe(0);

    type("segment-name", "x".repeat(61));
    await click("segment-save");
    await waitFor(() => expect(document.querySelector('[data-error-for="name"]')?.textContent).toBe("Name: is too long (at most 60 characters)"));

    // Escape (or Cancel) gives up without saving.
    fireEvent.keyDown(screen.getByTestId("segment-name"), { key: "Escape" });
    expect(screen.queryByTestId("segment-form")).toBeNull();
    expect(screen.getByTestId("save-segment")).toBeTruthy();
    expect(backend().segments.size).toBe(0);
  });

  it("opens a segment from the sidebar with its filters, and offers to update it when they change", async () => {
    backend().seed({ name: "Alpha Tea", kind: "company", stage: "won" });
    backend().seed({ name: "Beta Silk", kind: "company", stage: "lead" });
    backend().seed({ name: "Wang Fang", kind: "person", stage: "won" });
    const segment = backend().seedSegment("Won companies", { stage: "won", kind: "company" });
    render(<App />);
    await waitFor(() => expect(rowNames()).toHaveLength(3));

    const link = await segmentLink("Won companies");
    expect(link.getAttribute("data-id")).toBe(segment.id);
    expect(countOf(link)).toBe("1");
    fireEvent.click(link);

    await waitFor(() => expect(rowNames()).toHaveLength(1));
    expect(rowNames()[0]).toContain("Alpha Tea");
    expect(title()).toBe("Won companies");
    expect(select("filter-stage").value).toBe("won");
    expect(screen.getByTestId("filter-kind-company").getAttribute("aria-pressed")).toBe("true");
    expect(lastQuery()).toMatchObject({ stage: "won", kind: "company", trash: false });
    expect(screen.queryByTestId("segment-update")).toBeNull();

    // Another filter: the segment can take it over.
    fireEvent.click(screen.getByTestId("filter-kind-all"));
    await waitFor(() => expect(rowNames()).toHaveLength(2));
    expect(screen.getByTestId("save-segment").textContent).toBe("Save as new segment");
    await click("segment-update");
    await waitFor(() => expect(screen.queryByTestId("segment-update")).toBeNull());
    expect(backend().segments.get(segment.id)?.filter).toMatchObject({ stage: "won", kind: null });
    await waitFor(() => expect(countOf(screen.getByTestId("segment-link"))).toBe("2"));
    expect(screen.getByTestId("toast-message").textContent).toBe("Saved the filters to Won companies");

    // The whole list again: Customers in the sidebar leaves the segment and its filters.
    fireEvent.click(screen.getByTestId("nav-customers"));
    await waitFor(() => expect(rowNames()).toHaveLength(3));
    expect(title()).toBe("Customers");
    expect(select("filter-stage").value).toBe("");
    expect(screen.getByTestId("segment-link").getAttribute("aria-current")).toBeNull();
  });

  it("renames a segment in place", async () => {
    backend().seed({ name: "Alpha Tea", stage: "won" });
    backend().seedSegment("Won", { stage: "won" });
    render(<App />);
    fireEvent.click(await segmentLink("Won"));
    await waitFor(() => expect(title()).toBe("Won"));

    fireEvent.click(screen.getByTestId("segment-rename"));
    expect((screen.getByTestId("segment-name") as HTMLInputElement).value).toBe("Won");
    type("segment-name", "  ");
    await click("segment-save");
    await waitFor(() => expect(document.querySelector('[data-error-for="name"]')?.textContent).toBe("Name: is required"));
    type("segment-name", "Closed deals");
    await click("segment-save");

    await waitFor(() => expect(title()).toBe("Closed deals"));
    expect((await segmentLink("Closed deals")).getAttribute("aria-current")).toBe("page");
    expect([...backend().segments.values()][0]).toMatchObject({ name: "Closed deals", filter: { stage: "won" } });
  });

  it("sends the inactive filter in the list query, clears it and exports with it", async () => {
    const recent = backend().seed({ name: "Recent Ren" });
    const old = backend().seed({ name: "Old Ouyang" });
    backend().seed({ name: "Never Ni" });
    // The fake's clock reads about 2025-03-01.
    backend().seedActivity(recent.id, { occurredAt: "2025-02-20T09:00:00Z" });
    backend().seedActivity(old.id, { occurredAt: "2024-11-01T09:00:00Z" });
    render(<App />);
    await waitFor(() => expect(rowNames()).toHaveLength(3));
    expect(lastQuery()).not.toHaveProperty("inactiveDays");
    expect([...select("filter-inactive").options].map((o) => o.textContent)).toEqual([
      "Last activity: any time",
      "No activity for 7 days",
      "No activity for 30 days",
      "No activity for 90 days",
      "No activity for 180 days",
      "No activity for 365 days",
    ]);

    fireEvent.change(select("filter-inactive"), { target: { value: "30" } });
    await waitFor(() => expect(rowNames()).toHaveLength(2));
    expect(lastQuery()).toMatchObject({ inactiveDays: 30, trash: false });
    expect(rowNames().join()).toContain("Old Ouyang");
    expect(rowNames().join()).toContain("Never Ni");

    fireEvent.click(screen.getByTestId("export-button"));
    await click("export-format-csv");
    const exported = backend().calls.find((c) => c.command === "export_customers")?.args.query;
    expect(exported).toMatchObject({ inactiveDays: 30 });
    await waitFor(() => expect(screen.getByTestId("toast-message").textContent).toContain("Exported 2 customers"));

    // Saved with the segment too.
    fireEvent.click(screen.getByTestId("save-segment"));
    type("segment-name", "Gone quiet");
    await click("segment-save");
    expect(countOf(await segmentLink("Gone quiet"))).toBe("2");
    expect([...backend().segments.values()][0]?.filter.inactiveDays).toBe(30);

    fireEvent.click(screen.getByTestId("nav-customers"));
    await waitFor(() => expect(rowNames()).toHaveLength(3));
    fireEvent.change(select("filter-inactive"), { target: { value: "365" } });
    await waitFor(() => expect(rowNames()).toHaveLength(1));
    fireEvent.click(screen.getByTestId("clear-filters"));
    await waitFor(() => expect(rowNames()).toHaveLength(3));
    expect(select("filter-inactive").value).toBe("");
    expect(lastQuery()).not.toHaveProperty("inactiveDays");
  });

  it("deletes the open segment with an Undo that restores it", async () => {
    backend().seed({ name: "Alpha Tea", stage: "won" });
    const segment = backend().seedSegment("Won", { stage: "won" });
    render(<App />);
    fireEvent.click(await segmentLink("Won"));
    await waitFor(() => expect(title()).toBe("Won"));

    await click("segment-delete");
    await waitFor(() => expect(screen.queryByTestId("segment-link")).toBeNull());
    expect(backend().segments.get(segment.id)?.deleted).toBe(true);
    // Still the same list, now as the plain list.
    expect(title()).toBe("Customers");
    expect(select("filter-stage").value).toBe("won");
    const toast = screen.getByTestId("toast");
    expect(toast.getAttribute("data-kind")).toBe("segment-deleted");
    expect(within(toast).getByTestId("toast-message").textContent).toBe("Deleted the segment Won");

    await click("undo");
    const link = await segmentLink("Won");
    expect(link.getAttribute("data-id")).toBe(segment.id);
    expect(countOf(link)).toBe("1");
    expect(backend().segments.get(segment.id)?.deleted).toBe(false);
  });

  it("counts a new customer that matches a segment at once", async () => {
    backend().seed({ name: "Alpha Tea", kind: "company" });
    backend().seed({ name: "Wang Fang", kind: "person" });
    backend().seedSegment("People", { kind: "person" });
    render(<App />);
    const link = await segmentLink("People");
    await waitFor(() => expect(countOf(link)).toBe("1"));

    fireEvent.click(screen.getByTestId("new-person"));
    type("field-name", "Li Lei");
    await click("save");
    await screen.findByTestId("customer-detail");
    await waitFor(() => expect(countOf(screen.getByTestId("segment-link"))).toBe("2"));
  });

  it("reads in Chinese, with the core's messages in Chinese", async () => {
    backend().seed({ name: "Alpha Tea", stage: "won" });
    backend().seedSegment("赢得的客户", { stage: "won" });
    render(<App />);
    await act(async () => {
      await i18n.changeLanguage("zh-CN");
    });
    backend().locale = "zh-CN";
    const link = await segmentLink("赢得的客户");
    expect(link.getAttribute("aria-label")).toBe("赢得的客户，1 位客户");
    expect(screen.getByTestId("segment-list").textContent).toContain("客户分组");
    expect(select("filter-inactive").options[2]?.textContent).toBe("30 天内无活动");

    fireEvent.change(select("filter-inactive"), { target: { value: "90" } });
    fireEvent.click(screen.getByTestId("save-segment"));
    await click("segment-save");
    await waitFor(() => expect(document.querySelector('[data-error-for="name"]')?.textContent).toBe("名称：不能为空"));
  });
});
