import { useTranslation } from "react-i18next";
import { searchEverything } from "../shell/everything";
import { Icon } from "../shell/Icon";
import type { ModuleSearch, ModuleSearchHit } from "../shell/module";

/**
 * Tickets and knowledge-base articles in the global search and the palette: tickets by number,
 * subject or customer (every ticket, closed ones too), articles by any of their words: the
 * service part of the core's `search_everything`, tickets first.
 */
export const serviceSearch: ModuleSearch = {
  label: "service.searchGroup",
  find: async (text, limit) => {
    const result = await searchEverything(text, limit);
    if (result.status === "error") return result;
    const hits = result.data.service.map((x): ModuleSearchHit =>
      x.kind === "ticket"
        ? { id: `ticket:${x.id}`, title: x.title, subtitle: x.subtitle || undefined, icon: <Icon name="lifebuoy" />, meta: <KindBadge kind="ticket" />, route: { name: "ticket", id: x.id } }
        : { id: `article:${x.id}`, title: x.title, icon: <Icon name="note" />, meta: <KindBadge kind="article" />, route: { name: "article", id: x.id } },
    );
    return { status: "ok", data: hits };
  },
};

// A component, so a language switch relabels hits on screen.
function KindBadge({ kind }: { kind: string }) {
  const { t } = useTranslation();
  return <span className="badge">{t(`service.hitKind.${kind}`)}</span>;
}
