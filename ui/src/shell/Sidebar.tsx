import { useTranslation } from "react-i18next";
import { useRouter, type Route } from "../lib/router";
import { SyncIndicator } from "../sync/SyncIndicator";
import { Icon } from "./Icon";
import { isCurrentEntry, navEntries, type NavItem } from "./module";
import { useModules } from "./moduleContext";

/** Settings is the shell's, not a module's: always at the foot, above the sync status. */
const SETTINGS_ITEM: NavItem = { id: "settings", label: "nav.settings", icon: "settings", route: { name: "settings" } };

/** Only modules that exist: each registered module's entries, then Settings. */
export function Sidebar() {
  const { t } = useTranslation();
  const modules = useModules();
  return (
    <nav className="sidebar" aria-label={t("nav.label")}>
      <div className="sidebar-brand">
        <Icon name="briefcase" />
        <span className="sidebar-brand-name">Satchel</span>
      </div>
      {navEntries(modules).map((item) => (
        <NavTree key={item.id} item={item} />
      ))}
      <div style={{ flex: 1 }} />
      <NavEntry item={SETTINGS_ITEM} />
      <SyncIndicator />
    </nav>
  );
}

/** An entry, its indented children, then whatever the module draws after them. */
function NavTree({ item }: { item: NavItem }) {
  const { After } = item;
  return (
    <>
      <NavEntry item={item} />
      {item.children?.map((child) => (
        <NavEntry key={child.id} item={child} sub />
      ))}
      {After && <After />}
    </>
  );
}

// An entry keeps its item for life (keyed by id), so its `useOnOpen` hook is always the same one.
function NavEntry({ item, sub = false }: { item: NavItem; sub?: boolean }) {
  const { t } = useTranslation();
  const { route, navigate } = useRouter();
  const onOpen = (item.useOnOpen ?? useNothingOnOpen)();
  const label = t(item.label);
  return (
    <button
      type="button"
      className={`nav-item${sub ? " nav-sub" : ""}`}
      data-testid={`nav-${item.id}`}
      aria-current={isCurrentEntry(item, route) ? "page" : undefined}
      title={label}
      onClick={() => {
        onOpen(route);
        navigate(item.route);
      }}
    >
      <span className="nav-icon">
        <Icon name={item.icon} />
      </span>
      <span className="nav-label">{label}</span>
    </button>
  );
}

function useNothingOnOpen(): (from: Route) => void {
  return nothing;
}

function nothing() {}
