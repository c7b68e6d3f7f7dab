/**
 * Merging a duplicate pair inside the whole app, against the in-memory fake of the commands:
 * reached from "Find duplicates", field-by-field picks with sensible defaults, a preview of the
 * lists both records keep, and an Undo in the toast that brings the other record back.
 */
import { act, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import type { Customer, MergeOutcome } from "../bindings";
import i18n from "../i18n";
import { App } from "../shell/App";
import { useFakeBackend } from "../test/fakeBackend";

const { invoke } = vi.hoisted(() => ({ invoke: vi.fn() }));
vi.mock("@tauri-apps/api/core", () => ({ invoke }));

const backend = useFakeBackend(invoke);

const callsOf = (command: string) => backend().calls.filter((c) => c.command === command);

/** Two records of one person: Wang Fang (older, kept by default) and a later copy, 王芳. */
function seedPair(): { company: Customer; wang: Customer; copy: Customer } {
  const company = backend().seed({ kind: "company", name: "Hangzhou Tea Co." });
  const wang = backend().seed({
    name: "Wang Fang",
    owner: "",
    source: "Trade fair",
    stage: "lead",
    phones: [{ id: null, label: "mobile", value: "+86 138-0013-8000" }],
    emails: [{ id: null, label: "work", value: "wang@tea.cn" }],
    tags: ["tea"],
  });
  const copy = backend().seed({
    name: "王芳",
    companyId: company.id,
    owner: "Li Na",
    source: "",
    stage: "won",
    birthday: "1990-05-01",
    phones: [
      { id: null, label: "work", value: "13800138000" },
      { id: null, label: "home", value: "139 0000 0000" },
    ],
    emails: [
      { id: null, label: "work", value: "WANG@tea.cn" },
      { id: null, label: "home", value: "fang@qq.com" },
    ],
    tags: ["tea", "vip"],
  });
  return { company, wang, copy };
}

/** Opens Find duplicates and the merge page of its first (or `index`th) pair. */
async function openMerge(index = 0): Promise<HTMLElement> {
  fireEvent.click(await screen.findByTestId("nav-duplicates"));
  await screen.findAllByTestId("duplicate-pair");
  fireEvent.click(screen.getAllByTestId("duplicate-merge")[index]!);
  await screen.findByTestId("merge-confirm");
  return screen.getByTestId("merge");
}

const radio = (testId: string) => screen.getByTestId(testId) as HTMLInputElement;

describe("merge duplicates", () => {
  it("opens from a pair on Find duplicates, with that pair side by side", async () => {
    backend().seed({ name: "Li Lei", emails: [{ id: null, label: "work", value: "li@example.com" }] });
    backend().seed({ name: "Lei Li", emails: [{ id: null, label: "home", value: "LI@example.com" }] });
    const { wang, copy } = seedPair();
    render(<App />);

    await openMerge(1);
    expect(screen.getByTestId("merge-record-a").getAttribute("data-id")).toBe(wang.id);
    expect(screen.getByTestId("merge-record-a").textContent).toContain("Wang Fang");
    expect(screen.getByTestId("merge-record-b").getAttribute("data-id")).toBe(copy.id);
    expect(screen.getByTestId("merge-record-b").textContent).toContain("王芳");
    expect(callsOf("get_customer").map((c) => c.args.id)).toEqual([wang.id, copy.id]);
    // Still under Find duplicates in the sidebar; the left record is the one kept.
    expect(screen.getByTestId("nav-duplicates").getAttribute("aria-current")).toBe("page");
    expect(radio("merge-survivor-a").checked).toBe(true);
    expect(radio("merge-survivor-b").checked).toBe(false);
  });

  it("picks the kept record's value by default, unless it is empty and the other's is not", async () => {
    const { company, wang, copy } = seedPair();
    render(<App />);
    await openMerge();

    expect(radio("merge-pick-name-keep").checked).toBe(true);
    expect(radio("merge-pick-company-other").checked).toBe(true); // Wang Fang has no company
    expect(radio("merge-pick-owner-other").checked).toBe(true); // nor an owner
    expect(radio("merge-pick-stage-keep").checked).toBe(true); // both have one: the kept record's
    expect(radio("merge-pick-source-keep").checked).toBe(true);
    expect(radio("merge-pick-birthday-other").checked).toBe(true);
    // Equal values are shown once, with nothing to pick.
    expect(screen.getByTestId("merge-field-notes").getAttribute("data-same")).toBe("true");
    expect(screen.queryByTestId("merge-pick-notes-keep")).toBeNull();
    expect(screen.getByTestId("merge-field-company").textContent).toContain("Hangzhou Tea Co.");
    expect(screen.getByTestId("merge-confirm").textContent).toBe("Merge into Wang Fang");

    fireEvent.click(screen.getByTestId("merge-confirm"));
    await screen.findByTestId("customer-detail");
    expect(callsOf("merge_customers")).toEqual([
      {
        command: "merge_customers",
        args: {
          keep: wang.id,
          other: copy.id,
          choices: { name: "keep", companyId: "other", jobTitle: "keep", department: "keep", owner: "other", stage: "keep", source: "keep", birthday: "other", notes: "keep" },
        },
      },
    ]);
    expect(screen.getByTestId("detail-owner").textContent).toContain("Li Na");
    expect(screen.getByTestId("company-link").textContent).toBe(company.name);
  });

  it("sends the values the user picks, and keeps them when the other record becomes the one kept", async () => {
    const { wang, copy } = seedPair();
    render(<App />);
    await openMerge();

    fireEvent.click(screen.getByTestId("merge-pick-name-other"));
    fireEvent.click(screen.getByTestId("merge-pick-stage-other"));
    expect(radio("merge-pick-name-other").checked).toBe(true);
    expect(radio("merge-pick-name-keep").checked).toBe(false);
    expect(screen.getByTestId("merge-confirm").textContent).toBe("Merge into 王芳");

    // Keep 王芳's record instead: the picked values stay picked (now the kept record's), and the
    // untouched fields follow the new kept record.
    fireEvent.click(screen.getByTestId("merge-survivor-b"));
    expect(radio("merge-survivor-b").checked).toBe(true);
    expect(radio("merge-pick-name-keep").checked).toBe(true);
    expect(radio("merge-pick-stage-keep").checked).toBe(true);
    expect(radio("merge-pick-source-other").checked).toBe(true); // 王芳 has no source
    fireEvent.click(screen.getByTestId("merge-pick-owner-other")); // Wang Fang's owner: none
    expect(screen.getByTestId("merge-confirm").textContent).toBe("Merge into 王芳");

    fireEvent.click(screen.getByTestId("merge-confirm"));
    await screen.findByTestId("customer-detail");
    expect(callsOf("merge_customers")[0]!.args).toEqual({
      keep: copy.id,
      other: wang.id,
      choices: { name: "keep", companyId: "keep", jobTitle: "keep", department: "keep", owner: "other", stage: "keep", source: "other", birthday: "keep", notes: "keep" },
    });
    expect(screen.getByTestId("customer-detail").getAttribute("data-id")).toBe(copy.id);
  });

  it("previews every phone, email, address and tag of both, each number or email once", async () => {
    seedPair();
    render(<App />);
    await openMerge();

    const items = (list: string) =>
      within(screen.getByTestId(`merge-kept-${list}`))
        .queryAllByTestId("merge-kept-item")
        .map((li) => li.textContent);
    // +86 138-0013-8000 and 13800138000 are one number; WANG@tea.cn is wang@tea.cn.
    expect(items("phones")).toEqual(["Mobile +86 138-0013-8000 ", "Home 139 0000 0000 from 王芳"]);
    expect(items("emails")).toEqual(["Work wang@tea.cn ", "Home fang@qq.com from 王芳"]);
    expect(items("tags")).toEqual(["tea ", "vip from 王芳"]);
    expect(items("addresses")).toEqual([]);

    // The other way round, the kept record's entries come first.
    fireEvent.click(screen.getByTestId("merge-survivor-b"));
    expect(items("phones")).toEqual(["Work 13800138000 ", "Home 139 0000 0000 "]);
    expect(items("emails")).toEqual(["Work WANG@tea.cn ", "Home fang@qq.com "]);
  });

  it("goes to the kept record with an Undo toast, and Undo brings the other record back", async () => {
    const { wang, copy } = seedPair();
    render(<App />);
    await openMerge();

    fireEvent.click(screen.getByTestId("merge-confirm"));
    const detail = await screen.findByTestId("customer-detail");
    expect(detail.getAttribute("data-id")).toBe(wang.id);
    const toast = screen.getByTestId("toast");
    expect(toast.getAttribute("data-kind")).toBe("merge");
    expect(within(toast).getByTestId("toast-message").textContent).toBe("Merged 王芳 and Wang Fang into one record: Wang Fang");
    expect(backend().customers.has(copy.id)).toBe(false);

    const mergeIndex = invoke.mock.calls.findIndex(([command]) => command === "merge_customers");
    const outcome = (await invoke.mock.results[mergeIndex]!.value) as MergeOutcome;

    fireEvent.click(within(toast).getByTestId("merge-undo"));
    await waitFor(() => expect(screen.getByTestId("toast-message").textContent).toBe("Merge undone"));
    expect(callsOf("undo_merge")).toEqual([{ command: "undo_merge", args: { token: outcome.undoToken } }]);
    // The kept record shows its own values again.
    await waitFor(() => expect(screen.getByTestId("detail-owner").textContent).toBe("Owner—"));

    // Both are live again, so Find duplicates lists the pair once more. Back leads there: the
    // merge page was replaced by the kept record's, never returned to.
    fireEvent.click(screen.getByRole("button", { name: "Back" }));
    const pair = await screen.findByTestId("duplicate-pair");
    expect(pair.getAttribute("data-ids")).toBe(`${wang.id} ${copy.id}`);
  });

  it("opens the restored record from the undo toast", async () => {
    const { copy } = seedPair();
    render(<App />);
    await openMerge();

    fireEvent.click(screen.getByTestId("merge-confirm"));
    fireEvent.click(await screen.findByTestId("merge-undo"));
    fireEvent.click(await screen.findByTestId("toast-open"));
    await waitFor(() => expect(screen.getByTestId("customer-detail").getAttribute("data-id")).toBe(copy.id));
    expect(screen.getByTestId("detail-name").textContent).toBe("王芳");
  });

  it("shows why a merge failed and stays on the page", async () => {
    const { copy } = seedPair();
    render(<App />);
    await openMerge();

    // Someone moved the other record to the trash after the page opened.
    backend().customers.set(copy.id, { ...copy, deletedAt: "2025-03-02T00:00:00Z" });
    fireEvent.click(screen.getByTestId("merge-confirm"));
    const error = await screen.findByTestId("merge-error");
    expect(error.textContent).toBe("Could not merge: This record no longer exists (it may have been deleted).");
    expect(error.getAttribute("role")).toBe("alert");
    expect(screen.getByTestId("merge")).toBeTruthy();
    expect((screen.getByTestId("merge-confirm") as HTMLButtonElement).disabled).toBe(false);
    expect(screen.queryByTestId("merge-undo")).toBeNull();
  });

  it("does not offer to merge a company with a person", async () => {
    backend().seed({ kind: "company", name: "Tea Co.", emails: [{ id: null, label: "work", value: "info@tea.cn" }] });
    backend().seed({ name: "Wang Fang", emails: [{ id: null, label: "work", value: "info@tea.cn" }] });
    render(<App />);
    await openMerge();

    expect(screen.getByTestId("merge-error").textContent).toBe("A company and a person cannot be merged.");
    expect((screen.getByTestId("merge-confirm") as HTMLButtonElement).disabled).toBe(true);
    expect(screen.queryByTestId("merge-field-company")).toBeNull();
    expect(callsOf("merge_customers")).toEqual([]);
  });

  it("speaks Chinese", async () => {
    seedPair();
    render(<App />);
    await act(async () => {
      await i18n.changeLanguage("zh-CN");
    });
    await openMerge();

    // A space where Chinese meets a Latin name (it asserted "合并到Wang Fang" before).
    expect(screen.getByTestId("merge-confirm").textContent).toBe("合并到 Wang Fang");
    expect(screen.getByTestId("merge-survivor-a").closest("label")!.textContent).toBe("保留此记录");
    fireEvent.click(screen.getByTestId("merge-confirm"));
    expect((await screen.findByTestId("toast-message")).textContent).toBe("已将 王芳 和 Wang Fang 合并为一条记录：Wang Fang");
    expect(screen.getByTestId("merge-undo").textContent).toBe("撤销");
  });
});
