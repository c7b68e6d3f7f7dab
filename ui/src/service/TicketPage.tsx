/**
 * One ticket: its SLA standing on both targets, its details, the moves its workflow allows
 * (closing asks for the customer's satisfaction), comments (internal, or said to the customer:
 * the first of those is the first response), linked knowledge-base articles with suggestions for
 * its subject, an article written from it once resolved, attachments and its history.
 */
import { useCallback, useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { commands, type Article, type ArticleHit, type Ticket, type TicketComment, type TicketId, type TicketStatus } from "../bindings";
import { Attachments } from "../records/Attachments";
import { RecordHistory } from "../records/RecordHistory";
import { useRouter } from "../lib/router";
import { call } from "../lib/result";
import { useToast } from "../lib/toast";
import { RecordCustomValues } from "../records/RecordCustomFields";
import { fieldErrors, onServiceChanged, serviceChanged, teamTime, useServiceReload } from "./api";
import { FieldError, PriorityBadge, StandingBadge, StatusBadge } from "./parts";

export function TicketPage({ id }: { id: TicketId }) {
  const { t } = useTranslation();
  const { navigate } = useRouter();
  const toast = useToast();
  const [ticket, setTicket] = useState<Ticket | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [closing, setClosing] = useState(false);
  const load = useCallback(() => {
    void call(commands.getTicket(id)).then((r) => (r.status === "ok" ? setTicket(r.data) : setError(r.error.message)));
  }, [id]);
  useServiceReload(load);
  // The standing moves with time: asked again each minute.
  useEffect(() => {
    const timer = window.setInterval(load, 60_000);
    return () => window.clearInterval(timer);
  }, [load]);

  const move = async (to: TicketStatus) => {
    if (to === "closed") return setClosing(true);
    const r = await call(commands.moveTicket(id, to, null, ""));
    if (r.status === "error") return toast.show({ message: r.error.message, tone: "error" });
    setTicket(r.data);
    serviceChanged();
  };

  if (error) return <div className="page"><div className="page-body"><p className="banner banner-error" role="alert">{error}</p></div></div>;
  if (!ticket) return <div className="page"><div className="page-body"><p className="muted">{t("service.loading")}</p></div></div>;
  const x = ticket;
  return (
    <div className="page service-page ticket-page" data-testid="ticket-page" data-id={x.id} data-number={x.number} data-status={x.status} data-priority={x.priority}>
      <div className="page-header">
        <h1 className="page-title" title={x.subject}>
          {x.number} · {x.subject}
        </h1>
        <StatusBadge status={x.status} />
        <PriorityBadge priority={x.priority} />
        <div className="page-actions">
          {x.next.map((to) => (
            <button key={to} type="button" className={`btn ${to === "resolved" || to === "closed" ? "btn-primary" : ""}`} data-action={`move-${to}`} onClick={() => void move(to)}>
              {t(`service.moveAction.${x.status === "resolved" || x.status === "closed" ? (to === "in_progress" ? "reopen" : to) : to}`)}
            </button>
          ))}
          <button type="button" className="btn" data-action="edit-ticket" onClick={() => navigate({ name: "ticket-edit", id: x.id })}>
            {t("service.edit")}
          </button>
        </div>
      </div>
      <div className="page-body ticket-body">
        <section className="detail-section ticket-sla" data-testid="ticket-sla">
          <div className="sla-line">
            <span className="form-label">{t("service.sla.firstResponse")}</span> <StandingBadge standing={x.firstResponse} due={x.firstResponseDue} />{" "}
            <span className="muted">{x.firstResponseAt ? t("service.answeredAt", { time: teamTime(x.firstResponseAt) }) : x.firstResponseDue ? t("service.sla.dueAt", { time: teamTime(x.firstResponseDue) }) : ""}</span>
          </div>
          <div className="sla-line">
            <span className="form-label">{t("service.sla.resolution")}</span> <StandingBadge standing={x.resolution} due={x.resolutionDue} />{" "}
            <span className="muted">{x.resolvedAt ? t("service.resolvedAt", { time: teamTime(x.resolvedAt) }) : x.resolutionDue ? t("service.sla.dueAt", { time: teamTime(x.resolutionDue) }) : ""}</span>
          </div>
        </section>
        <section className="detail-section ticket-details">
          <dl className="details-grid">
            <dt>{t("service.customer")}</dt>
            <dd>
              {x.customerId ? (
                <button type="button" className="link-button" data-testid="ticket-customer-link" onClick={() => x.customerId && navigate({ name: "customer", id: x.customerId })}>
                  {x.customerName}
                </button>
              ) : (
                "—"
              )}
            </dd>
            <dt>{t("service.channelLabel")}</dt>
            <dd>{t(`service.channel.${x.channel}`)}</dd>
            <dt>{t("service.category")}</dt>
            <dd>{x.category || "—"}</dd>
            <dt>{t("service.assignee")}</dt>
            <dd data-testid="ticket-assignee-value">{x.assignee || t("service.nobody")}</dd>
            <dt>{t("service.opened")}</dt>
            <dd>{teamTime(x.openedAt)}</dd>
            {x.contractId && (
              <>
                <dt>{t("service.contract")}</dt>
                <dd>
                  <button type="button" className="link-button" onClick={() => x.contractId && navigate({ name: "contract", id: x.contractId })}>
                    {x.contractNumber || x.contractId}
                  </button>
                </dd>
              </>
            )}
            {x.productId && (
              <>
                <dt>{t("service.product")}</dt>
                <dd>{x.productName}</dd>
              </>
            )}
            {x.rating !== null && (
              <>
                <dt>{t("service.rating")}</dt>
                <dd data-testid="ticket-rating" data-rating={x.rating}>
                  {"★".repeat(x.rating)}
                  {"☆".repeat(5 - x.rating)} {x.ratingComment}
                </dd>
              </>
            )}
          </dl>
          <RecordCustomValues recordType="ticket" values={x.custom} />
          {x.description && <p className="ticket-description">{x.description}</p>}
        </section>
        <Comments ticket={x} onAnswered={load} />
        <LinkedArticles ticket={x} />
        <Attachments record={{ recordType: "ticket", id: x.id }} readOnly={false} onChanged={serviceChanged} subscribe={onServiceChanged} />
        <RecordHistory record={{ recordType: "ticket", id: x.id }} reloadKey={x} />
      </div>
      {closing && (
        <CloseDialog
          ticket={x}
          onDone={(closed) => {
            setClosing(false);
            if (closed) {
              setTicket(closed);
              serviceChanged();
            }
          }}
        />
      )}
    </div>
  );
}

function Comments({ ticket, onAnswered }: { ticket: Ticket; onAnswered: () => void }) {
  const { t } = useTranslation();
  const [comments, setComments] = useState<TicketComment[]>([]);
  const [body, setBody] = useState("");
  const [internal, setInternal] = useState(false);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const load = useCallback(() => {
    void call(commands.ticketComments(ticket.id)).then((r) => r.status === "ok" && setComments(r.data));
  }, [ticket.id]);
  useServiceReload(load);
  const add = async () => {
    const r = await call(commands.addTicketComment(ticket.id, body, internal));
    if (r.status === "error") return setErrors(fieldErrors(r.error));
    setComments(r.data);
    setBody("");
    setErrors({});
    // A word to the customer may be the first response: the standing changes.
    if (!internal) onAnswered();
  };
  return (
    <section className="detail-section ticket-comments" data-testid="ticket-comments">
      <h2 className="section-title">{t("service.comments")}</h2>
      <ul className="comment-list">
        {comments.map((c) => (
          <li key={c.id} className={`comment ${c.internal ? "comment-internal" : "comment-public"}`} data-testid="ticket-comment" data-internal={c.internal}>
            <div className="comment-meta muted">
              {c.author} · {teamTime(c.createdAt)} · {c.internal ? t("service.internalNote") : t("service.toCustomer")}
            </div>
            <div className="comment-body">{c.body}</div>
          </li>
        ))}
      </ul>
      <form
        className="comment-form"
        onSubmit={(e) => {
          e.preventDefault();
          void add();
        }}
      >
        <textarea className="textarea" name="body" rows={3} data-testid="comment-body" aria-label={t("service.addComment")} placeholder={t("service.addComment")} value={body} onChange={(e) => setBody(e.target.value)} />
        <FieldError errors={errors} field="body" />
        <div className="form-actions">
          <label className="checkbox">
            <input type="checkbox" data-testid="comment-internal" checked={internal} onChange={(e) => setInternal(e.target.checked)} /> {t("service.internalNote")}
          </label>
          <button type="submit" className="btn btn-small btn-primary" data-action="add-comment">
            {internal ? t("service.addNote") : t("service.reply")}
          </button>
        </div>
      </form>
    </section>
  );
}

function LinkedArticles({ ticket }: { ticket: Ticket }) {
  const { t } = useTranslation();
  const { navigate } = useRouter();
  const toast = useToast();
  const [linked, setLinked] = useState<Article[]>([]);
  const [suggested, setSuggested] = useState<ArticleHit[]>([]);
  const [query, setQuery] = useState("");
  const [hits, setHits] = useState<ArticleHit[]>([]);
  const [writing, setWriting] = useState(false);
  const [solution, setSolution] = useState("");
  const [errors, setErrors] = useState<Record<string, string>>({});
  const load = useCallback(() => {
    void call(commands.ticketArticles(ticket.id)).then((r) => r.status === "ok" && setLinked(r.data));
    void call(commands.suggestArticles(ticket.subject, 5)).then((r) => r.status === "ok" && setSuggested(r.data));
  }, [ticket.id, ticket.subject]);
  useServiceReload(load);
  useEffect(() => {
    const q = query.trim();
    if (!q) return setHits([]);
    const timer = window.setTimeout(() => void call(commands.searchArticles(q, 8)).then((r) => setHits(r.status === "ok" ? r.data : [])), 150);
    return () => window.clearTimeout(timer);
  }, [query]);
  const link = async (article: string) => {
    const r = await call(commands.linkArticle(ticket.id, article));
    if (r.status === "error") return toast.show({ message: r.error.message, tone: "error" });
    setLinked(r.data);
    setQuery("");
  };
  const write = async () => {
    const r = await call(commands.articleFromTicket(ticket.id, solution));
    if (r.status === "error") return setErrors(fieldErrors(r.error));
    setWriting(false);
    setSolution("");
    serviceChanged();
    toast.show({ message: t("service.articleWritten", { title: r.data.title }), kind: "article-written" });
  };
  const isLinked = (id: string) => linked.some((a) => a.id === id);
  const offered = suggested.filter((a) => !isLinked(a.id));
  return (
    <section className="detail-section ticket-articles" data-testid="ticket-articles">
      <div className="section-header">
        <h2 className="section-title">{t("service.articles")}</h2>
        {(ticket.status === "resolved" || ticket.status === "closed") && !writing && (
          <button type="button" className="btn btn-small" data-action="write-article" onClick={() => setWriting(true)}>
            {t("service.writeArticle")}
          </button>
        )}
      </div>
      <ul className="sales-mini-list">
        {linked.map((a) => (
          <li key={a.id} data-testid="linked-article" data-id={a.id}>
            <button type="button" className="link-button" onClick={() => navigate({ name: "article", id: a.id })}>
              {a.title}
            </button>
          </li>
        ))}
      </ul>
      {offered.length > 0 && (
        <div className="kb-suggestions" data-testid="article-suggestions">
          <span className="muted">{t("service.suggested")}</span>
          <ul>
            {offered.map((a) => (
              <li key={a.id}>
                <button type="button" className="link-button" onClick={() => navigate({ name: "article", id: a.id })}>
                  {a.title}
                </button>{" "}
                <button type="button" className="btn btn-small" data-testid="link-suggested" data-id={a.id} onClick={() => void link(a.id)}>
                  {t("service.link")}
                </button>
              </li>
            ))}
          </ul>
        </div>
      )}
      <div className="article-link-search">
        <input spellCheck={false} className="input" type="search" data-testid="article-link-search" aria-label={t("service.findArticle")} placeholder={t("service.findArticle")} value={query} onChange={(e) => setQuery(e.target.value)} />
        {hits.length > 0 && (
          <ul className="menu" role="listbox">
            {hits.map((h) => (
              <li key={h.id}>
                <button type="button" role="option" aria-selected={false} className="menu-item" data-testid="article-link-hit" data-id={h.id} disabled={isLinked(h.id)} onClick={() => void link(h.id)}>
                  {h.title}
                </button>
              </li>
            ))}
          </ul>
        )}
      </div>
      {writing && (
        <form
          className="article-from-ticket"
          onSubmit={(e) => {
            e.preventDefault();
            void write();
          }}
        >
          <label className="form-field">
            <span className="form-label">{t("service.solution")}</span>
            <textarea className="textarea" name="solution" rows={4} data-testid="article-solution" value={solution} onChange={(e) => setSolution(e.target.value)} />
            <FieldError errors={errors} field="solution" />
          </label>
          <div className="form-actions">
            <button type="submit" className="btn btn-small btn-primary" data-action="save-article">
              {t("service.save")}
            </button>
            <button type="button" className="btn btn-small" onClick={() => setWriting(false)}>
              {t("service.cancel")}
            </button>
          </div>
        </form>
      )}
    </section>
  );
}

function CloseDialog({ ticket, onDone }: { ticket: Ticket; onDone: (closed: Ticket | null) => void }) {
  const { t } = useTranslation();
  const [rating, setRating] = useState<number | null>(null);
  const [comment, setComment] = useState("");
  const [errors, setErrors] = useState<Record<string, string>>({});
  const alreadyRated = ticket.rating !== null;
  const close = async () => {
    const r = await call(commands.moveTicket(ticket.id, "closed", alreadyRated ? null : rating, alreadyRated ? "" : comment));
    if (r.status === "error") return setErrors(fieldErrors(r.error));
    onDone(r.data);
  };
  return (
    <div className="overlay" role="presentation" onKeyDown={(e) => e.key === "Escape" && onDone(null)}>
      <form
        className="dialog sales-dialog form close-ticket-dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby="close-ticket-title"
        data-testid="close-ticket"
        onSubmit={(e) => {
          e.preventDefault();
          void close();
        }}
      >
        <h2 id="close-ticket-title" className="dialog-title">
          {t("service.closeTitle", { number: ticket.number })}
        </h2>
        {alreadyRated ? (
          <p className="muted">{t("service.alreadyRated", { rating: ticket.rating })}</p>
        ) : (
          <>
            <fieldset className="rating-picker">
              <legend className="form-label">{t("service.ratingQuestion")}</legend>
              {[1, 2, 3, 4, 5].map((n) => (
                <label key={n} className="rating-star">
                  <input type="radio" name="rating" value={n} data-testid={`rating-${n}`} checked={rating === n} onChange={() => setRating(n)} /> {"★".repeat(n)}
                </label>
              ))}
              <FieldError errors={errors} field="rating" />
            </fieldset>
            <label className="form-field">
              <span className="form-label">{t("service.ratingComment")}</span>
              <textarea className="textarea" name="ratingComment" rows={2} data-testid="rating-comment" value={comment} onChange={(e) => setComment(e.target.value)} />
              <FieldError errors={errors} field="ratingComment" />
            </label>
          </>
        )}
        <FieldError errors={errors} field="status" />
        <div className="dialog-actions">
          <button type="submit" className="btn btn-primary" data-action="confirm-close">
            {t("service.closeTicket")}
          </button>
          <button type="button" className="btn" onClick={() => onDone(null)}>
            {t("service.cancel")}
          </button>
        </div>
      </form>
    </div>
  );
}
