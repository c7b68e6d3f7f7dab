/**
 * The keyboard on and around a customer's page, in the whole app against the in-memory fake of the
 * commands: the Delete key asks before moving the record to the trash, and focus lands where the
 * user goes on from (the record's heading, the row they came from, the row that took a deleted
 * record's place) instead of falling back to the top of the window.
 */
import { act, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import { App } from "../shell/App";
import { useFakeBackend } from "../test/fakeBackend";
import { passTime, useFakeClock } from "../test/timers";
import { FETCH_THROTTLE_MS } from "./useCustomerPages";

const { invoke } = vi.hoisted(() => ({ invoke: vi.fn() }));
vi.mock("@tauri-apps/api/core", () => ({ invoke }));

const backend = useFakeBackend(invoke);

const press = (key: string, target: Element | Window = document.activeElement ?? window, init: KeyboardEventInit = {}) =>
  fireEvent.keyDown(target, { key, ...init });
const rows = () => screen.getAllByTestId("customer-row");
const rowIds = () => rows().map((r) => r.getAttribute("data-id"));
const deletes = () => backend().calls.filter((c) => c.command === "delete_customer");

/** The list with `names` seeded, each row loaded; returns their ids in the list's order. */
async function listOf(...names: string[]): Promise<string[]> {
  for (const name of names) backend().seed({ name });
  render(<App />);
  await waitFor(() => expect(rows()).toHaveLength(names.length));
  return rowIds() as string[];
}

/** Opens the row at `index` as a click does, and waits for its page with focus on the heading. */
async function openRow(index: number) {
  fireEvent.click(rows()[index]!);
  await screen.findByTestId("customer-detail");
  await waitFor(() => expect(document.activeElement).toBe(screen.getByTestId("detail-name")));
}

describe("the Delete key on a customer's page", () => {
  it("asks first; Escape keeps the record and gives focus back, Enter on the focused Delete moves it to the trash", async () => {
    const [first] = await listOf("Acme Trading", "Beta Ltd");
    await openRow(0);
    const name = screen.getByTestId("detail-name").textContent;

    press("Delete");
    const dialog = await screen.findByTestId("customer-delete-dialog");
    expect(within(dialog).getByRole("heading").textContent).toBe(`Delete ${name}?`);
    expect(dialog.textContent).toContain("It goes to the trash; you can undo.");
    // Delete is focused: Delete, then Enter, is the quick way through.
    const confirm = within(dialog).getByTestId("customer-delete-confirm");
    expect(confirm.textContent).toBe("Delete");
    expect(within(dialog).getByTestId("customer-delete-cancel").textContent).toBe("Cancel");
    expect(document.activeElement).toBe(confirm);

    press("Escape", confirm);
    expect(screen.queryByTestId("customer-delete-dialog")).toBeNull();
    expect(document.activeElement).toBe(screen.getByTestId("detail-name"));
    expect(deletes()).toHaveLength(0);
    expect(backend().customers.get(first!)?.deletedAt).toBeNull();

    press("Delete");
    const again = within(await screen.findByTestId("customer-delete-dialog")).getByTestId("customer-delete-confirm");
    expect(document.activeElement).toBe(again);
    // A focused button's Enter is its click (jsdom does not synthesise that click itself).
    await act(async () => {
      fireEvent.click(again);
    });
    // Exactly as the Delete button: back on the list, with a toast that offers Undo.
    await waitFor(() => expect(backend().customers.get(first!)?.deletedAt).not.toBeNull());
    expect(deletes()).toEqual([{ command: "delete_customer", args: { id: first } }]);
    expect(screen.queryByTestId("customer-detail")).toBeNull();
    expect(within(await screen.findByTestId("toast")).getByTestId("toast-message").textContent).toBe(`Moved ${name} to trash`);
    expect(screen.getByTestId("undo")).toBeTruthy();
    await waitFor(() => expect(rowIds()).not.toContain(first));
  });

  it("is cancelled by the Cancel button too, and says a company's people keep it", async () => {
    const acme = backend().seed({ kind: "company", name: "Acme Trading" });
    render(<App />);
    fireEvent.click(await screen.findByTestId("customer-row"));
    await screen.findByTestId("customer-detail");
    // Focus on the Edit button: Cancel goes back to it.
    const edit = screen.getByTestId("edit");
    edit.focus();

    press("Delete");
    const dialog = await screen.findByTestId("customer-delete-dialog");
    expect(dialog.textContent).toContain("Its people keep it as their company, shown as deleted");
    fireEvent.click(within(dialog).getByTestId("customer-delete-cancel"));
    expect(screen.queryByTestId("customer-delete-dialog")).toBeNull();
    expect(document.activeElement).toBe(edit);
    expect(backend().customers.get(acme.id)?.deletedAt).toBeNull();
  });

  it("does nothing while the user types in a text field, nor on a record in the trash", async () => {
    const acme = backend().seed({ name: "Acme Trading" });
    render(<App />);
    fireEvent.click(await screen.findByTestId("customer-row"));
    await screen.findByTestId("customer-detail");

    // Delete in the search box deletes text, not the customer.
    press("Delete", screen.getByTestId("search-input"));
    fireEvent.click(screen.getByTestId("log-activity"));
    press("Delete", await screen.findByTestId("activity-body"));
    expect(screen.queryByTestId("customer-delete-dialog")).toBeNull();

    await act(async () => {
      await backend().invoke("delete_customer", { id: acme.id });
      fireEvent.click(screen.getByTestId("nav-trash"));
    });
    fireEvent.click(await screen.findByTestId("customer-row"));
    await screen.findByTestId("restore");
    press("Delete", document.body);
    expect(screen.queryByTestId("customer-delete-dialog")).toBeNull();
  });

  it("leaves the Delete button as it was: it moves the record to the trash at once, with Undo", async () => {
    const [first] = await listOf("Acme Trading");
    await openRow(0);
    await act(async () => {
      fireEvent.click(screen.getByTestId("delete"));
    });
    expect(screen.queryByTestId("customer-delete-dialog")).toBeNull();
    await waitFor(() => expect(backend().customers.get(first!)?.deletedAt).not.toBeNull());
    expect(await screen.findByTestId("undo")).toBeTruthy();
  });

  it("is listed among the shortcuts in Settings, in both languages' words", async () => {
    render(<App />);
    fireEvent.click(await screen.findByTestId("nav-settings"));
    const list = await waitFor(() => document.querySelector(".shortcut-list")!);
    const item = [...list.querySelectorAll("dt")].find((dt) => dt.textContent === "Delete the open customer (asks first)");
    expect(item).toBeTruthy();
    expect(item!.nextElementSibling!.textContent).toBe("Del");
  });
});

describe("focus after save, delete and going back", () => {
  it("lands on the saved record's heading after saving the form", async () => {
    render(<App />);
    fireEvent.click(await screen.findByTestId("new-person"));
    const name = screen.getByTestId("field-name");
    name.focus();
    fireEvent.change(name, { target: { value: "王芳" } });
    await act(async () => {
      // Ctrl+S from the name field, as a keyboard user saves.
      press("s", name, { ctrlKey: true });
    });
    const heading = await screen.findByTestId("detail-name");
    expect(heading.textContent).toBe("王芳");
    await waitFor(() => expect(document.activeElement).toBe(heading));
    // Reachable from code, never an extra Tab stop.
    expect(heading.tabIndex).toBe(-1);

    // Editing and saving again lands there too.
    fireEvent.click(screen.getByTestId("edit"));
    const field = await screen.findByTestId("field-name");
    fireEvent.change(field, { target: { value: "王芳芳" } });
    await act(async () => {
      fireEvent.click(screen.getByTestId("save"));
    });
    await waitFor(() => expect(screen.getByTestId("detail-name").textContent).toBe("王芳芳"));
    await waitFor(() => expect(document.activeElement).toBe(screen.getByTestId("detail-name")));
  });

  it("goes back to the row that was opened", async () => {
    const ids = await listOf("Acme Trading", "Beta Ltd", "Gamma Co");
    await openRow(1);
    fireEvent.click(screen.getByRole("button", { name: "Back" }));
    await waitFor(() => expect(document.activeElement?.getAttribute("data-id")).toBe(ids[1]));
    // The row is the list's keyboard cursor too: the arrows go on from it.
    press("ArrowDown");
    await waitFor(() => expect(document.activeElement?.getAttribute("data-id")).toBe(ids[2]));

    // Opened with Enter and left with Alt+←, the same.
    press("Enter");
    await screen.findByTestId("customer-detail");
    press("ArrowLeft", document.activeElement!, { altKey: true });
    await waitFor(() => expect(document.activeElement?.getAttribute("data-id")).toBe(ids[2]));
  });

  it("after a delete, goes to the row that took the deleted record's place, or to the list when it was the last", async () => {
    const ids = await listOf("Acme Trading", "Beta Ltd", "Gamma Co");
    await openRow(1);
    await act(async () => {
      fireEvent.click(screen.getByTestId("delete"));
    });
    await waitFor(() => expect(rowIds()).toEqual([ids[0], ids[2]]));
    await waitFor(() => expect(document.activeElement?.getAttribute("data-id")).toBe(ids[2]));

    // The last row has no row after it to take its place: the list itself takes focus.
    await openRow(1);
    await act(async () => {
      fireEvent.click(screen.getByTestId("delete"));
    });
    await waitFor(() => expect(rowIds()).toEqual([ids[0]]));
    await waitFor(() => expect(document.activeElement).toBe(screen.getByTestId("customer-list")));
  });

  it("leaves focus where the user put it when they come back another way", async () => {
    const ids = await listOf("Acme Trading", "Beta Ltd");
    await openRow(1);
    // A click on the sidebar's Customers focuses it (jsdom's click does not): focus stays there.
    const nav = screen.getByTestId("nav-customers");
    useFakeClock();
    nav.focus();
    fireEvent.click(nav);
    // The list's fetch throttle, then the frames its focus retries take (five at most).
    await passTime(FETCH_THROTTLE_MS + 5 * 16);
    expect(rowIds()).toEqual(ids);
    vi.useRealTimers();
    expect(document.activeElement).toBe(nav);
  });
});
