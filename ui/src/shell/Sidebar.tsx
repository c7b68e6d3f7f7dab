import { useTranslation } from "react-i18next";
import type { Route } from "../lib/router";
import { useRouter } from "../lib/router";
import { Icon } from "./Icon";
import { NAV_ITEMS, SETTINGS_ITEM, type NavItem, type NavModule, type PlannedModule } from "./modules";

function routeFor(item: NavItem): Route {
  if (item.id === "customers" || item.id === "trash" || item.id === "duplicates" || item.id === "settings") return { name: item.id };
  return { name: "planned", module: item.id as PlannedModule };
}

/** Which sidebar entry a route belongs to; a record page still highlights its list. */
function currentModule(route: Route): NavModule {
  switch (route.name) {
    case "planned":
      return route.module;
    case "trash":
      return "trash";
    case "duplicates":
    case "merge":
      return "duplicates";
    case "settings":
      return "settings";
    default:
      return "customers";
  }
}

export function Sidebar() {
  const { t } = useTranslation();
  const { route, navigate } = useRouter();
  const current = currentModule(route);

  const entry = (item: NavItem) => (
    <button
      key={item.id}
      type="button"
      className={`nav-item${item.child ? " nav-sub" : ""}${item.built ? "" : " nav-soon"}`}
      data-testid={`nav-${item.id}`}
      data-built={item.built}
      aria-current={current === item.id ? "page" : undefined}
      title={item.built ? t(`nav.${item.id}`) : t("nav.comingSoonTooltip", { module: t(`nav.${item.id}`) })}
      onClick={() => navigate(routeFor(item))}
    >
      <span className="nav-icon">
        <Icon name={item.icon} />
      </span>
      <span>{t(`nav.${item.id}`)}</span>
      {!item.built && <span className="badge">{t("nav.soon")}</span>}
    </button>
  );

  return (
    <nav className="sidebar" aria-label={t("nav.label")}>
      <div className="sidebar-brand">
        <Icon name="briefcase" />
        Satchel
      </div>
      {NAV_ITEMS.map(entry)}
      <div style={{ flex: 1 }} />
      {entry(SETTINGS_ITEM)}
    </nav>
  );
}
