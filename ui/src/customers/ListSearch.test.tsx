/**
 * Searching customers from the top bar and in the list, in the whole app against the in-memory
 * fake of the commands: how many matched, "Show all in the list", Escape clearing the box and the
 * list's search together, namesakes told apart, and the list's own search box.
 */
import { act, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import i18n from "../i18n";
import { App } from "../shell/App";
import { useFakeBackend } from "../test/fakeBackend";

const { invoke } = vi.hoisted(() => ({ invoke: vi.fn() }));
vi.mock("@tauri-apps/api/core", () => ({ invoke }));

const backend = useFakeBackend(invoke);

const box = () => screen.getByTestId("search-input") as HTMLInputElement;
const listSearch = () => screen.getByTestId("list-search") as HTMLInputElement;
const rowNames = () => screen.queryAllByTestId("customer-row").map((r) => r.querySelector(".cell-name")?.textContent);
const hitTexts = () => screen.getAllByTestId("search-result").map((h) => h.querySelector(".option-main")?.textContent);

/** Types into the top bar's box and waits for the answer to exactly that text. */
async function searchFor(text: string): Promise<HTMLElement> {
  const input = await screen.findByTestId("search-input");
  fireEvent.focus(input);
  fireEvent.change(input, { target: { value: text } });
  await waitFor(() => {
    const results = screen.getByTestId("search-results");
    expect(results.dataset.answered).toBe(text);
    expect(results.getAttribute("aria-busy")).toBe("false");
  });
  return screen.getByTestId("search-results");
}

function seedTea(n: number) {
  for (let i = 1; i <= n; i++) backend().seed({ name: `Tea Shop ${String(i).padStart(2, "0")}`, kind: "company" });
}

describe("the search box's results", () => {
  it("say how many matched, with a + when there are more than it shows", async () => {
    seedTea(25);
    backend().seed({ name: "Coffee House" });
    render(<App />);
    await searchFor("tea");
    // The first five are shown; the count says how many were found, "Show all" opens the rest.
    expect(screen.getAllByTestId("search-result").map((r) => r.textContent?.slice(0, 11))).toEqual(["Tea Shop 01", "Tea Shop 02", "Tea Shop 03", "Tea Shop 04", "Tea Shop 05"]);
    expect(screen.getByTestId("search-count").textContent).toBe("20+ matches");

    await searchFor("coffee");
    expect(screen.getAllByTestId("search-result")).toHaveLength(1);
    expect(screen.getByTestId("search-count").textContent).toBe("1 match");
  });

  it("say it in Chinese too", async () => {
    seedTea(3);
    render(<App />);
    await act(async () => {
      await i18n.changeLanguage("zh-CN");
    });
    await searchFor("tea");
    expect(screen.getByTestId("search-count").textContent).toBe("3 个匹配");
    expect(screen.getByTestId("search-show-all").textContent).toBe("在列表中显示全部");
  });

  it("show all in the list: the list searches for the text, every other filter cleared", async () => {
    seedTea(3);
    backend().seed({ name: "Coffee House" });
    backend().seed({ name: "Water Co", kind: "company" });
    render(<App />);
    await waitFor(() => expect(rowNames()).toHaveLength(5));
    // A filter the matches would not all pass: showing all of them clears it.
    fireEvent.click(screen.getByTestId("filter-kind-person"));
    await waitFor(() => expect(rowNames()).toEqual(["Coffee House"]));

    await searchFor("tea");
    fireEvent.click(screen.getByTestId("search-show-all"));
    // The count follows the rows a moment later (the page hears the total from the table).
    await waitFor(() => expect(screen.getByTestId("customer-count").textContent).toBe("3 matches"));
    expect(rowNames()).toHaveLength(3);
    expect(rowNames().every((name) => name?.startsWith("Tea Shop"))).toBe(true);
    expect(listSearch().value).toBe("tea");
    expect(screen.getByTestId("filter-kind-all").getAttribute("aria-pressed")).toBe("true");
    // The popover is gone; the box still says what the list searches for.
    expect(screen.queryByTestId("search-results")).toBeNull();
    expect(box().value).toBe("tea");
  });

  it("reach Show all with the arrow keys and Enter, from any page", async () => {
    seedTea(2);
    render(<App />);
    fireEvent.click(await screen.findByTestId("nav-trash"));
    await searchFor("tea");
    fireEvent.keyDown(box(), { key: "ArrowDown" });
    fireEvent.keyDown(box(), { key: "ArrowDown" });
    expect(screen.getByTestId("search-show-all").getAttribute("aria-selected")).toBe("true");
    fireEvent.keyDown(box(), { key: "Enter" });
    await waitFor(() => expect(rowNames()).toEqual(expect.arrayContaining(["Tea Shop 01", "Tea Shop 02"])));
    expect(screen.getByTestId("nav-customers").getAttribute("aria-current")).toBe("page");
  });

  it("Escape in the box clears the box and the list's search together", async () => {
    seedTea(3);
    backend().seed({ name: "Coffee House" });
    render(<App />);
    await searchFor("tea");
    fireEvent.click(screen.getByTestId("search-show-all"));
    await waitFor(() => expect(rowNames()).toHaveLength(3));

    fireEvent.focus(box());
    fireEvent.keyDown(box(), { key: "Escape" });
    expect(box().value).toBe("");
    expect(listSearch().value).toBe("");
    await waitFor(() => expect(screen.getByTestId("customer-count").textContent).toBe("4 customers"));
    expect(rowNames()).toHaveLength(4);
  });

  it("tell namesakes apart: by company, else by phone, and leave other hits as they were", async () => {
    const tea = backend().seed({ name: "Hangzhou Tea Co.", kind: "company" });
    const silk = backend().seed({ name: "Suzhou Silk Ltd", kind: "company" });
    backend().seed({ name: "王伟", companyId: tea.id, phones: [{ id: null, label: "mobile", value: "+86 138 0000 0001" }] });
    backend().seed({ name: "王伟", companyId: silk.id, phones: [{ id: null, label: "mobile", value: "+86 138 0000 0001" }] });
    backend().seed({ name: "王芳", phones: [{ id: null, label: "mobile", value: "+86 139 0000 0009" }] });
    backend().seed({ name: "李娜", phones: [{ id: null, label: "mobile", value: "+86 138 0000 0002" }] });
    backend().seed({ name: "李娜", phones: [{ id: null, label: "mobile", value: "+86 138 0000 0003" }] });
    render(<App />);

    await searchFor("王");
    expect(hitTexts().sort()).toEqual(["王伟 · Hangzhou Tea Co.", "王伟 · Suzhou Silk Ltd", "王芳"]);

    await searchFor("李娜");
    expect(hitTexts().sort()).toEqual(["李娜 · +86 138 0000 0002", "李娜 · +86 138 0000 0003"]);
  });

  it("tell namesakes at one company apart by job title, and say a hit matched on the job", async () => {
    const tea = backend().seed({ name: "Hangzhou Tea Co.", kind: "company" });
    backend().seed({ name: "张伟", companyId: tea.id, jobTitle: "采购经理", department: "采购部" });
    backend().seed({ name: "张伟", companyId: tea.id, jobTitle: "销售总监" });
    render(<App />);

    await searchFor("张伟");
    expect(hitTexts().sort()).toEqual(["张伟 · Hangzhou Tea Co. · 采购经理", "张伟 · Hangzhou Tea Co. · 销售总监"]);

    const results = await searchFor("采购部");
    const [hit, ...others] = within(results).getAllByTestId("search-result");
    expect(others).toHaveLength(0);
    expect(within(hit!).getByText("Job").getAttribute("title")).toBe("Matched in this field");
  });
});

describe("the list's own search", () => {
  it("narrows the list as it is typed, with the other filters, and Escape or Clear filters ends it", async () => {
    backend().seed({ name: "Tea Shop 01", kind: "company", stage: "won" });
    backend().seed({ name: "Tea Shop 02", kind: "company", stage: "lead" });
    backend().seed({ name: "Coffee House" });
    render(<App />);
    await waitFor(() => expect(rowNames()).toHaveLength(3));

    fireEvent.change(listSearch(), { target: { value: "tea" } });
    await waitFor(() => expect(rowNames()).toHaveLength(2));
    fireEvent.change(screen.getByTestId("filter-stage"), { target: { value: "won" } });
    await waitFor(() => expect(screen.getByTestId("customer-count").textContent).toBe("1 match"));
    expect(rowNames()).toEqual(["Tea Shop 01"]);

    // A search cannot be saved as a segment, exported, or combined with "No activity for".
    expect(screen.queryByTestId("save-segment")).toBeNull();
    expect((screen.getByTestId("export-button") as HTMLButtonElement).disabled).toBe(true);
    expect((screen.getByTestId("filter-inactive") as HTMLSelectElement).disabled).toBe(true);

    fireEvent.keyDown(listSearch(), { key: "Escape" });
    expect(listSearch().value).toBe("");
    // The stage filter stays; only the search went.
    await waitFor(() => expect(rowNames()).toEqual(["Tea Shop 01"]));
    expect(screen.getByTestId("save-segment")).toBeTruthy();

    fireEvent.change(listSearch(), { target: { value: "nothing like it" } });
    const empty = await screen.findByTestId("empty-state");
    expect(empty.textContent).toContain("No customers match “nothing like it”");
    fireEvent.click(within(empty).getByRole("button"));
    await waitFor(() => expect(rowNames()).toHaveLength(3));
    expect(listSearch().value).toBe("");
  });

  it("says when it shows only the search's best hits, and never asks the list for the text", async () => {
    for (let i = 0; i < 205; i++) backend().seed({ name: `Tea ${i}` });
    render(<App />);
    await screen.findAllByTestId("customer-row");
    fireEvent.change(listSearch(), { target: { value: "tea" } });
    await waitFor(() => expect(screen.getByTestId("customer-count").textContent).toBe("200+ matches"));
    expect(screen.getByTestId("list-search-capped").textContent).toBe("Showing the best 200 matches: type more to narrow the search.");
    expect(backend().calls.filter((c) => c.command === "list_customers").every((c) => !("text" in (c.args.query as object)))).toBe(true);
  });
});
