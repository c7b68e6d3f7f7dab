import { useCallback, useMemo, useRef, useState, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { commands, type SearchHit } from "../bindings";
import { useFilters } from "../customers/filters";
import { STAGES } from "../customers/stages";
import { LOCALE_NAMES } from "../i18n";
import { changeLocale } from "../i18n/locale";
import { hotkeyLabel, isTypingTarget, SHORTCUTS } from "../lib/keys";
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
import { PLANNED_MODULES } from "./modules";
import { usePageActions, type Action } from "./pageActions";
import { Sidebar } from "./Sidebar";

/** Sidebar, top bar, the page, and the shortcuts and palette that work from anywhere. */
export function AppShell({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const { navigate, back } = useRouter();
  const filters = useFilters();
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
  const openCustomer = useCallback((hit: SearchHit) => navigate({ name: "customer", id: hit.row.id }), [navigate]);

  useHotkey(SHORTCUTS.palette, (e) => {
    e.preventDefault();
    setPaletteOpen((open) => !open);
  });
  useHotkey(SHORTCUTS.newPerson, (e) => {
    e.preventDefault();
    setPaletteOpen(false);
    navigate({ name: "new", kind: "person" });
  });
  useHotkey(SHORTCUTS.newCompany, (e) => {
    e.preventDefault();
    setPaletteOpen(false);
    navigate({ name: "new", kind: "company" });
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
    return [
      ...pageActions,
      { id: "new-person", group: create, label: t("action.newPerson"), hotkey: SHORTCUTS.newPerson, keywords: "add create contact", run: () => navigate({ name: "new", kind: "person" }) },
      { id: "new-company", group: create, label: t("action.newCompany"), hotkey: SHORTCUTS.newCompany, keywords: "add create organisation", run: () => navigate({ name: "new", kind: "company" }) },
      { id: "import-customers", group: create, label: t("palette.importCustomers"), keywords: "import upload csv vcard vcf excel google outlook contacts 导入 通讯录", run: () => navigate({ name: "import" }) },
      { id: "search", group: go, label: t("palette.searchCustomers"), hotkey: SHORTCUTS.search, keywords: "find", run: focusSearch },
      { id: "go-customers", group: go, label: t("palette.goTo", { module: t("nav.customers") }), run: () => navigate({ name: "customers" }) },
      { id: "go-trash", group: go, label: t("palette.openTrash"), keywords: "deleted restore", run: () => navigate({ name: "trash" }) },
      { id: "go-duplicates", group: go, label: t("palette.findDuplicates"), keywords: "duplicate same similar dedupe 重复", run: () => navigate({ name: "duplicates" }) },
      { id: "go-settings", group: go, label: t("palette.goTo", { module: t("nav.settings") }), keywords: "preferences about", run: () => navigate({ name: "settings" }) },
      ...PLANNED_MODULES.map((module) => ({
        id: `go-${module}`,
        group: go,
        label: t("palette.goTo", { module: t(`nav.${module}`) }),
        badge: t("nav.soon"),
        run: () => navigate({ name: "planned", module }),
      })),
      ...STAGES.map((stage) => ({
        id: `filter-stage-${stage}`,
        group: view,
        label: t("palette.showStage", { stage: t(`stage.${stage}`) }),
        keywords: "filter stage",
        run: () => {
          filters.setStage(stage);
          navigate({ name: "customers" });
        },
      })),
      { id: "filter-companies", group: view, label: t("palette.showCompanies"), keywords: "filter kind", run: () => { filters.setKind("company"); navigate({ name: "customers" }); } },
      { id: "filter-people", group: view, label: t("palette.showPeople"), keywords: "filter kind", run: () => { filters.setKind("person"); navigate({ name: "customers" }); } },
      { id: "filter-clear", group: view, label: t("list.clearFilters"), keywords: "filter reset all", run: () => { filters.clear(); navigate({ name: "customers" }); } },
      { id: "toggle-sidebar", group: view, label: t("palette.toggleSidebar"), hotkey: SHORTCUTS.toggleSidebar, run: () => setSidebarOpen((open) => !open) },
      ...(syncConnected ? [{ id: "sync-now", group: sync, label: t("sync.syncNow"), keywords: "sync server send receive 同步 服务器", run: () => void syncNow() }] : []),
      { id: "go-sync", group: sync, label: t("palette.syncSettings"), keywords: "sync server connect login disconnect 同步 服务器 登录", run: () => navigate({ name: "settings", section: "sync" }) },
      { id: "lang-en", group: prefs, label: t("palette.switchLanguage", { language: LOCALE_NAMES.en }), keywords: "language english 语言 英文", run: () => void changeLocale("en") },
      { id: "lang-zh-CN", group: prefs, label: t("palette.switchLanguage", { language: LOCALE_NAMES["zh-CN"] }), keywords: "language chinese 语言 中文", run: () => void changeLocale("zh-CN") },
    ];
  }, [t, pageActions, navigate, focusSearch, filters, syncConnected, syncNow]);

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
        <button
          type="button"
          className="btn btn-primary"
          data-testid="new-person"
          title={`${t("action.newPerson")} (${hotkeyLabel(SHORTCUTS.newPerson)})`}
          onClick={() => navigate({ name: "new", kind: "person" })}
        >
          <Icon name="plus" size={14} /> {t("action.newPersonShort")}
        </button>
        <button
          type="button"
          className="btn"
          data-testid="new-company"
          title={`${t("action.newCompany")} (${hotkeyLabel(SHORTCUTS.newCompany)})`}
          onClick={() => navigate({ name: "new", kind: "company" })}
        >
          <Icon name="plus" size={14} /> {t("action.newCompanyShort")}
        </button>
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
      {paletteOpen && <CommandPalette actions={actions} onClose={closePalette} onOpenCustomer={openCustomer} />}
    </div>
  );
}
