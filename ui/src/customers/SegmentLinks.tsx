import { useCallback } from "react";
import { useTranslation } from "react-i18next";
import { formatNumber } from "../lib/format";
import { useRouter, type Route } from "../lib/router";
import { Icon } from "../shell/Icon";
import { useFilters, withSegmentFilter } from "./filters";
import { useSegments } from "./segments";

/**
 * The saved segments in the sidebar, under Customers' entries (only while there are any): each
 * applies its filters and opens the list as it, with its live count.
 */
export function SegmentLinks() {
  const { t, i18n } = useTranslation();
  const { route, navigate } = useRouter();
  const { setFilters } = useFilters();
  const { segments } = useSegments();
  const openSegment = route.name === "customers" ? route.segment : undefined;
  if (segments.length === 0) return null;

  return (
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
  );
}

/** Customers' sidebar entry: leaving a segment for the whole list shows the whole list, not the segment's filters. */
export function useLeaveSegment(): (from: Route) => void {
  const { clear } = useFilters();
  return useCallback(
    (from: Route) => {
      if (from.name === "customers" && from.segment !== undefined) clear();
    },
    [clear],
  );
}
