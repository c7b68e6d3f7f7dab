import { useTranslation } from "react-i18next";
import { commands } from "../bindings";
import { Icon } from "../shell/Icon";
import type { ModuleSearch, ModuleSearchHit } from "../shell/module";
import { call } from "../lib/result";

/**
 * Tickets and knowledge-base articles in the global search and the palette: tickets by number,
 * subject or customer (every ticket, closed ones too), articles by any of their words.
 */
export const serviceSearch: ModuleSearch = {
  label: "service.searchGroup",
  find: async (text, limit) => {
    const [tickets, articles] = await Promise.all([call(commands.ticketQueue({ view: "all", sort: "opened", query: text }, limit)), call(commands.searchArticles(text, limit))]);
    if (tickets.status === "error") return tickets;
    if (articles.status === "error") return articles;
    const hits: ModuleSearchHit[] = [
      ...tickets.data.map((x): ModuleSearchHit => ({ id: `ticket:${x.id}`, title: `${x.number} ${x.subject}`, subtitle: x.customerName || undefined, icon: <Icon name="lifebuoy" />, meta: <KindBadge kind="ticket" />, route: { name: "ticket", id: x.id } })),
      ...articles.data.map((a): ModuleSearchHit => ({ id: `article:${a.id}`, title: a.title, icon: <Icon name="note" />, meta: <KindBadge kind="article" />, route: { name: "article", id: a.id } })),
    ];
    return { status: "ok", data: hits.slice(0, limit) };
  },
};

// A component, so a language switch relabels hits on screen.
function KindBadge({ kind }: { kind: string }) {
  const { t } = useTranslation();
  return <span className="badge">{t(`service.hitKind.${kind}`)}</span>;
}
