import { act, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import { App } from "../shell/App";
import { useFakeBackend } from "../test/fakeBackend";

const { invoke } = vi.hoisted(() => ({ invoke: vi.fn() }));
vi.mock("@tauri-apps/api/core", () => ({ invoke }));
const backend = useFakeBackend(invoke);

describe("a removed field brought back by Undo while the record's form is open", () => {
  it("shows its stored value in the form, and Save keeps it", async () => {
    const level = backend().seedField({
      labelEn: "Level", labelZh: "等级", kind: "choice", scope: "both",
      options: [{ key: "", en: "Gold", zh: "金牌" }, { key: "", en: "Silver", zh: "银牌" }],
    });
    const wang = backend().seed({ name: "王小明", kind: "person", custom: [{ fieldId: level.id, value: "o1" }] });
    render(<App />);
    fireEvent.click(screen.getByTestId("nav-settings"));
    { const el = await screen.findByTestId(`cf-remove-${level.id}`); await act(async () => { fireEvent.click(el); }); }
    { const el = await screen.findByTestId("cf-remove-confirm"); await act(async () => { fireEvent.click(el); }); }
    await waitFor(() => expect(screen.queryByTestId(`cf-remove-${level.id}`)).toBeNull());

    fireEvent.click(screen.getByTestId("nav-customers"));
    fireEvent.click(await screen.findByText("王小明"));
    { const el = await screen.findByTestId("edit"); await act(async () => { fireEvent.click(el); }); }
    await screen.findByTestId("customer-form");
    expect(screen.queryByTestId(`field-custom-${level.id}`)).toBeNull();

    await act(async () => { fireEvent.click(within(screen.getByTestId("toast")).getByTestId("undo")); });
    const select = (await screen.findByTestId(`field-custom-${level.id}`)) as HTMLSelectElement;
    await waitFor(() => expect(select.value).toBe("o1"));
    fireEvent.change(screen.getByTestId("field-owner"), { target: { value: "李娜" } });
    await act(async () => { fireEvent.click(screen.getByTestId("save")); });
    await screen.findByTestId("detail-name");
    expect(((await backend().invoke("get_customer", { id: wang.id })) as { custom: unknown }).custom).toEqual([{ fieldId: level.id, value: "o1" }]);
  });
});
