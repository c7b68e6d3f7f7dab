import { useCallback, useMemo, useRef, useState, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { commands } from "../bindings";
import { LOCALE_NAMES } from "../i18n";
import { changeLocale } from "../i18n/locale";
import { hotkeyLabel, isTypingTarget, matches, SHORTCUTS } from "../lib/keys";
import { useRouter } from "../lib/router";
import { Kbd } from "../lib/Kbd";
import { call } from "../lib/result";
import { useToast } from "../lib/toast";
import { useHotkey } from "../lib/useHotkey";
import { useSync } from "../sync/useSyncStatus";
import { CommandPalette } from "./CommandPalette";
import { GlobalSearch } from "./GlobalSearch";
import { Icon } from "./Icon";
import { LanguageSwitch } from "./LanguageSwitch";
import type { ModuleAction, PaletteSlot } from "./module";
import { useModuleActions } from "./moduleContext";
import { usePageActions, type Action } from "./pageActions";
import { Sidebar } from "./Sidebar";

/** Sidebar, top bar, the page, and the shortcuts and palette that work from anywhere. */
export function AppShell({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const { navigate, back } = useRouter();
  const moduleActions = useModuleActions();
  const pageActions = usePageActions();
  const toast = useToast();
  const { status: syncStatus } = useSync();
  const syncConnected = syncStatus !== null && syncStatus.state !== "off";
  const searchRef = useRef<HTMLInputElement>(null);
  const [paletteOpen, setPaletteOpen] = useState(false);
  const [sidebarOpen, setSidebarOpen] = useState(true);

  const focusSearch = useCallback(() => {
    setPaletteOpen(false);
    // The palette closing re-renders first; focus after it so the overlay does not steal it back.
    requestAnimationFrame(() => {
      searchRef.current?.focus();
      searchRef.current?.select();
    });
  }, []);
  const closePalette = useCallback(() => setPaletteOpen(false), []);
  const syncNow = useCallback(async () => {
    const result = await call(commands.syncNow());
    if (result.status === "error") toast.show({ message: result.error.message, tone: "error" });
  }, [toast]);

  useHotkey(SHORTCUTS.palette, (e) => {
    e.preventDefault();
    setPaletteOpen((open) => !open);
  });
  // A module action's hotkey works from anywhere (Ctrl+N: new person), even over the palette.
  const moduleHotkeys = moduleActions.flatMap((action) => (action.hotkey ? [action.hotkey] : []));
  useHotkey(moduleHotkeys, (e) => {
    const action = moduleActions.find((a) => a.hotkey && matches(e, a.hotkey));
    if (!action) return;
    e.preventDefault();
    setPaletteOpen(false);
    action.run();
  });
  useHotkey(SHORTCUTS.search, (e) => {
    e.preventDefault();
    focusSearch();
  });
  useHotkey(SHORTCUTS.searchSlash, (e) => {
    if (isTypingTarget(e.target) || paletteOpen) return;
    e.preventDefault();
    focusSearch();
  });
  useHotkey(SHORTCUTS.toggleSidebar, (e) => {
    e.preventDefault();
    setSidebarOpen((open) => !open);
  });
  useHotkey(SHORTCUTS.back, (e) => {
    if (isTypingTarget(e.target)) return;
    e.preventDefault();
    back();
  });
  useHotkey(SHORTCUTS.close, closePalette, paletteOpen);
  // Without a form open, the webview would otherwise offer to save the page as HTML.
  useHotkey(SHORTCUTS.save, (e) => e.preventDefault());

  const actions = useMemo<Action[]>(() => {
    const create = t("palette.groupCreate");
    const go = t("palette.groupGo");
    const view = t("palette.groupView");
    const prefs = t("palette.groupPreferences");
    const sync = t("sync.title");
    const fromModules = (slot: PaletteSlot, group: string): Action[] =>
      moduleActions.filter((action) => action.group === slot).map(({ topbar: _topbar, ...action }) => ({ ...action, group }));
    // What the open page offers first, then the modules' actions in the shell's groups: the shell's
    // own lead a group (Search) or close it (Settings, the sidebar) so the modules' sit together.
    return [
      ...pageActions,
      ...fromModules("create", create),
      { id: "search", group: go, label: t("palette.searchCustomers"), hotkey: SHORTCUTS.search, keywords: "find", run: focusSearch },
      ...fromModules("go", go),
      { id: "go-settings", group: go, label: t("palette.goTo", { module: t("nav.settings") }), keywords: "preferences about", run: () => navigate({ name: "settings" }) },
      ...fromModules("view", view),
      { id: "toggle-sidebar", group: view, label: t("palette.toggleSidebar"), hotkey: SHORTCUTS.toggleSidebar, run: () => setSidebarOpen((open) => !open) },
      ...(syncConnected ? [{ id: "sync-now", group: sync, label: t("sync.syncNow"), keywords: "sync server send receive 同步 服务器", run: () => void syncNow() }] : []),
      { id: "go-sync", group: sync, label: t("palette.syncSettings"), keywords: "sync server connect login disconnect 同步 服务器 登录", run: () => navigate({ name: "settings", section: "sync" }) },
      { id: "lang-en", group: prefs, label: t("palette.switchLanguage", { language: LOCALE_NAMES.en }), keywords: "language english 语言 英文", run: () => void changeLocale("en") },
      { id: "lang-zh-CN", group: prefs, label: t("palette.switchLanguage", { language: LOCALE_NAMES["zh-CN"] }), keywords: "language chinese 语言 中文", run: () => void changeLocale("zh-CN") },
    ];
  }, [t, pageActions, moduleActions, navigate, focusSearch, syncConnected, syncNow]);

  const topbarActions = moduleActions.filter((action) => action.topbar);

  return (
    <div className={`app${sidebarOpen ? "" : " sidebar-collapsed"}`}>
      <Sidebar />
      <header className="topbar">
        <button
          type="button"
          className="btn btn-ghost btn-icon"
          aria-label={t("palette.toggleSidebar")}
          title={`${t("palette.toggleSidebar")} (${hotkeyLabel(SHORTCUTS.toggleSidebar)})`}
          onClick={() => setSidebarOpen((open) => !open)}
        >
          <Icon name="sidebar" />
        </button>
        <GlobalSearch inputRef={searchRef} />
        <div className="topbar-spacer" />
        {topbarActions.map((action) => (
          <TopbarButton key={action.id} action={action} />
        ))}
        <button
          type="button"
          className="btn btn-ghost"
          data-testid="open-palette"
          title={`${t("palette.title")} (${hotkeyLabel(SHORTCUTS.palette)})`}
          onClick={() => setPaletteOpen(true)}
        >
          {/* Keycaps, not the ⌘ glyph: on Linux and Windows the shortcut is Ctrl. */}
          <Kbd hotkey={SHORTCUTS.palette} />
        </button>
        <LanguageSwitch />
      </header>
      <main className="main">{children}</main>
      {paletteOpen && <CommandPalette actions={actions} onClose={closePalette} />}
    </div>
  );
}

/** A module's action as a top bar button (New person): `data-testid` is the action's id. */
function TopbarButton({ action }: { action: ModuleAction }) {
  const { topbar } = action;
  if (!topbar) return null;
  return (
    <button
      type="button"
      className={topbar.primary ? "btn btn-primary" : "btn"}
      data-testid={action.id}
      title={action.hotkey ? `${action.label} (${hotkeyLabel(action.hotkey)})` : action.label}
      onClick={action.run}
    >
      <Icon name={topbar.icon ?? "plus"} size={14} /> {topbar.label}
    </button>
  );
}
