/**
 * Exporting from the customer list, against the in-memory fake of the commands: the list's own
 * filters and order go to the backend, the toast says how many and where, and the menu works
 * from the keyboard.
 */
import { act, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import i18n from "../i18n";
import { App } from "../shell/App";
import { useFakeBackend } from "../test/fakeBackend";

const { invoke } = vi.hoisted(() => ({ invoke: vi.fn() }));
vi.mock("@tauri-apps/api/core", () => ({ invoke }));

const backend = useFakeBackend(invoke);
const exports = () => backend().calls.filter((c) => c.command === "export_customers");

describe("exporting customers", () => {
  it("exports what the list shows, filtered and sorted, and says where the file went", async () => {
    backend().seed({ name: "Wang Fang", stage: "won", tags: ["vip"] });
    backend().seed({ name: "Li Lei", stage: "won" });
    backend().seed({ name: "Zhao Min", stage: "lead" });
    render(<App />);
    await screen.findAllByTestId("customer-row");

    fireEvent.change(screen.getByTestId("filter-stage"), { target: { value: "won" } });
    fireEvent.click(screen.getByTestId("sort-name"));
    await waitFor(() => expect(screen.getAllByTestId("customer-row")).toHaveLength(2));

    fireEvent.click(screen.getByTestId("export-button"));
    fireEvent.click(screen.getByTestId("export-format-vcard4"));

    const toast = await screen.findByTestId("toast");
    expect(toast.getAttribute("data-kind")).toBe("export");
    expect(toast.querySelector('[data-testid="toast-message"]')?.textContent).toBe(
      "Exported 2 customers to /home/test/Downloads/satchel-customers.vcf",
    );
    expect(exports()).toEqual([
      {
        command: "export_customers",
        args: {
          query: { sort: "name", descending: false, stage: "won", tag: null, owner: null, kind: null, trash: false, offset: 0, limit: 0 },
          format: "vcard4",
        },
      },
    ]);
    expect(screen.queryByTestId("export-format-csv")).toBeNull();
  });

  it("is a menu the keyboard can drive", async () => {
    backend().seed({ name: "Wang Fang" });
    render(<App />);
    await screen.findAllByTestId("customer-row");
    const button = screen.getByTestId("export-button");
    expect(button.getAttribute("aria-haspopup")).toBe("menu");
    expect(button.getAttribute("aria-expanded")).toBe("false");

    button.focus();
    fireEvent.keyDown(button, { key: "ArrowDown" });
    expect(button.getAttribute("aria-expanded")).toBe("true");
    expect(screen.getByRole("menu").getAttribute("id")).toBe(button.getAttribute("aria-controls"));
    expect(document.activeElement).toBe(screen.getByTestId("export-format-csv"));
    fireEvent.keyDown(document.activeElement!, { key: "ArrowDown" });
    expect(document.activeElement).toBe(screen.getByTestId("export-format-vcard4"));
    fireEvent.keyDown(document.activeElement!, { key: "End" });
    expect(document.activeElement).toBe(screen.getByTestId("export-format-vcard3"));
    fireEvent.keyDown(document.activeElement!, { key: "ArrowDown" });
    expect(document.activeElement).toBe(screen.getByTestId("export-format-csv"));

    fireEvent.keyDown(document.activeElement!, { key: "Escape" });
    expect(screen.queryByRole("menu")).toBeNull();
    expect(document.activeElement).toBe(button);

    fireEvent.keyDown(button, { key: "ArrowUp" });
    expect(document.activeElement).toBe(screen.getByTestId("export-format-vcard3"));
    fireEvent.click(document.activeElement!);
    await screen.findByTestId("toast");
    expect(exports().map((c) => c.args.format)).toEqual(["vcard3"]);
    expect(document.activeElement).toBe(button);
  });

  it("closes when the user clicks elsewhere", async () => {
    render(<App />);
    fireEvent.click(await screen.findByTestId("export-button"));
    expect(screen.getByRole("menu")).toBeTruthy();
    fireEvent.mouseDown(document.body);
    expect(screen.queryByRole("menu")).toBeNull();
    expect(exports()).toEqual([]);
  });

  it("speaks Chinese and shows the backend's reason when the export fails", async () => {
    backend().seed({ name: "王芳" });
    render(<App />);
    await screen.findAllByTestId("customer-row");
    await act(async () => {
      await i18n.changeLanguage("zh-CN");
    });

    fireEvent.click(screen.getByTestId("export-button"));
    expect(screen.getByTestId("export-format-csv").textContent).toBe("CSV（Excel）");
    fireEvent.click(screen.getByTestId("export-format-csv"));
    expect((await screen.findByTestId("toast-message")).textContent).toBe(
      "已将 1 位客户导出到 /home/test/Downloads/satchel-customers.csv",
    );

    invoke.mockImplementation(async (command: string, ...rest: [Record<string, unknown>]) => {
      if (command === "export_customers") throw { code: "storage", message: "无法写入下载文件夹", field: null };
      return backend().invoke(command, ...rest);
    });
    fireEvent.click(screen.getByTestId("export-button"));
    fireEvent.click(screen.getByTestId("export-format-csv"));
    await waitFor(() => expect(screen.getAllByTestId("toast")).toHaveLength(2));
    const failed = screen.getAllByTestId("toast")[1]!;
    expect(failed.className).toContain("toast-error");
    expect(failed.textContent).toContain("无法导出：无法写入下载文件夹");
  });
});
