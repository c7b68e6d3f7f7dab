/**
 * Whole-app flows in jsdom against an in-memory fake of the Rust commands: `invoke` from
 * @tauri-apps/api/core is mocked, so bindings.ts runs unchanged. The real IPC and core are tested
 * end-to-end against the Tauri window elsewhere; these tests pin the UI's own behaviour.
 */
import { act, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import { useFakeBackend } from "../test/fakeBackend";
import { useFakeClock } from "../test/timers";
import { MODULES } from "../app/modules";
import { App } from "./App";
import { navEntries, type NavItem } from "./module";
import { NotInTauri } from "./NotInTauri";

const { invoke } = vi.hoisted(() => ({ invoke: vi.fn() }));
vi.mock("@tauri-apps/api/core", () => ({ invoke }));

const backend = useFakeBackend(invoke);

const type = (testId: string, value: string) => fireEvent.change(screen.getByTestId(testId), { target: { value } });
const press = (key: string, init: KeyboardEventInit = {}) => fireEvent.keyDown(window, { key, ...init });

describe("the app", () => {
  it("explains a database it cannot open instead of showing broken pages", async () => {
    invoke.mockImplementation(async (cmd: string) => {
      if (cmd === "set_locale") return null;
      throw { code: "schema_too_new", message: "/data/satchel.db was written by a newer Satchel", field: null };
    });
    render(<App />);
    const gate = await screen.findByTestId("db-error");
    expect(gate.textContent).toContain("Satchel cannot open your database");
    expect(screen.getByTestId("db-error-message").textContent).toContain("written by a newer Satchel");
    expect(screen.queryByTestId("search-input")).toBeNull();
  });

  it("tells an empty database what to do next: add a person or a company, or import them", async () => {
    render(<App />);
    const empty = await screen.findByTestId("empty-state");
    // Said once, as the heading (the text under it said it again before).
    expect(empty.textContent!.split("No customers yet")).toHaveLength(2);
    expect(within(empty).getByRole("heading").textContent).toBe("No customers yet");
    expect(empty.textContent).toContain("Press Ctrl+N to add a person or Ctrl+Shift+N for a company, or import them");
    expect(within(empty).getByRole("button", { name: "New person" })).toBeTruthy();
    expect(within(empty).getByRole("button", { name: "New company" })).toBeTruthy();

    fireEvent.click(within(empty).getByTestId("empty-import"));
    expect(await screen.findByTestId("import-page")).toBeTruthy();
    expect(screen.getByTestId("nav-customers").getAttribute("aria-current")).toBe("page");
  });

  it("says the empty book is empty once in Chinese too, with Import beside New", async () => {
    render(<App />);
    await screen.findByTestId("empty-state");
    await act(async () => {
      fireEvent.change(screen.getByTestId("lang-switch"), { target: { value: "zh-CN" } });
    });
    const empty = screen.getByTestId("empty-state");
    await waitFor(() => expect(empty.textContent).toContain("还没有客户"));
    expect(empty.textContent!.split("还没有客户")).toHaveLength(2);
    expect(within(empty).getByTestId("empty-import").textContent).toBe("导入…");
  });

  it("creates a person with Ctrl+N and lands on the record with its history", async () => {
    render(<App />);
    await screen.findByTestId("empty-state");
    press("n", { ctrlKey: true });
    type("field-name", "王芳");
    fireEvent.click(screen.getByTestId("add-email"));
    type("field-emails-0-value", "wang@example.com");
    await act(async () => {
      fireEvent.click(screen.getByTestId("save"));
    });
    const detail = await screen.findByTestId("customer-detail");
    expect(within(detail).getByTestId("detail-name").textContent).toBe("王芳");
    expect(within(detail).getByTestId("detail-emails").textContent).toContain("wang@example.com");
    await waitFor(() => expect(screen.getAllByTestId("history-entry")).toHaveLength(1));
  });

  it("shows the core's validation message next to the field", async () => {
    render(<App />);
    fireEvent.click(await screen.findByTestId("new-company"));
    expect((screen.getByTestId("field-kind") as HTMLSelectElement).value).toBe("company");
    type("field-name", "Acme");
    fireEvent.click(screen.getByTestId("add-email"));
    type("field-emails-0-value", "nope");
    await act(async () => {
      fireEvent.click(screen.getByTestId("save"));
    });
    await waitFor(() =>
      expect(document.querySelector('[data-error-for="emails.0.value"]')?.textContent).toBe("Email 1: is not a valid email address (like name@example.com)"),
    );
  });

  it("lists customers, sorts by a header and opens a row", async () => {
    backend().seed({ name: "Beta Ltd", kind: "company", stage: "won" });
    backend().seed({ name: "Alpha Co", kind: "company" });
    render(<App />);
    await waitFor(() => expect(screen.getAllByTestId("customer-row")).toHaveLength(2));
    fireEvent.click(screen.getByTestId("sort-name"));
    await waitFor(() => expect(screen.getAllByTestId("customer-row")[0]?.textContent).toContain("Alpha Co"));
    fireEvent.click(screen.getByTestId("sort-name"));
    await waitFor(() => expect(screen.getAllByTestId("customer-row")[0]?.textContent).toContain("Beta Ltd"));
    fireEvent.click(screen.getAllByTestId("customer-row")[0]!);
    expect((await screen.findByTestId("detail-name")).textContent).toBe("Beta Ltd");
  });

  it("filters by stage and says when nothing matches", async () => {
    backend().seed({ name: "Alpha Co", stage: "lead" });
    render(<App />);
    await screen.findAllByTestId("customer-row");
    fireEvent.change(screen.getByTestId("filter-stage"), { target: { value: "won" } });
    const empty = await screen.findByTestId("empty-state");
    expect(empty.textContent).toContain("No customers match these filters");
    const query = backend().calls.filter((c) => c.command === "list_customers").at(-1)?.args.query;
    expect(query).toMatchObject({ stage: "won", trash: false, offset: 0, limit: 100 });
  });

  it("deletes to the trash with an undo that restores", async () => {
    const acme = backend().seed({ name: "Acme" });
    render(<App />);
    fireEvent.click((await screen.findAllByTestId("customer-row"))[0]!);
    await screen.findByTestId("customer-detail");
    await act(async () => {
      fireEvent.click(screen.getByTestId("delete"));
    });
    await screen.findByTestId("undo");
    expect(backend().customers.get(acme.id)?.deletedAt).not.toBeNull();
    await act(async () => {
      fireEvent.click(screen.getByTestId("undo"));
    });
    await waitFor(() => expect(backend().customers.get(acme.id)?.deletedAt).toBeNull());
    expect((await screen.findByTestId("detail-name")).textContent).toBe("Acme");
    const lines = (await screen.findAllByTestId("history-entry")).map((e) => e.textContent);
    expect(lines.some((l) => l?.includes("Restored from trash"))).toBe(true);
    expect(lines.some((l) => l?.includes("Moved to trash"))).toBe(true);
  });

  it("restores from the trash list", async () => {
    const old = backend().seed({ name: "Old Client" });
    await backend().invoke("delete_customer", { id: old.id });
    render(<App />);
    fireEvent.click(await screen.findByTestId("nav-trash"));
    const row = (await screen.findAllByTestId("customer-row"))[0]!;
    await act(async () => {
      fireEvent.click(within(row).getByTestId("restore"));
    });
    await waitFor(() => expect(backend().customers.get(old.id)?.deletedAt).toBeNull());
    expect((await screen.findByTestId("empty-state")).textContent).toContain("Trash is empty");
  });

  it("searches as you type, including Chinese substrings, and opens the hit with Enter", async () => {
    backend().seed({ name: "杭州茶叶有限公司", kind: "company" });
    render(<App />);
    const input = await screen.findByTestId("search-input");
    fireEvent.focus(input);
    // The search asks at the keystroke, with no pause for typing to stop.
    useFakeClock();
    fireEvent.change(input, { target: { value: "茶叶" } });
    expect(backend().calls.some((c) => c.command === "search_everything")).toBe(true);
    vi.useRealTimers();
    const hit = await screen.findByTestId("search-result");
    expect(hit.textContent).toContain("杭州茶叶有限公司");
    // One more than the 20 shown: how the popover knows whether to say "20+" (it asked for 20 before).
    expect(backend().calls.find((c) => c.command === "search_everything")?.args).toEqual({ text: "茶叶", limit: 21 });
    // Every module's part came in that one call: one round trip per keystroke.
    expect(backend().calls.filter((c) => c.command === "search_everything")).toHaveLength(1);
    fireEvent.keyDown(input, { key: "Enter" });
    expect((await screen.findByTestId("detail-name")).textContent).toBe("杭州茶叶有限公司");
  });

  it("focuses the search box with / and Ctrl+F", async () => {
    render(<App />);
    const input = await screen.findByTestId("search-input");
    // Focus moves on the next animation frame, after the palette (if open) has closed.
    const pressAndSettle = (key: string, init?: KeyboardEventInit) =>
      act(async () => {
        press(key, init);
        await new Promise((resolve) => requestAnimationFrame(resolve));
      });
    await pressAndSettle("/");
    expect(document.activeElement).toBe(input);
    act(() => (input as HTMLInputElement).blur());
    await pressAndSettle("f", { ctrlKey: true });
    expect(document.activeElement).toBe(input);
  });

  it("runs commands from the palette with the keyboard and closes it with Escape", async () => {
    render(<App />);
    await screen.findByTestId("empty-state");
    press("k", { ctrlKey: true });
    const input = await screen.findByTestId("palette-input");
    fireEvent.change(input, { target: { value: "open trash" } });
    fireEvent.keyDown(input, { key: "Enter" });
    await waitFor(() => expect(screen.queryByTestId("palette-input")).toBeNull());
    expect(screen.getByTestId("nav-trash").getAttribute("aria-current")).toBe("page");

    press("k", { metaKey: true });
    fireEvent.keyDown(await screen.findByTestId("palette-input"), { key: "Escape" });
    await waitFor(() => expect(screen.queryByTestId("palette-input")).toBeNull());
  });

  it("finds customers from the palette too", async () => {
    backend().seed({ name: "Zhou Jie" });
    render(<App />);
    press("k", { ctrlKey: true });
    const input = await screen.findByTestId("palette-input");
    fireEvent.change(input, { target: { value: "zhou" } });
    await screen.findByTestId("palette-result");
    fireEvent.keyDown(input, { key: "ArrowDown" });
    fireEvent.keyDown(input, { key: "Enter" });
    expect((await screen.findByTestId("detail-name")).textContent).toBe("Zhou Jie");
  });

  it("switches to Chinese, tells Rust, and remembers the choice", async () => {
    render(<App />);
    await screen.findByTestId("empty-state");
    await act(async () => {
      fireEvent.change(screen.getByTestId("lang-switch"), { target: { value: "zh-CN" } });
    });
    await waitFor(() => expect(screen.getByTestId("nav-customers").textContent).toContain("客户"));
    expect(backend().locale).toBe("zh-CN");
    expect(localStorage.getItem("satchel.locale")).toBe("zh-CN");
    expect(screen.getByTestId("empty-state").textContent).toContain("还没有客户");
  });

  it("lists exactly the registered modules in the sidebar, then Settings, and opens each", async () => {
    render(<App />);
    const sidebar = screen.getByRole("navigation", { name: "Modules" });
    const entries = () => [...sidebar.querySelectorAll<HTMLElement>('[data-testid^="nav-"]')];
    const registered = (items: NavItem[]): string[] => items.flatMap((item) => [`nav-${item.id}`, ...registered(item.children ?? [])]);
    expect(entries().map((e) => e.dataset.testid)).toEqual([...registered(navEntries(MODULES)), "nav-settings"]);
    // Customers first, as before any other module existed; Settings always last.
    expect(entries().map((e) => e.textContent).slice(0, 3)).toEqual(["Customers", "Trash", "Find duplicates"]);
    expect(entries().at(-1)?.textContent).toBe("Settings");
    // Only modules that exist: no placeholder for an unbuilt one, here or in the palette.
    expect(sidebar.textContent).not.toContain("Soon");
    const pages = [["nav-trash", "Trash is empty"], ["nav-duplicates", "Find duplicates"], ["nav-settings", "About this installation"], ["nav-customers", "No customers yet"]] as const;
    for (const [entry, text] of pages) {
      fireEvent.click(screen.getByTestId(entry));
      await waitFor(() => expect(screen.getByRole("main").textContent).toContain(text));
      expect(screen.getByTestId(entry).getAttribute("aria-current")).toBe("page");
      expect(entries().filter((e) => e.getAttribute("aria-current") === "page")).toHaveLength(1);
    }
    press("k", { ctrlKey: true });
    const ids = (await screen.findAllByTestId("palette-item")).map((item) => item.dataset.action);
    const goTo = ids.filter((id) => id?.startsWith("go-"));
    expect(goTo.slice(0, 3)).toEqual(["go-customers", "go-trash", "go-duplicates"]);
    expect(goTo.slice(-2)).toEqual(["go-settings", "go-sync"]);
    expect(screen.getByTestId("palette").textContent).not.toContain("Soon");
  });

  it("shows the installation's facts in Settings", async () => {
    backend().seed({ name: "A" });
    render(<App />);
    fireEvent.click(screen.getByTestId("nav-settings"));
    expect((await screen.findByTestId("app-db-path")).textContent).toContain("satchel.db");
    expect(screen.getByTestId("app-count").textContent).toBe("1");
    expect(screen.getByTestId("settings-lang-switch")).toBeTruthy();
  });

  it("creates a private person and marks the record Private", async () => {
    render(<App />);
    await screen.findByTestId("empty-state");
    press("n", { ctrlKey: true });
    type("field-name", "王芳");
    fireEvent.click(screen.getByTestId("customer-private"));
    await act(async () => {
      fireEvent.click(screen.getByTestId("save"));
    });
    const badge = await screen.findByTestId("customer-private-badge");
    expect(badge.textContent).toBe("Private");
    const stored = [...backend().customers.values()][0]!;
    expect(stored.private).toBe(true);

    // A record shared with the team carries no badge.
    fireEvent.click(screen.getByTestId("edit"));
    expect((await screen.findByTestId("customer-private") as HTMLInputElement).checked).toBe(true);
    fireEvent.click(screen.getByTestId("customer-private"));
    await act(async () => {
      fireEvent.click(screen.getByTestId("save"));
    });
    await screen.findByTestId("customer-detail");
    await waitFor(() => expect(screen.queryByTestId("customer-private-badge")).toBeNull());
  });

  it("shows the sync status in the sidebar, which leads to the sync settings", async () => {
    backend().sync = { ...backend().sync, state: "needs_login", server: "https://crm.example.com", email: "wang@example.com", error: "Log in again to keep syncing" };
    render(<App />);
    const indicator = await screen.findByTestId("sync-indicator");
    expect(indicator.dataset.state).toBe("needs_login");
    expect(indicator.textContent).toBe("Log in again to keep syncing");
    fireEvent.click(indicator);
    const section = await screen.findByTestId("sync-section");
    expect(within(section).getByTestId("sync-state").textContent).toBe("Log in again to keep syncing");
    await waitFor(() => expect(document.activeElement).toBe(screen.getByTestId("sync-password")));
    expect(screen.getByTestId("nav-settings").getAttribute("aria-current")).toBe("page");
  });
});

describe("outside the desktop app", () => {
  it("asks to be opened in Satchel", () => {
    render(<NotInTauri />);
    expect(screen.getByTestId("not-in-tauri").textContent).toContain("Open this inside the Satchel app");
  });
});
