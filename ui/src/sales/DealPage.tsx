/** Create or edit a deal (an opportunity); an existing one lists its quotes. */
import { useCallback, useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { commands, type CustomerCalendar, type CustomerId, type OpportunityId, type OpportunityInput, type QuoteSummary, type Task } from "../bindings";
import { onCalendarChanged, addQuickTask, toggleTask } from "../calendar/api";
import { dayOf } from "../calendar/time";
import { CustomerPicker } from "../records/CustomerPicker";
import { Attachments } from "../records/Attachments";
import { RecordHistory } from "../records/RecordHistory";
import { useRouter } from "../lib/router";
import { call } from "../lib/result";
import { useToast } from "../lib/toast";
import { fieldErrors, money, onSalesChanged, salesChanged, stageName, useSalesReload, useSalesSettings } from "./api";
import { RecordCustomFields } from "../records/RecordCustomFields";
import { FieldError, QuoteStatusBadge } from "./parts";

function blank(customer?: CustomerId): OpportunityInput {
  return { title: "", customerId: customer ?? null, stage: "", amount: "", currency: "", probability: "", expectedClose: "", lostReason: "", competitors: [], notes: "", owner: "", visibility: "team", custom: [] };
}

export function DealPage({ id, customer }: { id?: OpportunityId; customer?: CustomerId }) {
  const { t, i18n } = useTranslation();
  const { navigate, back } = useRouter();
  const toast = useToast();
  const settings = useSalesSettings();
  const [input, setInput] = useState<OpportunityInput>(() => blank(customer));
  const [customerName, setCustomerName] = useState("");
  const [competitors, setCompetitors] = useState("");
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [loaded, setLoaded] = useState(!id);
  const [saving, setSaving] = useState(false);

  useEffect(() => {
    if (!id) return;
    void call(commands.getOpportunity(id)).then((r) => {
      if (r.status !== "ok") return setErrors({ form: r.error.message });
      const o = r.data;
      setInput({ title: o.title, customerId: o.customerId, stage: o.stage, amount: o.amount, currency: o.currency, probability: o.probability, expectedClose: o.expectedClose, lostReason: o.lostReason, competitors: o.competitors, notes: o.notes, owner: o.owner, visibility: o.visibility, custom: o.custom });
      setCompetitors(o.competitors.join(", "));
      setCustomerName(o.customerName);
      setLoaded(true);
    });
  }, [id]);
  useEffect(() => {
    if (id || !customer) return;
    void call(commands.getCustomer(customer)).then((c) => c.status === "ok" && setCustomerName(c.data.name));
  }, [id, customer]);
  // A new deal starts in the first stage, in the team's home currency.
  useEffect(() => {
    if (!settings || id) return;
    setInput((v) => ({ ...v, stage: v.stage || (settings.stages[0]?.id ?? ""), currency: v.currency || settings.homeCurrency }));
  }, [settings, id]);

  const change = (patch: Partial<OpportunityInput>, ...fields: string[]) => {
    setInput((v) => ({ ...v, ...patch }));
    if (fields.length) setErrors((e) => Object.fromEntries(Object.entries(e).filter(([k]) => !fields.some((f) => k === f || k.startsWith(`${f}.`)))));
  };
  const stage = settings?.stages.find((s) => s.id === input.stage);
  const invalid = (f: string) => ({ "aria-invalid": errors[f] ? true : undefined, "data-field": f });

  const save = async () => {
    setSaving(true);
    const body: OpportunityInput = { ...input, competitors: competitors.split(/[,，]/).map((s) => s.trim()).filter(Boolean), lostReason: input.stage === "lost" ? input.lostReason : "" };
    const r = await call(id ? commands.updateOpportunity(id, body) : commands.createOpportunity(body));
    setSaving(false);
    if (r.status === "error") {
      setErrors(fieldErrors(r.error));
      if (!r.error.fields?.length && !r.error.field) toast.show({ message: r.error.message, tone: "error" });
      return;
    }
    setErrors({});
    salesChanged();
    toast.show({ message: t("sales.dealSaved", { title: r.data.title }), kind: "deal-saved" });
    if (!id) navigate({ name: "deal", id: r.data.id }, { replace: true });
  };
  const remove = async () => {
    if (!id || !window.confirm(t("sales.confirmDeleteDeal", { title: input.title }))) return;
    const r = await call(commands.deleteOpportunity(id));
    if (r.status === "error") return toast.show({ message: r.error.message, tone: "error" });
    salesChanged();
    navigate({ name: "pipeline" }, { replace: true });
  };

  return (
    <div className="page sales-page deal-page" data-testid="deal-page" data-id={id}>
      <div className="page-header">
        <h1 className="page-title" title={input.title}>{id ? input.title || t("sales.deal") : t("sales.newDeal")}</h1>
        <div className="page-actions">
          {id && input.customerId && (
            <button type="button" className="btn" data-action="new-quote" data-testid="deal-new-quote" onClick={() => navigate({ name: "quote-new", customer: input.customerId ?? undefined, opportunity: id })}>
              {t("sales.newQuote")}
            </button>
          )}
          {id && (
            <button type="button" className="btn btn-danger" data-action="delete-deal" onClick={() => void remove()}>
              {t("sales.delete")}
            </button>
          )}
        </div>
      </div>
      <div className="page-body">
        {errors.form && <p className="banner banner-error" role="alert">{errors.form}</p>}
        {loaded && (
          <form
            className="form sales-form"
            data-testid="deal-form"
            noValidate
            onSubmit={(e) => {
              e.preventDefault();
              void save();
            }}
          >
            <label className="form-field">
              <span className="form-label">{t("sales.title")}</span>
              <input className="input" name="title" data-testid="deal-title" value={input.title} {...invalid("title")} onChange={(e) => change({ title: e.target.value }, "title")} />
              <FieldError errors={errors} field="title" />
            </label>
            <CustomerPicker
              testId="deal-customer"
              label={t("sales.customer")}
              placeholder={t("sales.customerSearch")}
              removeLabel={t("sales.remove")}
              value={input.customerId}
              name={customerName}
              error={<FieldError errors={errors} field="customerId" />}
              onChange={(cid, name) => {
                setCustomerName(name);
                change({ customerId: cid }, "customerId");
              }}
            />
            <div className="form-row">
              <label className="form-field">
                <span className="form-label">{t("sales.stage")}</span>
                <select className="select" name="stage" data-testid="deal-stage" value={input.stage} {...invalid("stage")} onChange={(e) => change({ stage: e.target.value }, "stage", "lostReason")}>
                  {settings?.stages.map((s) => (
                    <option key={s.id} value={s.id}>
                      {stageName(s, i18n.language, s.id)}
                    </option>
                  ))}
                </select>
                <FieldError errors={errors} field="stage" />
              </label>
              {input.stage === "lost" && (
                <label className="form-field">
                  <span className="form-label">{t("sales.lostReason")}</span>
                  <select className="select" name="lostReason" data-testid="deal-lost-reason" value={input.lostReason} {...invalid("lostReason")} onChange={(e) => change({ lostReason: e.target.value }, "lostReason")}>
                    <option value="">—</option>
                    {settings?.lostReasons.map((r) => (
                      <option key={r} value={r}>
                        {r}
                      </option>
                    ))}
                  </select>
                  <FieldError errors={errors} field="lostReason" />
                </label>
              )}
            </div>
            <div className="form-row">
              <label className="form-field">
                <span className="form-label">{t("sales.amount")}</span>
                <input className="input" name="amount" inputMode="decimal" data-testid="deal-amount" value={input.amount} {...invalid("amount")} onChange={(e) => change({ amount: e.target.value }, "amount")} />
                <FieldError errors={errors} field="amount" />
              </label>
              <label className="form-field">
                <span className="form-label">{t("sales.currency")}</span>
                <input className="input input-narrow" name="currency" data-testid="deal-currency" maxLength={3} value={input.currency} {...invalid("currency")} onChange={(e) => change({ currency: e.target.value.toUpperCase() }, "currency")} />
                <FieldError errors={errors} field="currency" />
              </label>
            </div>
            <div className="form-row">
              <label className="form-field">
                <span className="form-label">{t("sales.probability")}</span>
                <input className="input" name="probability" inputMode="numeric" data-testid="deal-probability" placeholder={stage ? String(stage.probability) : ""} value={input.probability} {...invalid("probability")} onChange={(e) => change({ probability: e.target.value }, "probability")} />
                <FieldError errors={errors} field="probability" />
              </label>
              <label className="form-field">
                <span className="form-label">{t("sales.expectedClose")}</span>
                <input className="input" type="date" name="expectedClose" data-testid="deal-expected-close" value={input.expectedClose} {...invalid("expectedClose")} onChange={(e) => change({ expectedClose: e.target.value }, "expectedClose")} />
                <FieldError errors={errors} field="expectedClose" />
              </label>
            </div>
            <label className="form-field">
              <span className="form-label">{t("sales.competitors")}</span>
              <input className="input" name="competitors" data-testid="deal-competitors" placeholder={t("sales.competitorsHint")} value={competitors} {...invalid("competitors")} onChange={(e) => { setCompetitors(e.target.value); change({}, "competitors"); }} />
              <FieldError errors={errors} field="competitors" />
            </label>
            <RecordCustomFields recordType="opportunity" values={input.custom ?? []} errors={errors} onChange={(custom, field) => change({ custom }, field)} />
            <label className="form-field">
              <span className="form-label">{t("sales.notes")}</span>
              <textarea className="textarea" name="notes" rows={4} data-testid="deal-notes" value={input.notes} {...invalid("notes")} onChange={(e) => change({ notes: e.target.value }, "notes")} />
              <FieldError errors={errors} field="notes" />
            </label>
            <div className="form-actions" data-sticky="bottom">
              <button type="submit" className="btn btn-primary" data-action="save-deal" data-testid="deal-save" disabled={saving}>
                {t("sales.save")}
              </button>
              <button type="button" className="btn" onClick={back}>
                {t("sales.cancel")}
              </button>
            </div>
          </form>
        )}
        {id && input.customerId && <DealQuotes dealId={id} customerId={input.customerId} />}
        {id && input.customerId && <DealCalendar dealId={id} customerId={input.customerId} />}
        {id && <Attachments record={{ recordType: "opportunity", id }} readOnly={false} onChanged={salesChanged} subscribe={onSalesChanged} />}
        {id && <RecordHistory record={{ recordType: "opportunity", id }} />}
      </div>
    </div>
  );
}

/** The deal's quotes: its customer's, narrowed to those made for this deal. */
function DealQuotes({ dealId, customerId }: { dealId: OpportunityId; customerId: CustomerId }) {
  const { t } = useTranslation();
  const { navigate } = useRouter();
  const [quotes, setQuotes] = useState<QuoteSummary[] | null>(null);
  const load = useCallback(() => {
    void call(commands.listQuotes(customerId)).then((r) => {
      if (r.status === "ok") setQuotes(r.data.filter((q) => q.opportunityId === dealId));
    });
  }, [customerId, dealId]);
  useSalesReload(load);
  return (
    <section className="detail-section deal-quotes" data-testid="deal-quotes">
      <h2 className="section-title">{t("sales.quotes")}</h2>
      {quotes?.length === 0 && <p className="muted">{t("sales.noQuotes")}</p>}
      <ul className="sales-mini-list">
        {quotes?.map((q) => (
          <li key={q.id}>
            <button type="button" className="link-button" data-testid="deal-quote" data-id={q.id} onClick={() => navigate({ name: "quote", id: q.id })}>
              {q.number} v{q.version}
            </button>{" "}
            <QuoteStatusBadge status={q.status} /> <span className="muted">{money(q.total, q.currency)}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}

/**
 * The deal's own events and tasks: meetings planned from here, the quote's expiry reminder and
 * the contract's payment and renewal tasks. A task is added inline; an event opens the event form
 * with the deal and its customer filled in.
 */
function DealCalendar({ dealId, customerId }: { dealId: OpportunityId; customerId: CustomerId }) {
  const { t } = useTranslation();
  const { navigate } = useRouter();
  const toast = useToast();
  const [cal, setCal] = useState<CustomerCalendar | null>(null);
  const [title, setTitle] = useState("");
  const [due, setDue] = useState(dayOf(new Date()));
  const [error, setError] = useState<{ field: string; message: string } | null>(null);
  const load = useCallback(() => {
    void call(commands.dealCalendar(dealId)).then((r) => r.status === "ok" && setCal(r.data));
  }, [dealId]);
  useSalesReload(load);
  useEffect(() => onCalendarChanged(load), [load]);
  const addTask = async () => {
    const refused = await addQuickTask({ title, dueDate: due, customerId, opportunityId: dealId });
    if (refused) return setError({ field: refused.field ?? "form", message: refused.message });
    setError(null);
    setTitle("");
  };
  const toggle = async (task: Task) => {
    const refused = await toggleTask(task);
    if (refused) toast.show({ message: refused.message, tone: "error" });
  };
  // Open tasks first, then the last few done ones (what was done on this deal).
  const tasks = [...(cal?.tasks.filter((x) => !x.doneAt) ?? []), ...(cal?.tasks.filter((x) => x.doneAt).slice(0, 5) ?? [])];
  return (
    <section className="detail-section deal-calendar" data-testid="deal-calendar">
      <div className="section-header">
        <h2 className="section-title">{t("sales.dealCalendar")}</h2>
        <button type="button" className="btn btn-small" data-testid="deal-new-event" onClick={() => navigate({ name: "event-new", customer: customerId, deal: dealId })}>
          {t("sales.dealNewEvent")}
        </button>
      </div>
      {cal && cal.events.length === 0 && tasks.length === 0 && <p className="muted">{t("sales.dealCalendarEmpty")}</p>}
      <ul className="sales-mini-list">
        {cal?.events.slice(0, 20).map((e) => (
          <li key={e.id}>
            <button type="button" className="link-button" data-testid="deal-event" onClick={() => navigate({ name: "event", id: e.id })}>
              {e.title}
            </button>{" "}
            <span className="muted">{e.start.replace("T", " ")}</span>
          </li>
        ))}
        {tasks.slice(0, 25).map((x) => (
          <li key={x.id} data-testid="deal-task" data-done={x.doneAt ? "true" : undefined} className={x.doneAt ? "muted" : undefined}>
            <label className="field-check">
              <input type="checkbox" data-testid="deal-task-done" aria-label={x.doneAt ? t("sales.taskReopen") : t("sales.taskDone")} checked={x.doneAt !== null} onChange={() => void toggle(x)} />
              <span className="deal-task-title">{x.title}</span>
            </label>{" "}
            <span className="muted">{x.dueDate}</span>
          </li>
        ))}
      </ul>
      <form
        className="task-add"
        noValidate
        data-testid="deal-task-add"
        onSubmit={(e) => {
          e.preventDefault();
          void addTask();
        }}
      >
        <input className="input field-grow" data-testid="deal-task-title" data-field="title" placeholder={t("sales.dealTaskPlaceholder")} value={title} aria-invalid={error?.field === "title" || undefined} onChange={(e) => setTitle(e.target.value)} />
        <input className="input" type="date" data-testid="deal-task-due" aria-label={t("sales.dealTaskDue")} value={due} onChange={(e) => setDue(e.target.value)} />
        <button type="submit" className="btn" data-testid="deal-task-add-button">
          {t("sales.dealTaskAdd")}
        </button>
      </form>
      {error && (
        <div className="field-error" role="alert" data-error-for={error.field}>
          {error.message}
        </div>
      )}
    </section>
  );
}
