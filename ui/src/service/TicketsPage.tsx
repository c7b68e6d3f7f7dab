/**
 * The ticket queues: mine, unassigned, breaching soon, breached, open, all; narrowed by words,
 * status and priority, sorted by due time, opening or priority; saved as named views; tickets
 * picked with their checkboxes are assigned or moved together (all or none, as the core does).
 * The core works out each badge as of its clock; the page asks again every minute so the
 * countdowns move.
 */
import { memo, useCallback, useEffect, useRef, useState } from "react";
import type { TFunction } from "i18next";
import { useTranslation } from "react-i18next";
import { commands, type QueueFilter, type QueueItem, type QueueSort, type QueueView, type TicketId, type TicketPriority, type TicketStatus } from "../bindings";
import { useRouter } from "../lib/router";
import { call } from "../lib/result";
import { useToast } from "../lib/toast";
import { SavedViews } from "../records/SavedViews";
import { PRIORITIES, QUEUE_VIEWS, STATUSES, onServiceChanged, serviceChanged, useServiceReload } from "./api";
import { priorityBadge, slaBadge, statusBadge } from "./parts";

const SORTS: QueueSort[] = ["due", "opened", "priority"];
const LIMIT = 500;
/** How often the countdowns are asked again. */
const REFRESH_MS = 60_000;

