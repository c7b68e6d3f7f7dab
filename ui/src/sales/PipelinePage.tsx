/**
 * The pipeline: the board (a column per stage; drag a card, or pick "Move to…"), the list (filters
 * and saved views) and the forecast. One filter serves all three tabs.
 */
import { useCallback, useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { commands, type BoardColumn, type DealCard, type DealFilter, type Forecast, type SalesSettings } from "../bindings";
import { useRouter } from "../lib/router";
import { call } from "../lib/result";
import { useToast } from "../lib/toast";
import { SavedViews } from "../records/SavedViews";
import { money, onSalesChanged, salesChanged, stageName, useSalesReload, useSalesSettings } from "./api";

export type PipelineTab = "board" | "list" | "forecast";

type Filter = { query: string; stage: string; owner: string; closeFrom: string; closeTo: string };
const EMPTY: Filter = { query: "", stage: "", owner: "", closeFrom: "", closeTo: "" };

function toDealFilter(f: Filter): DealFilter {
  return {
    query: f.query.trim(),
    stages: f.stage ? [f.stage] : [],
    owners: f.owner.trim() ? [f.owner.trim()] : [],
    closeFrom: f.closeFrom,
    closeTo: f.closeTo,
    customerId: null,
  };
}

function fromDealFilter(d: DealFilter): Filter {
  return { query: d.query ?? "", stage: d.stages?.[0] ?? "", owner: d.owners?.[0] ?? "", closeFrom: d.closeFrom ?? "", closeTo: d.closeTo ?? "" };
}

export function PipelinePage({ tab = "board" }: { tab?: PipelineTab }) {
  const { t } = useTranslation();
  const { navigate } = useRouter();
  const settings = useSalesSettings();
  const [filter, setFilter] = useState<Filter>(EMPTY);
  return (
    <div className="page sales-page pipeline-page" data-testid="pipeline-page">
      <div className="page-header">
        <h1 className="page-title">{t("sales.pipeline")}</h1>
        <div className="segmented" role="group" aria-label={t("sales.pipeline")}>
          {(["board", "list", "forecast"] as const).map((k) => (
            <button key={k} type="button" aria-pressed={tab === k} data-testid={`pipeline-tab-${k}`} onClick={() => navigate({ name: "pipeline", tab: k }, { replace: true })}>
              {t(`sales.tab.${k}`)}
            </button>
          ))}
        </div>
        <div className="page-actions">
          <button type="button" className="btn btn-primary" data-action="new-deal" data-testid="new-deal" onClick={() => navigate({ name: "deal-new" })}>
            {t("sales.newDeal")}
          </button>
        </div>
      </div>
      <div className="page-body">
        <Filters filter={filter} setFilter={setFilter} settings={settings} />
        {tab === "list" && <DealViews filter={filter} setFilter={setFilter} />}
        {tab === "board" && settings && <Board filter={filter} settings={settings} />}
        {tab === "list" && <DealList filter={filter} settings={settings} />}
        {tab === "forecast" && <ForecastTable filter={filter} />}
      </div>
    </div>
  );
}

function Filters({ filter, setFilter, settings }: { filter: Filter; setFilter: (f: Filter) => void; settings: SalesSettings | null }) {
  const { t, i18n } = useTranslation();
  const set = (patch: Partial<Filter>) => setFilter({ ...filter, ...patch });
  return (
    <div className="filters deal-filters" data-testid="deal-filters">
      <input spellCheck={false} className="input" type="search" name="query" data-testid="deal-query" placeholder={t("sales.filterQuery")} aria-label={t("sales.filterQuery")} value={filter.query} onChange={(e) => set({ query: e.target.value })} />
      <select className="select" name="stage" data-testid="deal-filter-stage" aria-label={t("sales.stage")} value={filter.stage} onChange={(e) => set({ stage: e.target.value })}>
        <option value="">{t("sales.allStages")}</option>
        {settings?.stages.map((s) => (
          <option key={s.id} value={s.id}>
            {stageName(s, i18n.language, s.id)}
          </option>
        ))}
      </select>
      <input className="input" name="owner" data-testid="deal-filter-owner" placeholder={t("sales.owner")} aria-label={t("sales.owner")} value={filter.owner} onChange={(e) => set({ owner: e.target.value })} />
      <label className="field-check">
        {t("sales.closeFrom")}
        <input className="input" type="date" name="closeFrom" data-testid="deal-filter-from" value={filter.closeFrom} onChange={(e) => set({ closeFrom: e.target.value })} />
      </label>
      <label className="field-check">
        {t("sales.closeTo")}
        <input className="input" type="date" name="closeTo" data-testid="deal-filter-to" value={filter.closeTo} onChange={(e) => set({ closeTo: e.target.value })} />
      </label>
      {JSON.stringify(filter) !== JSON.stringify(EMPTY) && (
        <button type="button" className="btn btn-small" data-testid="deal-filter-clear" onClick={() => setFilter(EMPTY)}>
          {t("sales.clearFilters")}
        </button>
      )}
    </div>
  );
}

/** Debounces a value (the filter's text) so each keystroke does not refetch. */
function useDebounced<T>(value: T, ms = 200): T {
  const [v, setV] = useState(value);
  useEffect(() => {
    const timer = window.setTimeout(() => setV(value), ms);
    return () => window.clearTimeout(timer);
  }, [value, ms]);
  return v;
}

type Drag = { id: string; from: string; x: number; y: number; startX: number; startY: number; active: boolean };

/** The distance a pressed pointer must travel before it drags (shorter: a click that opens the deal). */
const DRAG_THRESHOLD = 4;

function Board({ filter, settings }: { filter: Filter; settings: SalesSettings }) {
  const { t, i18n } = useTranslation();
  const { navigate } = useRouter();
  const toast = useToast();
  const [columns, setColumns] = useState<BoardColumn[] | null>(null);
  const [drag, setDrag] = useState<Drag | null>(null);
  const [over, setOver] = useState<string | null>(null);
  const [askLost, setAskLost] = useState<{ card: DealCard; from: string } | null>(null);
  // What the document's listeners read: set by the handlers themselves, ahead of the next render.
  const dragRef = useRef<Drag | null>(null);
  const dealFilter = useDebounced(JSON.stringify(toDealFilter(filter)));
  const columnsRef = useRef(columns);
  columnsRef.current = columns;

  const load = useCallback(() => {
    void call(commands.salesBoard(JSON.parse(dealFilter) as DealFilter, 100)).then((r) => {
      if (r.status === "ok") setColumns(r.data);
      else toast.show({ message: r.error.message, tone: "error" });
    });
  }, [dealFilter, toast]);
  useSalesReload(load);

  const move = useCallback(
    async (card: DealCard, from: string, to: string, lostReason = "") => {
      if (from === to) return;
      const before = columnsRef.current;
      if (!before) return;
      // Shown in its new column at once; the sums come back with the next board (never added up here).
      setColumns(
        before.map((c) =>
          c.stage.id === from
            ? { ...c, count: c.count - 1, cards: c.cards.filter((x) => x.id !== card.id) }
            : c.stage.id === to
              ? { ...c, count: c.count + 1, cards: [card, ...c.cards] }
              : c,
        ),
      );
      const r = await call(commands.moveOpportunity(card.id, to, lostReason));
      if (r.status === "error") {
        setColumns(before);
        toast.show({ message: r.error.message, tone: "error", kind: "move-failed" });
        return;
      }
      salesChanged();
    },
    [toast],
  );

  const drop = useCallback(
    (cardId: string, from: string, to: string) => {
      const card = columnsRef.current?.find((c) => c.stage.id === from)?.cards.find((c) => c.id === cardId);
      if (!card || from === to) return;
      if (to === "lost") setAskLost({ card, from });
      else void move(card, from, to);
    },
    [move],
  );

  // While a card is pressed: follow the pointer, and drop it where the button is let go.
  const pressed = drag !== null;
  useEffect(() => {
    if (!pressed) return;
    const onMove = (e: MouseEvent) => {
      const d = dragRef.current;
      if (!d) return;
      const active = d.active || Math.abs(e.clientX - d.startX) + Math.abs(e.clientY - d.startY) >= DRAG_THRESHOLD;
      const next = { ...d, x: e.clientX, y: e.clientY, active };
      dragRef.current = next;
      setDrag(next);
      const stage = stageUnder(e);
      if (stage !== undefined) setOver(stage);
    };
    const onUp = (e: MouseEvent) => {
      const d = dragRef.current;
      dragRef.current = null;
      setDrag(null);
      setOver(null);
      if (!d?.active) return;
      const to = stageUnder(e);
      if (to) drop(d.id, d.from, to);
    };
    document.addEventListener("mousemove", onMove);
    document.addEventListener("mouseup", onUp);
    return () => {
      document.removeEventListener("mousemove", onMove);
      document.removeEventListener("mouseup", onUp);
    };
  }, [pressed, drop]);

  if (!columns) return <p className="muted">{t("sales.loading")}</p>;
  const lang = i18n.language;
  return (
    <>
      <div className={`board${drag?.active ? " board-dragging" : ""}`} data-testid="board">
        {columns.map((col) => (
          <section
            key={col.stage.id}
            className={`board-column${over === col.stage.id && drag?.active ? " board-column-over" : ""}`}
            data-stage={col.stage.id}
            data-testid="board-column"
            aria-label={stageName(col.stage, lang, col.stage.id)}
          >
            <header className="board-column-head">
              <h2 className="board-column-title">{stageName(col.stage, lang, col.stage.id)}</h2>
              <span className="badge" data-testid="column-count">
                {col.count}
              </span>
              <div className="board-sums muted" data-testid="column-sums">
                {col.sums.map((s) => (
                  <span key={s.currency} data-currency={s.currency}>
                    {money(s.amount, s.currency)}
                  </span>
                ))}
              </div>
            </header>
            <ul className="board-cards">
              {col.cards.map((card) => (
                <li
                  key={card.id}
                  className={`card deal-card${drag?.active && drag.id === card.id ? " deal-card-dragging" : ""}`}
                  data-deal={card.id}
                  data-deal-title={card.title}
                  data-testid="deal-card"
                  onMouseDown={(e) => {
                    if (e.button !== 0 || (e.target as Element).closest("select, button, a, input")) return;
                    e.preventDefault();
                    const start = { id: card.id, from: col.stage.id, x: e.clientX, y: e.clientY, startX: e.clientX, startY: e.clientY, active: false };
                    dragRef.current = start;
                    setDrag(start);
                  }}
                >
                  <button type="button" className="deal-card-title link-button" title={card.title} onClick={() => navigate({ name: "deal", id: card.id })}>
                    {card.title}
                  </button>
                  <div className="deal-card-customer muted" title={card.customerName}>
                    {card.customerName}
                  </div>
                  <div className="deal-card-meta">
                    <span className="deal-card-amount">{money(card.amount, card.currency)}</span>
                    <span className="muted">{card.probability}%</span>
                  </div>
                  {card.expectedClose && <div className="deal-card-close muted">{t("sales.closes", { date: card.expectedClose })}</div>}
                  <select
                    className="select deal-card-move"
                    aria-label={t("sales.moveTo")}
                    data-testid="deal-move"
                    value=""
                    onChange={(e) => e.target.value && drop(card.id, col.stage.id, e.target.value)}
                  >
                    <option value="">{t("sales.moveTo")}</option>
                    {settings.stages
                      .filter((s) => s.id !== col.stage.id)
                      .map((s) => (
                        <option key={s.id} value={s.id}>
                          {stageName(s, lang, s.id)}
                        </option>
                      ))}
                  </select>
                </li>
              ))}
              {col.count > col.cards.length && <li className="muted board-more">{t("sales.moreDeals", { count: col.count - col.cards.length })}</li>}
            </ul>
          </section>
        ))}
      </div>
      {drag?.active && (
        <div className="deal-ghost card" style={{ left: drag.x + 8, top: drag.y + 8 }} aria-hidden="true">
          {columns.flatMap((c) => c.cards).find((c) => c.id === drag.id)?.title}
        </div>
      )}
      {askLost && (
        <LostDialog
          reasons={settings.lostReasons}
          onCancel={() => setAskLost(null)}
          onConfirm={(reason) => {
            const { card, from } = askLost;
            setAskLost(null);
            void move(card, from, "lost", reason);
          }}
        />
      )}
    </>
  );
}

/**
 * The column under the pointer: the event's target (what a real mouse reports, the ghost card
 * letting it through), else what is at its point. `undefined`: not over the board.
 */
function stageUnder(e: MouseEvent): string | undefined {
  const fromTarget = e.target instanceof Element ? e.target.closest<HTMLElement>("[data-stage]") : null;
  if (fromTarget) return fromTarget.dataset.stage;
  const at = typeof document.elementFromPoint === "function" ? document.elementFromPoint(e.clientX, e.clientY) : null;
  return at?.closest<HTMLElement>("[data-stage]")?.dataset.stage;
}

export function LostDialog({ reasons, onCancel, onConfirm }: { reasons: string[]; onCancel: () => void; onConfirm: (reason: string) => void }) {
  const { t } = useTranslation();
  const [reason, setReason] = useState(reasons[0] ?? "");
  return (
    <div className="overlay" role="presentation" onKeyDown={(e) => e.key === "Escape" && onCancel()}>
      <div className="dialog sales-dialog" role="dialog" aria-modal="true" aria-label={t("sales.lostTitle")} data-testid="lost-dialog">
        <h2 className="dialog-title">{t("sales.lostTitle")}</h2>
        <select className="select" name="lostReason" data-testid="lost-reason" autoFocus value={reason} onChange={(e) => setReason(e.target.value)}>
          {reasons.map((r) => (
            <option key={r} value={r}>
              {r}
            </option>
          ))}
        </select>
        <div className="dialog-actions">
          <button type="button" className="btn btn-primary" data-action="confirm-lost" data-testid="lost-confirm" disabled={!reason} onClick={() => onConfirm(reason)}>
            {t("sales.markLost")}
          </button>
          <button type="button" className="btn" data-testid="lost-cancel" onClick={onCancel}>
            {t("sales.cancel")}
          </button>
        </div>
      </div>
    </div>
  );
}

function DealViews({ filter, setFilter }: { filter: Filter; setFilter: (f: Filter) => void }) {
  const { t } = useTranslation();
  const list = useCallback(() => commands.dealViews(), []);
  return (
    <SavedViews<DealFilter>
      testId="deal-view"
      list={list}
      save={(name) => commands.saveDealView(name, toDealFilter(filter))}
      remove={(id) => commands.deleteDealView(id)}
      subscribe={onSalesChanged}
      apply={(f) => setFilter(fromDealFilter(f))}
      words={{ save: t("sales.saveView"), name: t("sales.viewName"), confirm: t("sales.save"), cancel: t("sales.cancel"), remove: (name) => t("sales.deleteView", { name }) }}
    />
  );
}

function DealList({ filter, settings }: { filter: Filter; settings: SalesSettings | null }) {
  const { t, i18n } = useTranslation();
  const { navigate } = useRouter();
  const [deals, setDeals] = useState<DealCard[] | null>(null);
  const dealFilter = useDebounced(JSON.stringify(toDealFilter(filter)));
  const load = useCallback(() => {
    void call(commands.listDeals(JSON.parse(dealFilter) as DealFilter, 500)).then((r) => r.status === "ok" && setDeals(r.data));
  }, [dealFilter]);
  useSalesReload(load);
  void settings;
  void i18n;
  if (!deals) return <p className="muted">{t("sales.loading")}</p>;
  if (deals.length === 0) return <p className="muted" data-testid="deals-empty">{t("sales.noDeals")}</p>;
  return (
    <table className="sales-table" data-testid="deal-list">
      <thead>
        <tr>
          <th>{t("sales.title")}</th>
          <th>{t("sales.customer")}</th>
          <th>{t("sales.owner")}</th>
          <th className="num">{t("sales.amount")}</th>
          <th className="num">{t("sales.probability")}</th>
          <th>{t("sales.expectedClose")}</th>
        </tr>
      </thead>
      <tbody>
        {deals.map((d) => (
          <tr key={d.id} data-deal={d.id} data-testid="deal-row" className="clickable" onClick={() => navigate({ name: "deal", id: d.id })}>
            <td title={d.title}>
              <button type="button" className="link-button" onClick={() => navigate({ name: "deal", id: d.id })}>
                {d.title}
              </button>
            </td>
            <td title={d.customerName}>{d.customerName}</td>
            <td>{d.owner}</td>
            <td className="num">{money(d.amount, d.currency)}</td>
            <td className="num">{d.probability}%</td>
            <td>{d.expectedClose}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function ForecastTable({ filter }: { filter: Filter }) {
  const { t } = useTranslation();
  const [forecast, setForecast] = useState<Forecast | null>(null);
  const dealFilter = useDebounced(JSON.stringify(toDealFilter(filter)));
  const load = useCallback(() => {
    void call(commands.salesForecast(JSON.parse(dealFilter) as DealFilter)).then((r) => r.status === "ok" && setForecast(r.data));
  }, [dealFilter]);
  useSalesReload(load);
  if (!forecast) return <p className="muted">{t("sales.loading")}</p>;
  const home = forecast.homeCurrency;
  return (
    <div className="forecast" data-testid="forecast">
      {forecast.missingRates.length > 0 && (
        <p className="banner banner-warning" data-testid="forecast-missing-rates" role="status">
          {t("sales.missingRates", { currencies: forecast.missingRates.join(", ") })}
        </p>
      )}
      <table className="sales-table">
        <thead>
          <tr>
            <th>{t("sales.month")}</th>
            <th>{t("sales.owner")}</th>
            <th>{t("sales.currency")}</th>
            <th className="num">{t("sales.deals")}</th>
            <th className="num">{t("sales.pipelineAmount")}</th>
            <th className="num">{t("sales.weighted")}</th>
            <th className="num">{t("sales.weightedHome", { currency: home })}</th>
            <th>{t("sales.rateDate")}</th>
          </tr>
        </thead>
        <tbody>
          {forecast.rows.map((r, i) => (
            <tr key={i} data-testid="forecast-row" data-month={r.month}>
              <td>{r.month || t("sales.noClose")}</td>
              <td>{r.owner}</td>
              <td>{r.currency}</td>
              <td className="num">{r.deals}</td>
              <td className="num">{money(r.pipeline, r.currency)}</td>
              <td className="num">{money(r.weighted, r.currency)}</td>
              <td className="num">{r.weightedHome ? money(r.weightedHome, home) : "—"}</td>
              <td>{r.rateDate}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2 className="section-title">{t("sales.monthTotals", { currency: home })}</h2>
      <ul className="forecast-months" data-testid="forecast-months">
        {forecast.months.map((m, i) => (
          <li key={i}>
            <span>{m.currency || t("sales.noClose")}</span> <strong>{money(m.amount, home)}</strong>
          </li>
        ))}
      </ul>
    </div>
  );
}
