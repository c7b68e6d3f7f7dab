/**
 * One platform, many modules: a module written only for this test (its own routes, sidebar entry,
 * palette action with a hotkey, search, texts and Settings card) is handed to the App next to the
 * registered ones, and shows up everywhere the shell iterates over modules. Nothing in the shell
 * names it; if this needs a shell edit to pass, the shell has stopped being a platform.
 */
import { act, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import { describe, expect, it, vi } from "vitest";
import { MODULES } from "../app/modules";
import { changeLocale } from "../i18n/locale";
import { uiError } from "../lib/result";
import { useRouter } from "../lib/router";
import { useFakeBackend } from "../test/fakeBackend";
import { App } from "./App";
import type { ModuleAction, ModuleSearchHit, UiModule } from "./module";

const { invoke } = vi.hoisted(() => ({ invoke: vi.fn() }));
vi.mock("@tauri-apps/api/core", () => ({ invoke }));

const backend = useFakeBackend(invoke);

// The test module's pages, declared the way a real module declares its own.
declare module "../lib/router" {
  interface Routes {
    "test-notes": {};
    "test-note": { id: string };
  }
}

const NOTES = [
  { id: "note-1", title: "Tea tasting notes", place: "Hangzhou" },
  { id: "note-2", title: "Tea order follow-up", place: "Shanghai" },
  { id: "note-3", title: "Trade fair", place: "Guangzhou" },
];

/** What the test module's search was asked, and an error to answer with instead when set. */
const searched: { text: string; limit: number }[] = [];
let failWith: string | null = null;

function NotesPage() {
  const { t } = useTranslation();
  return <section data-testid="test-notes-page">{t("testNotes.empty")}</section>;
}

function NotesSettings() {
  const { t } = useTranslation();
  return (
    <section className="card" data-testid="test-notes-settings">
      <h2>{t("nav.testNotes")}</h2>
    </section>
  );
}

function useNotesActions(): ModuleAction[] {
  const { t } = useTranslation();
  const { navigate } = useRouter();
  return useMemo(
    () => [
      { id: "go-test-notes", group: "go", label: t("testNotes.open"), keywords: "memo", run: () => navigate({ name: "test-notes" }) },
      { id: "new-test-note", group: "create", label: t("testNotes.new"), hotkey: { key: "j", mod: true }, run: () => navigate({ name: "test-note", id: "new" }) },
    ],
    [t, navigate],
  );
}

const notesModule: UiModule = {
  id: "test-notes",
  nav: [{ id: "test-notes", label: "nav.testNotes", icon: "note", route: { name: "test-notes" } }],
  routes: {
    "test-notes": () => <NotesPage />,
    "test-note": (route) => <section data-testid="test-note-page" data-id={route.id} />,
  },
  useActions: useNotesActions,
  search: {
    label: "nav.testNotes",
    find: async (text, limit) => {
      searched.push({ text, limit });
      if (failWith) return { status: "error", error: uiError(failWith) };
      const hits = NOTES.filter((note) => note.title.toLowerCase().includes(text.toLowerCase())).map(
        (note): ModuleSearchHit => ({ id: note.id, title: note.title, subtitle: note.place, icon: null, route: { name: "test-note", id: note.id } }),
      );
      return { status: "ok", data: hits.slice(0, limit) };
    },
  },
  translations: {
    en: { nav: { testNotes: "Notes" }, testNotes: { empty: "No notes yet", open: "Open notes", new: "New note" } },
    "zh-CN": { nav: { testNotes: "笔记" }, testNotes: { empty: "还没有笔记", open: "打开笔记", new: "新建笔记" } },
  },
  SettingsSection: NotesSettings,
};

const withNotes = [...MODULES, notesModule];
const press = (key: string, init: KeyboardEventInit = {}) => fireEvent.keyDown(window, { key, ...init });
const headings = () => screen.queryAllByTestId("search-group").map((h) => [h.dataset.module, h.textContent]);

async function typeSearch(text: string) {
  const input = await screen.findByTestId("search-input");
  fireEvent.focus(input);
  fireEvent.change(input, { target: { value: text } });
  await waitFor(() => {
    const box = screen.getByTestId("search-results");
    expect(box.dataset.answered).toBe(text);
    expect(box.getAttribute("aria-busy")).toBe("false");
  });
  return input;
}

describe("a module added to the registry", () => {
  it("has its sidebar entry after the registered ones, in its own words, and opens its page", async () => {
    render(<App modules={withNotes} />);
    const sidebar = screen.getByRole("navigation", { name: "Modules" });
    const entries = [...sidebar.querySelectorAll<HTMLElement>('[data-testid^="nav-"]')].map((e) => e.dataset.testid);
    expect(entries).toEqual(["nav-customers", "nav-trash", "nav-duplicates", "nav-calendar", "nav-tasks", "nav-sales", "nav-quotes", "nav-contracts", "nav-products", "nav-service", "nav-articles", "nav-test-notes", "nav-settings"]);

    fireEvent.click(screen.getByTestId("nav-test-notes"));
    expect((await screen.findByTestId("test-notes-page")).textContent).toBe("No notes yet");
    expect(screen.getByTestId("nav-test-notes").getAttribute("aria-current")).toBe("page");
    expect(screen.getByTestId("nav-customers").getAttribute("aria-current")).toBeNull();

    // Its texts switch language with the shell's.
    await act(async () => {
      await changeLocale("zh-CN");
    });
    expect(screen.getByTestId("nav-test-notes").textContent).toBe("笔记");
    expect(screen.getByTestId("test-notes-page").textContent).toBe("还没有笔记");
    await act(async () => {
      await changeLocale("en");
    });
  });

  it("offers its actions in Ctrl+K, in the shell's groups, and binds their hotkeys everywhere", async () => {
    render(<App modules={withNotes} />);
    await screen.findByTestId("empty-state");
    press("k", { ctrlKey: true });
    const ids = (await screen.findAllByTestId("palette-item")).map((item) => item.dataset.action);
    // Registry order within a group: the customers' create actions, the service module's, then this module's.
    expect(ids.slice(0, 6)).toEqual(["new-person", "new-company", "import-customers", "new-ticket", "new-article", "new-test-note"]);
    expect(ids.indexOf("go-tickets")).toBe(ids.indexOf("go-duplicates") + 1);
    expect(ids.indexOf("go-test-notes")).toBe(ids.indexOf("go-articles") + 1);
    expect(ids.indexOf("go-settings")).toBe(ids.indexOf("go-test-notes") + 1);

    const input = screen.getByTestId("palette-input");
    fireEvent.change(input, { target: { value: "memo" } });
    const [item] = screen.getAllByTestId("palette-item");
    expect(item?.dataset.action).toBe("go-test-notes");
    fireEvent.keyDown(input, { key: "Enter" });
    await screen.findByTestId("test-notes-page");
    expect(screen.queryByTestId("palette")).toBeNull();

    press("j", { ctrlKey: true });
    expect((await screen.findByTestId("test-note-page")).dataset.id).toBe("new");
  });

  it("is searched by the global search, its hits under its own heading after the customers'", async () => {
    backend().seed({ name: "Tea House Ltd", kind: "company" });
    searched.length = 0;
    render(<App modules={withNotes} />);
    const input = await typeSearch("tea");
    expect(headings()).toEqual([
      ["customers", "Customers"],
      ["test-notes", "Notes"],
    ]);
    const hits = screen.getAllByTestId("search-result");
    expect(hits.map((h) => h.dataset.id)).toEqual([backend().customers.keys().next().value, "note-1", "note-2"]);
    expect(hits[1]?.textContent).toBe("Tea tasting notes · Hangzhou");
    // Each module is asked with the same limit as the customers' search, one more than it shows
    // (20: it was asked for 20 before the popover said how many matched).
    expect(searched).toEqual([{ text: "tea", limit: 21 }]);
    expect(backend().calls.find((c) => c.command === "search_everything")?.args).toEqual({ text: "tea", limit: 21 });
    // Each group says how many it found; only a module with a list offers "Show all in the list".
    expect(screen.getAllByTestId("search-count").map((c) => [c.dataset.module, c.textContent])).toEqual([
      ["customers", "1 match"],
      ["test-notes", "2 matches"],
    ]);
    expect(screen.getAllByTestId("search-show-all").map((o) => o.dataset.module)).toEqual(["customers"]);

    // The arrows move through every group's hits as one list, in the order shown: the customers'
    // hit, its "Show all in the list", then the notes.
    fireEvent.keyDown(input, { key: "ArrowDown" });
    expect(screen.getByTestId("search-show-all").getAttribute("aria-selected")).toBe("true");
    fireEvent.keyDown(input, { key: "ArrowDown" });
    fireEvent.keyDown(input, { key: "ArrowDown" });
    expect(hits[2]?.getAttribute("aria-selected")).toBe("true");
    fireEvent.keyDown(input, { key: "Enter" });
    expect((await screen.findByTestId("test-note-page")).dataset.id).toBe("note-2");
  });

  it("opens the first hit of the first group on an Enter pressed before the answers arrived", async () => {
    render(<App modules={withNotes} />);
    const input = await screen.findByTestId("search-input");
    fireEvent.focus(input);
    fireEvent.change(input, { target: { value: "trade" } });
    fireEvent.keyDown(input, { key: "Enter" });
    expect((await screen.findByTestId("test-note-page")).dataset.id).toBe("note-3");
  });

  it("shows its own failure in its place while the other modules' hits still show", async () => {
    backend().seed({ name: "Tea House Ltd", kind: "company" });
    failWith = "The notes index is not ready";
    try {
      render(<App modules={withNotes} />);
      await typeSearch("tea");
      expect(headings().map(([module]) => module)).toEqual(["customers", "test-notes"]);
      expect(screen.getAllByTestId("search-result")).toHaveLength(1);
      expect(within(screen.getByTestId("search-results")).getByRole("alert").textContent).toBe("The notes index is not ready");
    } finally {
      failWith = null;
    }
  });

  it("lists its hits in the palette under its own heading, after the actions and the customers", async () => {
    backend().seed({ name: "Tea House Ltd", kind: "company" });
    render(<App modules={withNotes} />);
    await screen.findAllByTestId("customer-row");
    press("k", { ctrlKey: true });
    const input = await screen.findByTestId("palette-input");
    fireEvent.change(input, { target: { value: "tea" } });
    await waitFor(() => expect(screen.getAllByTestId("palette-result")).toHaveLength(3));
    const palette = screen.getByTestId("palette");
    const groups = [...palette.querySelectorAll(".option-group")].map((g) => g.textContent);
    expect(groups.slice(-2)).toEqual(["Customers", "Notes"]);
    fireEvent.click(screen.getAllByTestId("palette-result")[2]!);
    expect((await screen.findByTestId("test-note-page")).dataset.id).toBe("note-2");
  });

  it("adds its card to Settings, after Sync", async () => {
    render(<App modules={withNotes} />);
    fireEvent.click(screen.getByTestId("nav-settings"));
    const card = await screen.findByTestId("test-notes-settings");
    const settings = screen.getByTestId("settings");
    const cards = [...settings.querySelectorAll<HTMLElement>("[data-testid]")].map((e) => e.dataset.testid);
    expect(cards.indexOf("test-notes-settings")).toBeGreaterThan(cards.indexOf("sync-section"));
    expect(cards.indexOf("test-notes-settings")).toBeGreaterThan(cards.indexOf("custom-fields"));
    expect(card.textContent).toBe("Notes");
  });
});

describe("the registered modules alone", () => {
  it("search: customers and sales both search, so hits sit under their module's heading, and a module with none shows nothing", async () => {
    backend().seed({ name: "Tea House Ltd", kind: "company" });
    render(<App />);
    await typeSearch("tea");
    expect(screen.getAllByTestId("search-result")).toHaveLength(1);
    expect(headings()).toEqual([["customers", "Customers"]]);
  });
});