export function TicketsPage({ view = "open" }: { view?: QueueView }) {
  const { t } = useTranslation();
  const { navigate } = useRouter();
  const toast = useToast();
  const [filter, setFilter] = useState<QueueFilter>({ view, sort: "due", query: "", statuses: [], priorities: [] });
  const [items, setItems] = useState<QueueItem[] | null>(null);
  const [picked, setPicked] = useState<Set<TicketId>>(new Set());
  const [assignees, setAssignees] = useState<string[]>([]);
  const [assignTo, setAssignTo] = useState("");
  const [moveTo, setMoveTo] = useState<TicketStatus | "">("");
  const [bulkError, setBulkError] = useState<string | null>(null);
  const load = useCallback(() => {
    void call(commands.ticketQueue(filter, LIMIT)).then((r) => r.status === "ok" && setItems(r.data));
    void call(commands.ticketAssignees()).then((r) => r.status === "ok" && setAssignees(r.data));
  }, [filter]);
  useServiceReload(load);
  useEffect(() => {
    const timer = window.setInterval(load, REFRESH_MS);
    return () => window.clearInterval(timer);
  }, [load]);
  // A changed queue keeps only the picked tickets it still shows.
  useEffect(() => {
    if (!items) return;
    // The same set when nothing went: a new one would draw every row again.
    setPicked((p) => {
      if (p.size === 0) return p;
      const shown = new Set(items.map((i) => i.id));
      const kept = [...p].filter((id) => shown.has(id));
      return kept.length === p.size ? p : new Set(kept);
    });
  }, [items]);

  const set = (patch: Partial<QueueFilter>) => setFilter((f) => ({ ...f, ...patch }));
  // Stable, so a row is drawn again only when its ticket or its checkbox changes (TicketRow).
  const toggle = useCallback(
    (id: TicketId) =>
      setPicked((p) => {
        const next = new Set(p);
        if (next.has(id)) next.delete(id);
        else next.add(id);
        return next;
      }),
    [],
  );
  const navigateRef = useRef(navigate);
  navigateRef.current = navigate;
  const open = useCallback((id: TicketId) => navigateRef.current({ name: "ticket", id }), []);
  const allPicked = items !== null && items.length > 0 && items.every((i) => picked.has(i.id));
  const bulk = async (kind: "assign" | "move") => {
    const ids = [...picked];
    const r = kind === "assign" ? await call(commands.assignTickets(ids, assignTo)) : moveTo ? await call(commands.moveTickets(ids, moveTo)) : null;
    if (!r) return;
    if (r.status === "error") return setBulkError(r.error.message);
    setBulkError(null);
    setPicked(new Set());
    toast.show({ message: t(kind === "assign" ? "service.bulkAssigned" : "service.bulkMoved", { count: r.data }), kind: "tickets-changed" });
    serviceChanged();
  };

  return (
    <div className="page service-page tickets-page" data-testid="tickets-page">
      <div className="page-header">
        <h1 className="page-title">{t("service.tickets")}</h1>
        <div className="page-actions">
          <button type="button" className="btn btn-primary" data-action="new-ticket" onClick={() => navigate({ name: "ticket-new" })}>
            {t("service.newTicket")}
          </button>
        </div>
      </div>
      <div className="page-body">
        <div className="queue-tabs" role="tablist" aria-label={t("service.queues")}>
          {QUEUE_VIEWS.map((v) => (
            <button key={v} type="button" role="tab" aria-selected={filter.view === v} className={`tab ${filter.view === v ? "tab-current" : ""}`} data-testid={`queue-${v}`} onClick={() => set({ view: v })}>
              {t(`service.view.${v}`)}
            </button>
          ))}
        </div>
        <div className="queue-filters">
          <input spellCheck={false} className="input" type="search" data-testid="queue-search" aria-label={t("service.searchTickets")} placeholder={t("service.searchTickets")} value={filter.query ?? ""} onChange={(e) => set({ query: e.target.value })} />
          <select className="select" data-testid="queue-status" aria-label={t("service.statusLabel")} value={filter.statuses?.[0] ?? ""} onChange={(e) => set({ statuses: e.target.value ? [e.target.value as TicketStatus] : [] })}>
            <option value="">{t("service.anyStatus")}</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(`service.status.${s}`)}
              </option>
            ))}
          </select>
          <select className="select" data-testid="queue-priority" aria-label={t("service.priorityLabel")} value={filter.priorities?.[0] ?? ""} onChange={(e) => set({ priorities: e.target.value ? [e.target.value as TicketPriority] : [] })}>
            <option value="">{t("service.anyPriority")}</option>
            {PRIORITIES.map((p) => (
              <option key={p} value={p}>
                {t(`service.priority.${p}`)}
              </option>
            ))}
          </select>
          <select className="select" data-testid="queue-sort" aria-label={t("service.sortLabel")} value={filter.sort ?? "due"} onChange={(e) => set({ sort: e.target.value as QueueSort })}>
            {SORTS.map((s) => (
              <option key={s} value={s}>
                {t(`service.sort.${s}`)}
              </option>
            ))}
          </select>
        </div>
        <SavedQueues filter={filter} setFilter={setFilter} />
        {picked.size > 0 && (
          <div className="bulk-bar" data-testid="ticket-bulk">
            <span>{t("service.picked", { count: picked.size })}</span>
            <input className="input" list="ticket-assignees" data-testid="bulk-assignee" aria-label={t("service.assignTo")} placeholder={t("service.assignTo")} value={assignTo} onChange={(e) => setAssignTo(e.target.value)} />
            <datalist id="ticket-assignees">
              {assignees.map((a) => (
                <option key={a} value={a} />
              ))}
            </datalist>
            <button type="button" className="btn btn-small" data-action="bulk-assign" onClick={() => void bulk("assign")}>
              {t("service.assign")}
            </button>
            <select className="select" data-testid="bulk-status" aria-label={t("service.moveTo")} value={moveTo} onChange={(e) => setMoveTo(e.target.value as TicketStatus | "")}>
              <option value="">{t("service.moveTo")}</option>
              {STATUSES.map((s) => (
                <option key={s} value={s}>
                  {t(`service.status.${s}`)}
                </option>
              ))}
            </select>
            <button type="button" className="btn btn-small" data-action="bulk-move" disabled={!moveTo} onClick={() => void bulk("move")}>
              {t("service.apply")}
            </button>
            {bulkError && (
              <div className="field-error" role="alert" data-error-for="status">
                {bulkError}
              </div>
            )}
          </div>
        )}
        {items?.length === 0 && <p className="muted">{t("service.noTickets")}</p>}
        {items && items.length > 0 && (
          <table className="sales-table ticket-table" data-testid="ticket-list">
            <thead>
              <tr>
                <th>
                  <input type="checkbox" aria-label={t("service.pickAll")} data-testid="pick-all" checked={allPicked} onChange={() => setPicked(allPicked ? new Set() : new Set(items.map((i) => i.id)))} />
                </th>
                <th>{t("service.number")}</th>
                <th>{t("service.subject")}</th>
                <th>{t("service.customer")}</th>
                <th>{t("service.priorityLabel")}</th>
                <th>{t("service.statusLabel")}</th>
                <th>{t("service.assignee")}</th>
                <th>{t("service.sla.title")}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((i) => (
                <TicketRow key={i.id} t={t} item={i} picked={picked.has(i.id)} onToggle={toggle} onOpen={open} />
              ))}
            </tbody>
          </table>
        )}
      </div>
    </div>
  );
}

