/**
 * A ticket's form, new or edited. Fast entry: opened from a customer's page (or the palette on
 * one) the customer is filled in and the subject has the focus, so a ticket is a subject and
 * Enter. While the subject is typed, knowledge-base articles that match it are offered: an answer
 * may already exist. Refused fields show their messages under their inputs; nothing typed is lost.
 */
import { useCallback, useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { commands, type ArticleHit, type ContractSummary, type CustomerId, type Product, type TicketId, type TicketInput } from "../bindings";
import { CustomerPicker } from "../records/CustomerPicker";
import { useRouter } from "../lib/router";
import { call } from "../lib/result";
import { useToast } from "../lib/toast";
import { RecordCustomFields } from "../records/RecordCustomFields";
import { CHANNELS, PRIORITIES, fieldErrors, serviceChanged } from "./api";
import { FieldError } from "./parts";

function blank(customer?: CustomerId): TicketInput {
  return { customerId: customer ?? null, subject: "", description: "", priority: "normal", channel: "phone", openedAt: "", category: "", assignee: "", contractId: null, productId: null, custom: [] };
}

export function TicketForm({ id, customer }: { id?: TicketId; customer?: CustomerId }) {
  const { t, i18n } = useTranslation();
  const { navigate, back } = useRouter();
  const toast = useToast();
  const [input, setInput] = useState<TicketInput>(() => blank(customer));
  const [customerName, setCustomerName] = useState("");
  const [loaded, setLoaded] = useState(!id);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [saving, setSaving] = useState(false);
  const [suggestions, setSuggestions] = useState<ArticleHit[]>([]);
  const [contracts, setContracts] = useState<ContractSummary[]>([]);
  const [products, setProducts] = useState<Product[]>([]);
  const [assignees, setAssignees] = useState<string[]>([]);

  useEffect(() => {
    if (!id) return;
    void call(commands.getTicket(id)).then((r) => {
      if (r.status !== "ok") return setErrors({ subject: r.error.message });
      const x = r.data;
      setInput({ customerId: x.customerId, subject: x.subject, description: x.description, priority: x.priority, channel: x.channel, openedAt: "", category: x.category, assignee: x.assignee, contractId: x.contractId, productId: x.productId, custom: x.custom });
      setCustomerName(x.customerName);
      setLoaded(true);
    });
  }, [id]);
  useEffect(() => {
    if (!customer || id) return;
    void call(commands.getCustomer(customer)).then((r) => r.status === "ok" && setCustomerName(r.data.name));
  }, [customer, id]);
  useEffect(() => {
    void call(commands.listProducts("", false)).then((r) => r.status === "ok" && setProducts(r.data));
    void call(commands.ticketAssignees()).then((r) => r.status === "ok" && setAssignees(r.data));
  }, []);
  useEffect(() => {
    if (!input.customerId) return setContracts([]);
    void call(commands.listContracts(input.customerId)).then((r) => r.status === "ok" && setContracts(r.data));
  }, [input.customerId]);
  // Articles for the subject as it is typed (the core's suggestions: pairs of characters, words).
  useEffect(() => {
    const subject = input.subject.trim();
    if (subject.length < 2) return setSuggestions([]);
    const timer = window.setTimeout(() => {
      void call(commands.suggestArticles(subject, 5)).then((r) => setSuggestions(r.status === "ok" ? r.data : []));
    }, 200);
    return () => window.clearTimeout(timer);
  }, [input.subject]);

  const set = useCallback((patch: Partial<TicketInput>, field?: string) => {
    setInput((i) => ({ ...i, ...patch }));
    if (field) setErrors((e) => (field in e ? Object.fromEntries(Object.entries(e).filter(([k]) => k !== field)) : e));
  }, []);

  const save = async () => {
    if (saving) return;
    setSaving(true);
    const r = id ? await call(commands.updateTicket(id, input)) : await call(commands.createTicket(input));
    setSaving(false);
    if (r.status === "error") return setErrors(fieldErrors(r.error));
    serviceChanged();
    toast.show({ message: t("service.ticketSaved", { number: r.data.number }), kind: "ticket-saved" });
    navigate({ name: "ticket", id: r.data.id });
  };

  if (!loaded) return <div className="page"><div className="page-body"><p className="muted">{t("service.loading")}</p></div></div>;
  return (
    <div className="page service-page ticket-form-page" data-testid="ticket-form">
      <div className="page-header">
        <h1 className="page-title">{id ? t("service.editTicket") : t("service.newTicket")}</h1>
      </div>
      <form
        className="page-body form sales-form ticket-form"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <CustomerPicker
          testId="ticket-customer"
          value={input.customerId}
          name={customerName}
          label={t("service.customer")}
          placeholder={t("service.customerSearch")}
          removeLabel={t("service.change")}
          error={<FieldError errors={errors} field="customerId" />}
          onChange={(customerId, name) => {
            set({ customerId, contractId: null }, "customerId");
            setCustomerName(name);
          }}
        />
        <label className="form-field">
          <span className="form-label">{t("service.subject")}</span>
          <input className="input" name="subject" autoFocus={Boolean(customer) || Boolean(id)} data-testid="ticket-subject" value={input.subject} maxLength={500} onChange={(e) => set({ subject: e.target.value }, "subject")} />
          <FieldError errors={errors} field="subject" />
        </label>
        {suggestions.length > 0 && (
          <div className="kb-suggestions" data-testid="ticket-suggestions">
            <span className="muted">{t("service.suggested")}</span>
            <ul>
              {suggestions.map((a) => (
                <li key={a.id}>
                  <button type="button" className="link-button" data-testid="ticket-suggestion" data-id={a.id} onClick={() => navigate({ name: "article", id: a.id })}>
                    {a.title}
                  </button>
                </li>
              ))}
            </ul>
          </div>
        )}
        <div className="form-row">
          <label className="form-field">
            <span className="form-label">{t("service.priorityLabel")}</span>
            <select className="select" name="priority" data-testid="ticket-priority-select" value={input.priority} onChange={(e) => set({ priority: e.target.value }, "priority")}>
              {PRIORITIES.map((p) => (
                <option key={p} value={p}>
                  {t(`service.priority.${p}`)}
                </option>
              ))}
            </select>
            <FieldError errors={errors} field="priority" />
          </label>
          <label className="form-field">
            <span className="form-label">{t("service.channelLabel")}</span>
            <select className="select" name="channel" data-testid="ticket-channel" value={input.channel} onChange={(e) => set({ channel: e.target.value }, "channel")}>
              {CHANNELS.map((c) => (
                <option key={c} value={c}>
                  {t(`service.channel.${c}`)}
                </option>
              ))}
            </select>
            <FieldError errors={errors} field="channel" />
          </label>
          <label className="form-field">
            <span className="form-label">{t("service.category")}</span>
            <input className="input" name="category" data-testid="ticket-category" value={input.category ?? ""} onChange={(e) => set({ category: e.target.value }, "category")} />
            <FieldError errors={errors} field="category" />
          </label>
          <label className="form-field">
            <span className="form-label">{t("service.assignee")}</span>
            <input className="input" name="assignee" list="ticket-form-assignees" data-testid="ticket-assignee" value={input.assignee ?? ""} onChange={(e) => set({ assignee: e.target.value }, "assignee")} />
            <datalist id="ticket-form-assignees">
              {assignees.map((a) => (
                <option key={a} value={a} />
              ))}
            </datalist>
            <FieldError errors={errors} field="assignee" />
          </label>
        </div>
        <div className="form-row">
          <label className="form-field">
            <span className="form-label">{t("service.contract")}</span>
            <select className="select" name="contractId" data-testid="ticket-contract" value={input.contractId ?? ""} onChange={(e) => set({ contractId: e.target.value || null }, "contractId")}>
              <option value="">{t("service.none")}</option>
              {contracts.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.number} · {c.title}
                </option>
              ))}
            </select>
            <FieldError errors={errors} field="contractId" />
          </label>
          <label className="form-field">
            <span className="form-label">{t("service.product")}</span>
            <select className="select" name="productId" data-testid="ticket-product" value={input.productId ?? ""} onChange={(e) => set({ productId: e.target.value || null }, "productId")}>
              <option value="">{t("service.none")}</option>
              {products.map((p) => (
                <option key={p.id} value={p.id}>
                  {i18n.language.startsWith("zh") ? p.nameZh || p.nameEn : p.nameEn || p.nameZh}
                </option>
              ))}
            </select>
            <FieldError errors={errors} field="productId" />
          </label>
        </div>
        <label className="form-field">
          <span className="form-label">{t("service.description")}</span>
          <textarea className="textarea" name="description" rows={5} data-testid="ticket-description" value={input.description} onChange={(e) => set({ description: e.target.value }, "description")} />
          <FieldError errors={errors} field="description" />
        </label>
        <RecordCustomFields recordType="ticket" values={input.custom ?? []} errors={errors} onChange={(custom, field) => set({ custom }, field)} />
        <div className="form-actions">
          <button type="submit" className="btn btn-primary" data-action="save-ticket" disabled={saving}>
            {t("service.save")}
          </button>
          <button type="button" className="btn" onClick={back}>
            {t("service.cancel")}
          </button>
        </div>
      </form>
    </div>
  );
}
