import { Fragment } from "react";
import { useTranslation } from "react-i18next";
import { useFilters, withSegmentFilter } from "../customers/filters";
import { useSegments } from "../customers/segments";
import { formatNumber } from "../lib/format";
import type { Route } from "../lib/router";
import { useRouter } from "../lib/router";
import { SyncIndicator } from "../sync/SyncIndicator";
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
  const { t, i18n } = useTranslation();
  const { route, navigate } = useRouter();
  const { setFilters, clear } = useFilters();
  const { segments } = useSegments();
  const current = currentModule(route);
  const openSegment = route.name === "customers" ? route.segment : undefined;

  const open = (item: NavItem) => {
    // Leaving a segment for the whole list shows the whole list, not the segment's filters.
    if (item.id === "customers" && openSegment !== undefined) clear();
    navigate(routeFor(item));
  };

  const entry = (item: NavItem) => (
    <button
      key={item.id}
      type="button"
      className={`nav-item${item.child ? " nav-sub" : ""}${item.built ? "" : " nav-soon"}`}
      data-testid={`nav-${item.id}`}
      data-built={item.built}
      aria-current={current === item.id && !(item.id === "customers" && openSegment !== undefined) ? "page" : undefined}
      title={item.built ? t(`nav.${item.id}`) : t("nav.comingSoonTooltip", { module: t(`nav.${item.id}`) })}
      onClick={() => open(item)}
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
      {NAV_ITEMS.map((item) =>
        item.id === "duplicates" && segments.length > 0 ? (
          <Fragment key={item.id}>
            {entry(item)}
            <div className="nav-group" role="group" aria-labelledby="nav-segments-label" data-testid="segment-list">
              <div className="nav-group-label" id="nav-segments-label">
                {t("segments.title")}
              </div>
              {segments.map((segment) => {
                const formatted = formatNumber(segment.count, i18n.language);
                return (
                  <button
                    key={segment.id}
                    type="button"
                    className="nav-item nav-sub nav-segment"
                    data-testid="segment-link"
                    data-id={segment.id}
                    aria-current={openSegment === segment.id ? "page" : undefined}
                    aria-label={t("segments.linkLabel", { name: segment.name, count: segment.count, formatted })}
                    title={segment.name}
                    onClick={() => {
                      setFilters((f) => withSegmentFilter(f, segment.filter));
                      navigate({ name: "customers", segment: segment.id });
                    }}
                  >
                    <span className="nav-icon">
                      <Icon name="filter" />
                    </span>
                    <span className="nav-label">{segment.name}</span>
                    <span className="nav-count" data-testid="segment-count">
                      {formatted}
                    </span>
                  </button>
                );
              })}
            </div>
          </Fragment>
        ) : (
          entry(item)
        ),
      )}
      <div style={{ flex: 1 }} />
      {entry(SETTINGS_ITEM)}
      <SyncIndicator />
    </nav>
  );
}
