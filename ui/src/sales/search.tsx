import type { RecordHit } from "../bindings";
import { searchEverything } from "../shell/everything";
import { Icon, type IconName } from "../shell/Icon";
import type { ModuleSearch, ModuleSearchHit } from "../shell/module";
import { useTranslation } from "react-i18next";

/**
 * Deals, quotes and contracts in the global search and the palette: deals by title or customer,
 * quotes and contracts by number, title or customer (the sales part of the core's
 * `search_everything`).
 */
export const salesSearch: ModuleSearch = {
  label: "sales.searchGroup",
  find: async (text, limit) => {
    const result = await searchEverything(text, limit);
    return result.status === "ok" ? { status: "ok", data: result.data.sales.map(toHit) } : result;
  },
};

const ICONS: Record<string, IconName> = { deal: "briefcase", quote: "file", contract: "contract" };

function toHit(hit: RecordHit): ModuleSearchHit {
  const route =
    hit.kind === "deal" ? { name: "deal" as const, id: hit.id } : hit.kind === "quote" ? { name: "quote" as const, id: hit.id } : { name: "contract" as const, id: hit.id };
  return { id: `${hit.kind}:${hit.id}`, title: hit.title, subtitle: hit.subtitle || undefined, icon: <Icon name={ICONS[hit.kind] ?? "file"} />, meta: <KindBadge kind={hit.kind} />, route };
}

// A component, so a language switch relabels hits on screen.
function KindBadge({ kind }: { kind: string }) {
  const { t } = useTranslation();
  return <span className="badge">{t(`sales.hitKind.${kind}`)}</span>;
}
