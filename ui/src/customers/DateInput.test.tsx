/**
 * Dates in the customer form, in the whole app against the in-memory fake of the commands: typed
 * year first in both languages, read back in the language's words, stored as YYYY-MM-DD.
 */
import { act, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import i18n from "../i18n";
import { App } from "../shell/App";
import { useFakeBackend } from "../test/fakeBackend";

const { invoke } = vi.hoisted(() => ({ invoke: vi.fn() }));
vi.mock("@tauri-apps/api/core", () => ({ invoke }));

const backend = useFakeBackend(invoke);

const input = (testId: string) => screen.getByTestId(testId) as HTMLInputElement;

describe("dates in the customer form", () => {
  it("read year first in Chinese, for the birthday and a custom date field alike, and are saved as YYYY-MM-DD", async () => {
    const field = backend().seedField({ labelEn: "Signed on", labelZh: "签约日期", kind: "date" });
    render(<App />);
    await act(async () => {
      await i18n.changeLanguage("zh-CN");
    });
    fireEvent.click(await screen.findByTestId("new-person"));
    await screen.findByTestId(`field-custom-${field.id}`);

    for (const id of ["field-birthday", `field-custom-${field.id}`]) {
      expect(input(id).type).toBe("text");
      expect(input(id).value).toBe("");
      expect(input(id).placeholder).toBe("年-月-日");
    }
    fireEvent.change(input("field-name"), { target: { value: "王芳" } });
    fireEvent.change(input("field-birthday"), { target: { value: "1990年5月1日" } });
    fireEvent.change(input(`field-custom-${field.id}`), { target: { value: "2026/3/5" } });
    expect(screen.getByTestId("field-birthday-reads").textContent).toBe("1990年5月1日");
    expect(screen.getByTestId(`field-custom-${field.id}-reads`).textContent).toBe("2026年3月5日");

    await act(async () => {
      fireEvent.click(screen.getByTestId("save"));
    });
    await screen.findByTestId("customer-detail");
    const [stored] = [...backend().customers.values()].filter((c) => c.name === "王芳");
    expect(stored?.birthday).toBe("1990-05-01");
    expect(stored?.custom).toEqual([{ fieldId: field.id, value: "2026-03-05" }]);
    await waitFor(() => expect(screen.getByTestId("detail-birthday").textContent).toContain("1990年5月1日"));
  });

  it("are not asked of a company, whose page shows no birthday", async () => {
    const acme = backend().seed({ name: "Acme", kind: "company" });
    render(<App />);
    fireEvent.click(await screen.findByTestId("new-company"));
    await screen.findByTestId("customer-form");
    expect(screen.queryByTestId("field-birthday")).toBeNull();
    fireEvent.click(screen.getByTestId("cancel"));
    fireEvent.click(await screen.findByTestId("customer-row"));
    expect((await screen.findByTestId("customer-detail")).dataset.id).toBe(acme.id);
    expect(screen.queryByTestId("detail-birthday")).toBeNull();
    expect(screen.getByTestId("detail-owner")).toBeTruthy();
  });
});
