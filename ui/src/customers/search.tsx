import { useTranslation } from "react-i18next";
import { commands, type MatchField, type SearchHit } from "../bindings";
import { call } from "../lib/result";
import type { ModuleSearch, ModuleSearchHit } from "../shell/module";
import { KindIcon, StagePill } from "./StagePill";

/**
 * Customers in the global search and the palette: the core's search (names, companies, emails,
 * phones, tags, notes, custom values; Chinese substrings too), each hit saying which field matched.
 */
export const customerSearch: ModuleSearch = {
  label: "palette.groupCustomers",
  find: async (text, limit) => {
    const result = await call(commands.searchCustomers(text, null, limit));
    return result.status === "ok" ? { status: "ok", data: result.data.map(toHit) } : result;
  },
};

function toHit({ row, matched }: SearchHit): ModuleSearchHit {
  return {
    id: row.id,
    title: row.name,
    subtitle: row.companyName || undefined,
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
