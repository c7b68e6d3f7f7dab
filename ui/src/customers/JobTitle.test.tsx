/**
 * A person's job title and department across the app, against the in-memory fake of the
 * commands: the detail page, the history, the list's optional columns, the merge page and import.
 */
import { act, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import i18n from "../i18n";
import { App } from "../shell/App";
import { useFakeBackend } from "../test/fakeBackend";

const { invoke, Channel } = vi.hoisted(() => {
  /** Tauri's Channel without the IPC: the fake backend calls `onmessage` itself. */
  class Channel<T> {
    onmessage: (message: T) => void = () => {};
  }
  return { invoke: vi.fn(), Channel };
});
vi.mock("@tauri-apps/api/core", () => ({ invoke, Channel }));

const backend = useFakeBackend(invoke);

describe("a person's job title and department", () => {
  it("show on the detail page beside the company, and in the history by name", async () => {
    const tea = backend().seed({ kind: "company", name: "Hangzhou Tea Co." });
    backend().seed({ name: "周敏", companyId: tea.id, jobTitle: "采购经理", department: "采购部" });
    render(<App />);
    fireEvent.click((await screen.findAllByTestId("customer-row")).find((row) => row.textContent?.includes("周敏"))!);
    await screen.findByTestId("customer-detail");

    expect(screen.getByTestId("detail-job").textContent).toBe("Job title / department采购经理 · 采购部");
    await waitFor(() => expect(screen.getAllByTestId("history-line").map((l) => l.textContent)).toContain("Job title: 采购经理"));
    expect(screen.getAllByTestId("history-line").map((l) => l.textContent)).toContain("Department: 采购部");

    await act(async () => {
      await i18n.changeLanguage("zh-CN");
    });
    expect(screen.getByTestId("detail-job").textContent).toBe("职位 / 部门采购经理 · 采购部");
    expect(screen.getAllByTestId("history-line").map((l) => l.textContent)).toContain("职位: 采购经理");
    await act(async () => {
      await i18n.changeLanguage("en");
    });
  });

  it("are left off the detail page when neither is set", async () => {
    backend().seed({ name: "李娜" });
    render(<App />);
    fireEvent.click((await screen.findAllByTestId("customer-row"))[0]!);
    await screen.findByTestId("customer-detail");
    expect(screen.queryByTestId("detail-job")).toBeNull();
  });

  it("are list columns the user switches on from the columns menu, off until then, and remembered", async () => {
    backend().seed({ name: "周敏", jobTitle: "采购经理", department: "采购部" });
    render(<App />);
    await screen.findAllByTestId("customer-row");
    expect(screen.queryByTestId("column-jobTitle")).toBeNull();
    expect(screen.queryByTestId("cell-jobTitle")).toBeNull();

    fireEvent.click(screen.getByTestId("columns-button"));
    const menu = screen.getByTestId("columns-menu");
    expect((within(menu).getByTestId("column-toggle-jobTitle") as HTMLInputElement).checked).toBe(false);
    fireEvent.click(within(menu).getByTestId("column-toggle-jobTitle"));
    fireEvent.click(within(menu).getByTestId("column-toggle-department"));
    expect(screen.getByTestId("column-jobTitle").textContent).toBe("Job title");
    expect(screen.getByTestId("column-department").textContent).toBe("Department");
    expect(screen.getByTestId("cell-jobTitle").textContent).toBe("采购经理");
    expect(screen.getByTestId("cell-department").textContent).toBe("采购部");
    expect(JSON.parse(localStorage.getItem("satchel.customerColumns") ?? "[]")).toEqual(["column:jobTitle", "column:department"]);

    fireEvent.click(within(menu).getByTestId("column-toggle-jobTitle"));
    expect(screen.queryByTestId("cell-jobTitle")).toBeNull();
    expect(screen.getByTestId("cell-department").textContent).toBe("采购部");
  });

  it("are rows of the merge page for people, the kept record's unless it has none", async () => {
    const older = backend().seed({ name: "Wang Fang", department: "Purchasing", emails: [{ id: null, label: "work", value: "wang@tea.cn" }] });
    const copy = backend().seed({ name: "王芳", jobTitle: "采购经理", department: "采购部", emails: [{ id: null, label: "work", value: "WANG@tea.cn" }] });
    render(<App />);
    fireEvent.click(await screen.findByTestId("nav-duplicates"));
    await screen.findAllByTestId("duplicate-pair");
    fireEvent.click(screen.getAllByTestId("duplicate-merge")[0]!);
    await screen.findByTestId("merge-confirm");

    expect(screen.getByTestId("merge-field-jobTitle").textContent).toContain("Job title");
    expect((screen.getByTestId("merge-pick-jobTitle-other") as HTMLInputElement).checked).toBe(true);
    expect((screen.getByTestId("merge-pick-department-keep") as HTMLInputElement).checked).toBe(true);

    fireEvent.click(screen.getByTestId("merge-confirm"));
    await screen.findByTestId("customer-detail");
    const merge = backend().calls.find((c) => c.command === "merge_customers")!;
    expect(merge.args).toMatchObject({ keep: older.id, other: copy.id, choices: { jobTitle: "other", department: "keep" } });
    expect(screen.getByTestId("detail-job").textContent).toContain("采购经理 · Purchasing");
  });

  it("are no rows of the merge page for companies", async () => {
    backend().seed({ kind: "company", name: "Tea Co", emails: [{ id: null, label: "work", value: "info@tea.cn" }] });
    backend().seed({ kind: "company", name: "茶公司", emails: [{ id: null, label: "work", value: "info@tea.cn" }] });
    render(<App />);
    fireEvent.click(await screen.findByTestId("nav-duplicates"));
    await screen.findAllByTestId("duplicate-pair");
    fireEvent.click(screen.getAllByTestId("duplicate-merge")[0]!);
    await screen.findByTestId("merge-confirm");
    expect(screen.queryByTestId("merge-field-jobTitle")).toBeNull();
    expect(screen.queryByTestId("merge-field-department")).toBeNull();
  });

  it("are fields a column can import as, in both languages, and a 职位 / 部门 column is guessed as them", async () => {
    render(<App />);
    fireEvent.click(await screen.findByTestId("import-button"));
    const input = await screen.findByTestId("import-file-input");
    const csv = ["姓名,职位,部门", "周敏,采购经理,采购部"].join("\n");
    fireEvent.change(input, { target: { files: [new File([csv], "客户.csv")] } });
    await screen.findByTestId("import-preview");
    const select = (testId: string) => screen.getByTestId(testId) as HTMLSelectElement;
    expect(select("import-map-1").value).toBe("job_title");
    expect(select("import-map-2").value).toBe("department");
    expect([...select("import-map-1").options].map((o) => o.textContent)).toEqual(expect.arrayContaining(["Job title", "Department"]));

    fireEvent.click(screen.getByTestId("import-check"));
    await screen.findByTestId("import-summary");
    fireEvent.click(screen.getByTestId("import-confirm"));
    await screen.findByTestId("import-done");
    expect([...backend().customers.values()].map((c) => [c.name, c.jobTitle, c.department])).toEqual([["周敏", "采购经理", "采购部"]]);

    await act(async () => {
      await i18n.changeLanguage("zh-CN");
    });
    fireEvent.click(screen.getByTestId("import-again"));
    fireEvent.change(await screen.findByTestId("import-file-input"), { target: { files: [new File([csv], "客户.csv")] } });
    await screen.findByTestId("import-preview");
    expect([...select("import-map-1").options].map((o) => o.textContent)).toEqual(expect.arrayContaining(["职位", "部门"]));
    await act(async () => {
      await i18n.changeLanguage("en");
    });
  });
});
