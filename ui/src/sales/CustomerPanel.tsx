/** A customer's deals, quotes and contracts on its page; a lead can be converted into a deal here. */
import { useCallback, useState } from "react";
import { useTranslation } from "react-i18next";
import { commands, type ContractSummary, type Customer, type DealCard, type LeadConversion, type QuoteSummary } from "../bindings";
import { useRouter } from "../lib/router";
import { call } from "../lib/result";
import { fieldErrors, money, salesChanged, useSalesReload, useSalesSettings } from "./api";
import { ContractStatusBadge, FieldError, QuoteStatusBadge } from "./parts";
import { customersChanged } from "../lib/events";

export function CustomerSalesPanel({ recordId, readOnly }: { recordId: string; readOnly: boolean }) {
  const { t } = useTranslation();
  const { navigate } = useRouter();
  const [deals, setDeals] = useState<DealCard[]>([]);
  const [quotes, setQuotes] = useState<QuoteSummary[]>([]);
  const [contracts, setContracts] = useState<ContractSummary[]>([]);
  const [customer, setCustomer] = useState<Customer | null>(null);
  const [converting, setConverting] = useState(false);
  const load = useCallback(() => {
    void call(commands.listDeals({ customerId: recordId }, 50)).then((r) => r.status === "ok" && setDeals(r.data));
    void call(commands.listQuotes(recordId)).then((r) => r.status === "ok" && setQuotes(r.data));
    void call(commands.listContracts(recordId)).then((r) => r.status === "ok" && setContracts(r.data));
    void call(commands.getCustomer(recordId)).then((r) => r.status === "ok" && setCustomer(r.data));
  }, [recordId]);
  useSalesReload(load);
  return (
    <section className="detail-section customer-sales" data-testid="customer-sales">
      <div className="section-header">
        <h2 className="section-title">{t("nav.sales")}</h2>
        {!readOnly && (
          <div className="page-actions">
            {customer?.stage === "lead" && (
              <button type="button" className="btn btn-small btn-primary" data-action="convert-lead" onClick={() => setConverting(true)}>
                {t("sales.convertLead")}
              </button>
            )}
            <button type="button" className="btn btn-small" data-action="new-deal" data-testid="customer-new-deal" onClick={() => navigate({ name: "deal-new", customer: recordId })}>
              {t("sales.newDeal")}
            </button>
            <button type="button" className="btn btn-small" data-action="new-quote" data-testid="customer-new-quote" onClick={() => navigate({ name: "quote-new", customer: recordId })}>
              {t("sales.newQuote")}
            </button>
          </div>
        )}
      </div>
      {deals.length === 0 && quotes.length === 0 && contracts.length === 0 && <p className="muted">{t("sales.nothingYet")}</p>}
      <ul className="sales-mini-list">
        {deals.map((d) => (
          <li key={d.id} data-testid="customer-deal" data-deal={d.id}>
            <button type="button" className="link-button" onClick={() => navigate({ name: "deal", id: d.id })}>{d.title}</button> <span className="muted">{money(d.amount, d.currency)} · {d.probability}%</span>
          </li>
        ))}
        {quotes.map((q) => (
          <li key={q.id} data-testid="customer-quote" data-quote={q.id}>
            <button type="button" className="link-button" onClick={() => navigate({ name: "quote", id: q.id })}>{q.number} v{q.version}</button> <QuoteStatusBadge status={q.status} /> <span className="muted">{money(q.total, q.currency)}</span>
          </li>
        ))}
        {contracts.map((c) => (
          <li key={c.id} data-testid="customer-contract" data-contract={c.id}>
            <button type="button" className="link-button" onClick={() => navigate({ name: "contract", id: c.id })}>{c.number}</button> <ContractStatusBadge status={c.status} /> <span className="muted">{money(c.value, c.currency)}</span>
          </li>
        ))}
      </ul>
      {converting && customer && <ConvertDialog customer={customer} onClose={() => setConverting(false)} />}
    </section>
  );
}

function ConvertDialog({ customer, onClose }: { customer: Customer; onClose: () => void }) {
  const { t } = useTranslation();
  const { navigate } = useRouter();
  const settings = useSalesSettings();
  const [name, setName] = useState("");
  const [title, setTitle] = useState(customer.name);
  const [amount, setAmount] = useState("");
  const [currency, setCurrency] = useState("");
  const [errors, setErrors] = useState<Record<string, string>>({});
  const isCompany = customer.kind === "company";
  const submit = async () => {
    const conversion: LeadConversion = {
      leadId: customer.id,
      companyName: isCompany ? "" : name,
      personName: isCompany ? name : "",
      opportunity: { title, customerId: null, stage: "", amount, currency: currency || settings?.homeCurrency || "", probability: "", expectedClose: "", lostReason: "", competitors: [], notes: "", owner: "", visibility: "team" },
    };
    const r = await call(commands.convertLead(conversion));
    if (r.status === "error") {
      const fe = fieldErrors(r.error);
      // The deal's fields come back as `opportunity.<field>` or as the field itself.
      const flat = Object.fromEntries(Object.entries(fe).map(([k, v]) => [k.replace(/^opportunity\./, ""), v]));
      return setErrors(Object.keys(flat).length ? flat : { form: r.error.message });
    }
    salesChanged();
    customersChanged();
    onClose();
    navigate({ name: "deal", id: r.data.opportunity.id });
  };
  return (
    <div className="overlay" role="presentation" onKeyDown={(e) => e.key === "Escape" && onClose()}>
      <form className="dialog sales-dialog form" role="dialog" aria-modal="true" aria-label={t("sales.convertLead")} data-testid="convert-dialog" noValidate onSubmit={(e) => { e.preventDefault(); void submit(); }}>
        <h2 className="dialog-title">{t("sales.convertLead")}</h2>
        {errors.form && <p className="field-error" role="alert">{errors.form}</p>}
        <label className="form-field">
          <span className="form-label">{isCompany ? t("sales.contactPerson") : t("sales.companyForPerson")}</span>
          <input className="input" name={isCompany ? "personName" : "companyName"} value={name} onChange={(e) => setName(e.target.value)} />
          <FieldError errors={errors} field={isCompany ? "personName" : "companyName"} />
        </label>
        <label className="form-field">
          <span className="form-label">{t("sales.dealTitle")}</span>
          <input className="input" name="title" value={title} aria-invalid={errors.title ? true : undefined} onChange={(e) => setTitle(e.target.value)} />
          <FieldError errors={errors} field="title" />
        </label>
        <div className="form-row">
          <label className="form-field">
            <span className="form-label">{t("sales.amount")}</span>
            <input className="input" name="amount" inputMode="decimal" value={amount} aria-invalid={errors.amount ? true : undefined} onChange={(e) => setAmount(e.target.value)} />
            <FieldError errors={errors} field="amount" />
          </label>
          <label className="form-field">
            <span className="form-label">{t("sales.currency")}</span>
            <input className="input" name="currency" maxLength={3} placeholder={settings?.homeCurrency} value={currency} aria-invalid={errors.currency ? true : undefined} onChange={(e) => setCurrency(e.target.value.toUpperCase())} />
            <FieldError errors={errors} field="currency" />
          </label>
        </div>
        <div className="dialog-actions">
          <button type="submit" className="btn btn-primary" data-action="confirm-convert">{t("sales.convert")}</button>
          <button type="button" className="btn" onClick={onClose}>{t("sales.cancel")}</button>
        </div>
      </form>
    </div>
  );
}