type TicketRowProps = {
  item: QueueItem;
  picked: boolean;
  onToggle: (id: TicketId) => void;
  onOpen: (id: TicketId) => void;
  /** The page's translation function: one `useTranslation` for the queue, not four a row (500
   * rows asked for 2,000). */
  t: TFunction;
};

/** Same fields, same row: the minute's refresh answers new objects for mostly unchanged tickets. */
function sameRow(a: TicketRowProps, b: TicketRowProps): boolean {
  if (a.picked !== b.picked || a.onToggle !== b.onToggle || a.onOpen !== b.onOpen || a.t !== b.t) return false;
  if (a.item === b.item) return true;
  const keys = Object.keys(b.item) as (keyof QueueItem)[];
  return keys.length === Object.keys(a.item).length && keys.every((k) => a.item[k] === b.item[k]);
}

/** One ticket of the queue; drawn again only when its ticket or its checkbox changes. */
const TicketRow = memo(function TicketRow({ item: i, picked, onToggle, onOpen, t }: TicketRowProps) {
  return (
    <tr data-testid="ticket-row" data-ticket={i.id} data-number={i.number} data-badge={i.badge}>
      <td>
        <input type="checkbox" aria-label={t("service.pick", { number: i.number })} data-testid="ticket-pick" checked={picked} onChange={() => onToggle(i.id)} />
      </td>
      <td>
        <button type="button" className="link-button" data-testid="ticket-open" onClick={() => onOpen(i.id)}>
          {i.number}
        </button>
      </td>
      <td title={i.subject}>{i.subject}</td>
      <td title={i.customerName}>{i.customerName}</td>
      <td>
        {priorityBadge(t, i.priority)}
      </td>
      <td>
        {statusBadge(t, i.status)}
      </td>
      <td>{i.assignee || <span className="muted">{t("service.nobody")}</span>}</td>
      <td>
        {slaBadge(t, i.badge, i.due, i.minutesLeft)}
      </td>
    </tr>
  );
}, sameRow);

function SavedQueues({ filter, setFilter }: { filter: QueueFilter; setFilter: (f: QueueFilter) => void }) {
  const { t } = useTranslation();
  const list = useCallback(() => commands.ticketViews(), []);
  return (
    <SavedViews<QueueFilter>
      testId="ticket-view"
      list={list}
      save={(name) => commands.saveTicketView(name, filter)}
      remove={(id) => commands.deleteTicketView(id)}
      subscribe={onServiceChanged}
      apply={(f) => setFilter({ view: "open", sort: "due", query: "", statuses: [], priorities: [], ...f })}
      words={{ save: t("service.saveView"), name: t("service.viewName"), confirm: t("service.save"), cancel: t("service.cancel"), remove: (name) => t("service.deleteView", { name }) }}
    />
  );
}
