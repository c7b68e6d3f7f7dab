import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import { type CustomerRow, type MatchField, type SearchHit } from "../bindings";
import { useRouter } from "../lib/router";
import { searchEverything } from "../shell/everything";
import type { ListFilter, ModuleSearch, ModuleSearchHit } from "../shell/module";
import { useFilters, withText } from "./filters";
import { KindIcon, StagePill } from "./StagePill";

/**
 * Customers in the global search and the palette: the core's search (names, companies, emails,
 * phones, tags, job titles and departments, notes, custom values; Chinese substrings too), each
 * hit saying which field matched.
 * "Show all in the list" opens the customer list searching for the same text.
 */
export const customerSearch: ModuleSearch = {
  label: "palette.groupCustomers",
  find: async (text, limit) => {
    const result = await searchEverything(text, limit);
    return result.status === "ok" ? { status: "ok", data: toHits(result.data.customers) } : result;
  },
  useListFilter: useCustomerListFilter,
};

function useCustomerListFilter(): ListFilter {
  const { showSearch, setFilters } = useFilters();
  const { route, navigate } = useRouter();
  const onList = route.name === "customers";
  return useMemo(
    () => ({
      showAll: (text) => {
        showSearch(text);
        // The plain list (a saved segment's filters would hide some matches), in place of the
        // list already open, so Back does not lead to the same list again.
        navigate({ name: "customers" }, { replace: onList });
      },
      clear: () => setFilters((f) => (f.text === undefined ? f : withText(f, ""))),
    }),
    [showSearch, setFilters, navigate, onList],
  );
}

/**
 * What tells records of the same name apart, in this order: the company (already each hit's
 * subtitle), then a person's job title, the phone, the email, the owner. The core's row has no
 * address, so a city cannot be among them.
 */
const TELLERS: ((row: CustomerRow) => string)[] = [
  (row) => row.companyName ?? "",
  (row) => row.jobTitle,
  (row) => row.phone ?? "",
  (row) => row.email ?? "",
  (row) => row.owner,
];

/**
 * Hits as the search shows them. Hits sharing a name (two 王伟 are common) also show the first of
 * TELLERS whose value is not the same for all of them; every other hit shows its company, as before.
 */
export function toHits(hits: readonly SearchHit[]): ModuleSearchHit[] {
  const byName = new Map<string, CustomerRow[]>();
  for (const { row } of hits) {
    const key = row.name.trim().toLowerCase();
    byName.set(key, [...(byName.get(key) ?? []), row]);
  }
  const tellerOf = (row: CustomerRow): ((row: CustomerRow) => string) | null => {
    const namesakes = byName.get(row.name.trim().toLowerCase()) ?? [];
    if (namesakes.length < 2) return null;
    return TELLERS.find((teller) => new Set(namesakes.map(teller)).size > 1) ?? null;
  };
  return hits.map(({ row, matched }) => {
    const teller = tellerOf(row);
    const extra = teller && teller !== TELLERS[0] ? teller(row) : "";
    const subtitle = [row.companyName ?? "", extra].filter((part) => part !== "").join(" · ");
    return toHit(row, matched, subtitle);
  });
}

function toHit(row: CustomerRow, matched: MatchField, subtitle: string): ModuleSearchHit {
  return {
    id: row.id,
    title: row.name,
    subtitle: subtitle || undefined,
    icon: <KindIcon kind={row.kind} />,
    meta: (
      <>
        <MatchBadge matched={matched} />
        <StagePill stage={row.stage} />
      </>
    ),
    route: { name: "customer", id: row.id },
  };
}

// A component, not a string made at search time, so a language switch relabels hits on screen.
function MatchBadge({ matched }: { matched: MatchField }) {
  const { t } = useTranslation();
  return (
    <span className="badge" title={t("search.matchedIn")}>
      {t(`match.${matched}`)}
    </span>
  );
}
