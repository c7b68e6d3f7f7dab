/**
 * Quotes: the list, a quote as it reads (status, actions, PDF, versions), and the editor of a
 * draft. The editor never adds money up itself: its totals are the core's (`previewQuote`),
 * asked again a moment after each change.
 */
import { useCallback, useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { commands, type CustomerId, type OpportunityId, type Product, type Quote, type QuoteAction, type QuoteId, type QuoteInput, type QuoteLineInput, type QuoteSummary, type QuoteTotals, type ReadLines } from "../bindings";
import { CustomerPicker } from "../records/CustomerPicker";
import { Attachments } from "../records/Attachments";
import { RecordHistory } from "../records/RecordHistory";
import { useRouter } from "../lib/router";
import { call, type Result } from "../lib/result";
import { useToast } from "../lib/toast";
import { Spacer, useVirtualRows } from "../lib/virtualRows";
import { fieldErrors, money, onSalesChanged, readQuoteLinesFile, salesChanged, useSalesReload, useSalesSettings } from "./api";
import { RecordCustomFields, RecordCustomValues } from "../records/RecordCustomFields";
import { FieldError, QuoteStatusBadge } from "./parts";
import { PdfButtons } from "./PdfButtons";
import type { AppError } from "../bindings";

export function QuotesPage() {
  const { t } = useTranslation();
  const { navigate } = useRouter();
  const [quotes, setQuotes] = useState<QuoteSummary[] | null>(null);
  const load = useCallback(() => {
    void call(commands.listQuotes(null)).then((r) => r.status === "ok" && setQuotes(r.data));
  }, []);
  useSalesReload(load);
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtual = useVirtualRows(quotes?.length ?? 0, scrollRef, 37);
  return (
    <div className="page sales-page quotes-page" data-testid="quotes-page">
      <div className="page-header">
        <h1 className="page-title">{t("sales.quotes")}</h1>
        <div className="page-actions">
          <button type="button" className="btn btn-primary" data-action="new-quote" data-testid="new-quote" onClick={() => navigate({ name: "quote-new" })}>
            {t("sales.newQuote")}
          </button>
        </div>
      </div>
      <div className="page-body" ref={scrollRef} data-virtual-rows>
        {quotes?.length === 0 && <p className="muted">{t("sales.noQuotes")}</p>}
        {quotes && quotes.length > 0 && (
          <table className="sales-table" data-testid="quote-list">
            <thead>
              <tr>
                <th>{t("sales.number")}</th>
                <th>{t("sales.version")}</th>
                <th>{t("sales.status")}</th>
                <th>{t("sales.issuedOn")}</th>
                <th>{t("sales.customer")}</th>
                <th className="num">{t("sales.total")}</th>
              </tr>
            </thead>
            <tbody>
              <Spacer height={virtual.before} columns={6} />
              {virtual.rows.map(({ index }) => {
                const q = quotes[index]!;
                return (
                  <tr
                    key={q.id}
                    ref={virtual.measure}
                    data-index={index}
                    className="clickable"
                    data-testid="quote-row" data-quote={q.id} data-number={q.number} onClick={() => navigate({ name: "quote", id: q.id })}>
                    <td>
                      <button type="button" className="link-button" onClick={() => navigate({ name: "quote", id: q.id })}>
                        {q.number}
                      </button>
                    </td>
                    <td>{q.version}</td>
                    <td>
                      <QuoteStatusBadge status={q.status} />
                    </td>
                    <td>{q.issuedOn}</td>
                    <td title={q.customerName}>{q.customerName}</td>
                    <td className="num">{money(q.total, q.currency)}</td>
                  </tr>
                );
              })}
              <Spacer height={virtual.after} columns={6} />
            </tbody>
          </table>
        )}
      </div>
    </div>
  );
}

function Totals({ totals, stale }: { totals: Pick<QuoteTotals, "subtotal" | "discount" | "taxes" | "total" | "currency"> | null; stale?: boolean }) {
  const { t } = useTranslation();
  if (!totals) return null;
  const c = totals.currency;
  return (
    <dl className={`quote-totals${stale ? " quote-totals-stale" : ""}`} data-testid="quote-totals" aria-busy={stale || undefined}>
      <dt>{t("sales.subtotal")}</dt>
      <dd data-total="subtotal">{money(totals.subtotal, c)}</dd>
      <dt>{t("sales.discount")}</dt>
      <dd data-total="discount">{money(totals.discount, c)}</dd>
      {totals.taxes.map((x) => (
        <FragmentTax key={x.percent} percent={x.percent} tax={money(x.tax, c)} />
      ))}
      <dt>{t("sales.total")}</dt>
      <dd data-total="total" className="quote-total">
        {money(totals.total, c)}
      </dd>
    </dl>
  );
}

function FragmentTax({ percent, tax }: { percent: string; tax: string }) {
  const { t } = useTranslation();
  return (
    <>
      <dt>{t("sales.taxBand", { percent })}</dt>
      <dd data-total={`tax-${percent}`}>{tax}</dd>
    </>
  );
}

const ACTIONS: Record<string, QuoteAction[]> = {
  draft: ["send"],
  sent: ["accept", "reject", "revise"],
  expired: ["revise"],
  rejected: ["revise"],
};

export function QuotePage({ id }: { id: QuoteId }) {
  const { t } = useTranslation();
  const { navigate } = useRouter();
  const toast = useToast();
  const [quote, setQuote] = useState<Quote | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(() => {
    void call(commands.getQuote(id)).then((r) => (r.status === "ok" ? setQuote(r.data) : setError(r.error.message)));
  }, [id]);
  useSalesReload(load);

  const act = async (action: QuoteAction) => {
    const r = await call(commands.quoteAction(id, action));
    if (r.status === "error") return toast.show({ message: r.error.message, tone: "error" });
    salesChanged();
    if (r.data.id !== id) navigate({ name: action === "revise" ? "quote-edit" : "quote", id: r.data.id });
    else setQuote(r.data);
  };
  const makeContract = async () => {
    const r = await call(commands.contractFromQuote(id));
    if (r.status === "error") return toast.show({ message: r.error.message, tone: "error" });
    salesChanged();
    navigate({ name: "contract", id: r.data.id });
  };
  const remove = async () => {
    if (!window.confirm(t("sales.confirmDeleteQuote"))) return;
    const r = await call(commands.deleteQuote(id));
    if (r.status === "error") return toast.show({ message: r.error.message, tone: "error" });
    salesChanged();
    navigate({ name: "quotes" }, { replace: true });
  };

  if (error) return <div className="page"><div className="page-body"><p className="banner banner-error" role="alert">{error}</p></div></div>;
  if (!quote) return <div className="page"><div className="page-body"><p className="muted">{t("sales.loading")}</p></div></div>;
  const c = quote.currency;
  return (
    <div className="page sales-page quote-page" data-testid="quote-page" data-id={quote.id} data-number={quote.number} data-status={quote.status}>
      <div className="page-header">
        <h1 className="page-title">
          {quote.number} <span className="muted" data-testid="quote-version">v{quote.versionLabel}</span>
        </h1>
        <QuoteStatusBadge status={quote.status} />
        <div className="page-actions">
          {quote.status === "draft" && (
            <button type="button" className="btn" data-action="edit-quote" onClick={() => navigate({ name: "quote-edit", id })}>
              {t("sales.edit")}
            </button>
          )}
          {(ACTIONS[quote.status] ?? []).map((a) => (
            <button key={a} type="button" className={`btn${a === "send" || a === "accept" ? " btn-primary" : ""}`} data-action={`${a}-quote`} onClick={() => void act(a)}>
              {t(`sales.quoteAction.${a}`)}
            </button>
          ))}
          {(quote.status === "draft" || quote.status === "sent" || quote.status === "accepted") && (
            <button type="button" className="btn" data-action="make-contract" onClick={() => void makeContract()}>
              {t("sales.makeContract")}
            </button>
          )}
          {quote.status === "draft" && (
            <button type="button" className="btn btn-danger" data-action="delete-quote" onClick={() => void remove()}>
              {t("sales.delete")}
            </button>
          )}
        </div>
      </div>
      <div className="page-body">
        <PdfButtons kind="quote" id={quote.id} />
        <div className="card quote-facts">
          <div>
            <span className="form-label">{t("sales.customer")}</span>{" "}
            {quote.customerId ? (
              <button type="button" className="link-button" data-testid="quote-customer" onClick={() => quote.customerId && navigate({ name: "customer", id: quote.customerId })}>
                {quote.customerName}
              </button>
            ) : (
              "—"
            )}
            {quote.contactName && <span data-testid="quote-contact-name"> · {quote.contactName}</span>}
          </div>
          <div>
            <span className="form-label">{t("sales.issuedOn")}</span> {quote.issuedOn} · <span className="form-label">{t("sales.validUntil")}</span> {quote.validUntil}
          </div>
          <RecordCustomValues recordType="quote" values={quote.custom} />
          {quote.opportunityId && (
            <div>
              <button type="button" className="link-button" data-testid="quote-deal" onClick={() => quote.opportunityId && navigate({ name: "deal", id: quote.opportunityId })}>
                {t("sales.openDeal")}
              </button>
            </div>
          )}
        </div>
        <table className="sales-table quote-lines" data-testid="quote-lines">
          <thead>
            <tr>
              <th>{t("sales.description")}</th>
              <th className="num">{t("sales.quantity")}</th>
              <th>{t("sales.unit")}</th>
              <th className="num">{t("sales.unitPrice")}</th>
              <th className="num">{t("sales.discountPercent")}</th>
              <th className="num">{t("sales.taxPercent")}</th>
              <th className="num">{t("sales.net")}</th>
            </tr>
          </thead>
          <tbody>
            {quote.lines.map((l) => (
              <tr key={l.id} data-testid="quote-line">
                <td>{l.description}</td>
                <td className="num">{l.quantity}</td>
                <td>{l.unit}</td>
                <td className="num">{money(l.unitPrice, c)}</td>
                <td className="num">{l.discountPercent}</td>
                <td className="num">{l.taxPercent}</td>
                <td className="num">{money(l.net, c)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <Totals totals={{ ...quote, currency: c }} />
        {quote.notes && <p className="quote-notes">{quote.notes}</p>}
        {quote.terms && (
          <section>
            <h2 className="section-title">{t("sales.terms")}</h2>
            <p className="pre-wrap">{quote.terms}</p>
          </section>
        )}
        {quote.versions.length > 1 && (
          <section data-testid="quote-versions">
            <h2 className="section-title">{t("sales.versions")}</h2>
            <ul className="sales-mini-list">
              {quote.versions.map((v) => (
                <li key={v.id}>
                  {v.id === quote.id ? (
                    <strong>v{v.label}</strong>
                  ) : (
                    <button type="button" className="link-button" data-testid="quote-version-link" onClick={() => navigate({ name: "quote", id: v.id })}>
                      v{v.label}
                    </button>
                  )}{" "}
                  <QuoteStatusBadge status={v.status} />
                </li>
              ))}
            </ul>
          </section>
        )}
        <Attachments record={{ recordType: "quote", id: quote.id }} readOnly={false} onChanged={salesChanged} subscribe={onSalesChanged} />
        <RecordHistory record={{ recordType: "quote", id: quote.id }} reloadKey={quote} />
      </div>
    </div>
  );
}

const emptyLine = (): QuoteLineInput => ({ productId: null, description: "", quantity: "1", unit: "", unitPrice: "", discountPercent: "", taxPercent: "" });

function blankQuote(customer?: CustomerId, opportunity?: OpportunityId): QuoteInput {
  return { customerId: customer ?? null, contactId: null, opportunityId: opportunity ?? null, currency: "", issuedOn: "", validUntil: "", discountPercent: "", notes: "", terms: "", lines: [emptyLine()], owner: "", visibility: "team", custom: [] };
}

/** Debounce of the totals' preview. */
export const PREVIEW_MS = 250;

export function QuoteEditor({ id, customer, opportunity }: { id?: QuoteId; customer?: CustomerId; opportunity?: OpportunityId }) {
  const { t } = useTranslation();
  const { navigate, back } = useRouter();
  const toast = useToast();
  const settings = useSalesSettings();
  const [input, setInput] = useState<QuoteInput>(() => blankQuote(customer, opportunity));
  const [customerName, setCustomerName] = useState("");
  const [contactName, setContactName] = useState("");
  const [number, setNumber] = useState("");
  const [loaded, setLoaded] = useState(!id);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [previewErrors, setPreviewErrors] = useState<Record<string, string>>({});
  const [totals, setTotals] = useState<QuoteTotals | null>(null);
  const [stale, setStale] = useState(false);
  const [products, setProducts] = useState<Product[]>([]);
  const [pasting, setPasting] = useState(false);
  const [fileErrors, setFileErrors] = useState<ReadLines["errors"]>([]);
  const [saving, setSaving] = useState(false);

  useEffect(() => {
    void call(commands.listProducts("", false)).then((r) => r.status === "ok" && setProducts(r.data));
  }, []);
  useEffect(() => {
    if (!id) return;
    void call(commands.getQuote(id)).then((r) => {
      if (r.status !== "ok") return setErrors({ form: r.error.message });
      const q = r.data;
      setInput({
        customerId: q.customerId,
        contactId: q.contactId,
        opportunityId: q.opportunityId,
        currency: q.currency,
        issuedOn: q.issuedOn,
        validUntil: q.validUntil,
        discountPercent: q.discountPercent,
        notes: q.notes,
        terms: q.terms,
        lines: q.lines.map((l) => ({ productId: l.productId, description: l.description, quantity: l.quantity, unit: l.unit, unitPrice: l.unitPrice, discountPercent: l.discountPercent, taxPercent: l.taxPercent })),
        owner: q.owner,
        visibility: q.visibility,
        custom: q.custom,
      });
      setCustomerName(q.customerName);
      setContactName(q.contactName);
      setNumber(`${q.number} v${q.versionLabel}`);
      setLoaded(true);
    });
  }, [id]);
  useEffect(() => {
    if (id || !customer) return;
    void call(commands.getCustomer(customer)).then((c) => c.status === "ok" && setCustomerName(c.data.name));
  }, [id, customer]);
  // A new quote is in the team's home currency, under the team's terms.
  useEffect(() => {
    if (!settings || id) return;
    setInput((v) => ({ ...v, currency: v.currency || settings.homeCurrency, terms: v.terms || settings.quoteTerms }));
  }, [settings, id]);

  // The totals: the core's preview of what is typed, a moment after the last change.
  const previewKey = JSON.stringify(input);
  const generation = useRef(0);
  useEffect(() => {
    if (!loaded || input.lines.length === 0) return;
    setStale(true);
    const mine = ++generation.current;
    const timer = window.setTimeout(() => {
      void call(commands.previewQuote(JSON.parse(previewKey) as QuoteInput)).then((r) => {
        if (mine !== generation.current) return;
        if (r.status === "ok") {
          setTotals(r.data);
          setPreviewErrors({});
          setStale(false);
        } else {
          setPreviewErrors(fieldErrors(r.error));
        }
      });
    }, PREVIEW_MS);
    return () => window.clearTimeout(timer);
  }, [previewKey, loaded, input.lines.length]);

  const shown = { ...previewErrors, ...errors };
  const clear = (...fields: string[]) => setErrors((e) => Object.fromEntries(Object.entries(e).filter(([k]) => !fields.includes(k))));
  const change = (patch: Partial<QuoteInput>, ...fields: string[]) => {
    setInput((v) => ({ ...v, ...patch }));
    clear(...fields);
  };
  const changeLine = (i: number, patch: Partial<QuoteLineInput>) => {
    setInput((v) => ({ ...v, lines: v.lines.map((l, j) => (j === i ? { ...l, ...patch } : l)) }));
    clear(...Object.keys(patch).map((k) => `lines.${i}.${k}`), "lines");
  };
  const pickProduct = (i: number, productId: string) => {
    const p = products.find((x) => x.id === productId);
    if (!p) return changeLine(i, { productId: null });
    const price = p.prices.find((x) => x.currency === (input.currency || settings?.homeCurrency));
    changeLine(i, { productId: p.id, description: [p.nameZh, p.nameEn].filter(Boolean).join(" "), unit: p.unit, unitPrice: price?.price ?? "", taxPercent: p.taxPercent });
  };
  const removeLine = (i: number) => {
    setInput((v) => ({ ...v, lines: v.lines.filter((_, j) => j !== i) }));
    // Errors of the lines after it no longer name the right rows.
    setErrors((e) => Object.fromEntries(Object.entries(e).filter(([k]) => !k.startsWith("lines."))));
  };
  const append = (lines: QuoteLineInput[]) =>
    setInput((v) => {
      // A form's only line, still empty, gives way to what was read.
      const keep = v.lines.filter((l) => l.description || l.unitPrice || l.productId);
      return { ...v, lines: [...keep, ...lines] };
    });
  const currency = input.currency || settings?.homeCurrency || "";

  const readFile = async (file: File) => {
    const r = await readQuoteLinesFile(file, currency);
    handleRead(r);
  };
  const handleRead = (r: Result<ReadLines, AppError>): boolean => {
    if (r.status === "error") {
      toast.show({ message: r.error.message, tone: "error" });
      return false;
    }
    if (r.data.errors.length > 0) {
      setFileErrors(r.data.errors);
      return false;
    }
    setFileErrors([]);
    append(r.data.lines);
    toast.show({ message: t("sales.linesAdded", { count: r.data.lines.length }), kind: "lines-added" });
    return true;
  };

  const save = async () => {
    setSaving(true);
    const r = await call(id ? commands.updateQuote(id, input) : commands.createQuote(input));
    setSaving(false);
    if (r.status === "error") {
      const fe = fieldErrors(r.error);
      setErrors(Object.keys(fe).length ? fe : { form: r.error.message });
      return;
    }
    setErrors({});
    salesChanged();
    toast.show({ message: t("sales.quoteSaved", { number: r.data.number }), kind: "quote-saved" });
    navigate({ name: "quote", id: r.data.id }, { replace: true });
  };
  const invalid = (f: string) => ({ "aria-invalid": shown[f] ? true : undefined, "data-field": f });

  return (
    <div className="page sales-page quote-editor" data-testid="quote-editor" data-id={id}>
      <div className="page-header">
        <h1 className="page-title">{id ? t("sales.editQuote", { number }) : t("sales.newQuote")}</h1>
      </div>
      <div className="page-body">
        {shown.form && <p className="banner banner-error" role="alert" data-error-for="form">{shown.form}</p>}
        {loaded && (
          <form
            className="form sales-form"
            data-testid="quote-form"
            noValidate
            onSubmit={(e) => {
              e.preventDefault();
              void save();
            }}
          >
            <CustomerPicker
              testId="quote-customer"
              label={t("sales.customer")}
              placeholder={t("sales.customerSearch")}
              removeLabel={t("sales.remove")}
              value={input.customerId}
              name={customerName}
              error={<FieldError errors={shown} field="customerId" />}
              onChange={(cid, name) => {
                setCustomerName(name);
                change({ customerId: cid }, "customerId");
              }}
            />
            <CustomerPicker
              testId="quote-contact"
              label={t("sales.contact")}
              placeholder={t("sales.contactSearch")}
              removeLabel={t("sales.remove")}
              value={input.contactId}
              name={contactName}
              error={<FieldError errors={shown} field="contactId" />}
              onChange={(cid, name) => {
                setContactName(name);
                change({ contactId: cid }, "contactId");
              }}
            />
            <div className="form-row form-row-4">
              <label className="form-field">
                <span className="form-label">{t("sales.currency")}</span>
                <input className="input" name="currency" maxLength={3} value={input.currency} {...invalid("currency")} onChange={(e) => change({ currency: e.target.value.toUpperCase() }, "currency")} />
                <FieldError errors={shown} field="currency" />
              </label>
              <label className="form-field">
                <span className="form-label">{t("sales.issuedOn")}</span>
                <input className="input" type="date" name="issuedOn" value={input.issuedOn} {...invalid("issuedOn")} onChange={(e) => change({ issuedOn: e.target.value }, "issuedOn")} />
                <FieldError errors={shown} field="issuedOn" />
              </label>
              <label className="form-field">
                <span className="form-label">{t("sales.validUntil")}</span>
                <input className="input" type="date" name="validUntil" value={input.validUntil} {...invalid("validUntil")} onChange={(e) => change({ validUntil: e.target.value }, "validUntil")} />
                <FieldError errors={shown} field="validUntil" />
              </label>
              <label className="form-field">
                <span className="form-label">{t("sales.quoteDiscount")}</span>
                <input className="input" name="discountPercent" inputMode="decimal" value={input.discountPercent} {...invalid("discountPercent")} onChange={(e) => change({ discountPercent: e.target.value }, "discountPercent")} />
                <FieldError errors={shown} field="discountPercent" />
              </label>
            </div>
            <fieldset className="quote-lines-edit" data-field="lines">
              <legend className="form-label">{t("sales.lines")}</legend>
              <div className="table-wrap">
                <table className="sales-table">
                  <thead>
                    <tr>
                      <th>{t("sales.product")}</th>
                      <th>{t("sales.description")}</th>
                      <th>{t("sales.quantity")}</th>
                      <th>{t("sales.unit")}</th>
                      <th>{t("sales.unitPrice")}</th>
                      <th>{t("sales.discountPercent")}</th>
                      <th>{t("sales.taxPercent")}</th>
                      <th className="num">{t("sales.net")}</th>
                      <th />
                    </tr>
                  </thead>
                  <tbody>
                    {input.lines.map((l, i) => {
                      const f = (k: keyof QuoteLineInput) => `lines.${i}.${k}`;
                      const cell = (k: "description" | "quantity" | "unit" | "unitPrice" | "discountPercent" | "taxPercent", extra: { inputMode?: "decimal" } = {}) => (
                        <td>
                          <input className="input" name={f(k)} aria-label={t(`sales.${k}`)} value={l[k]} {...extra} {...invalid(f(k))} onChange={(e) => changeLine(i, { [k]: e.target.value })} />
                          <FieldError errors={shown} field={f(k)} />
                        </td>
                      );
                      return (
                        <tr key={i} data-testid="line-row" data-line={i}>
                          <td>
                            <select className="select" name={f("productId")} aria-label={t("sales.product")} value={l.productId ?? ""} onChange={(e) => pickProduct(i, e.target.value)}>
                              <option value="">{t("sales.freeText")}</option>
                              {products.map((p) => (
                                <option key={p.id} value={p.id} data-code={p.code}>
                                  {p.code} · {[p.nameZh, p.nameEn].filter(Boolean).join(" ")}
                                </option>
                              ))}
                            </select>
                            <FieldError errors={shown} field={f("productId")} />
                          </td>
                          {cell("description")}
                          {cell("quantity", { inputMode: "decimal" })}
                          {cell("unit")}
                          {cell("unitPrice", { inputMode: "decimal" })}
                          {cell("discountPercent", { inputMode: "decimal" })}
                          {cell("taxPercent", { inputMode: "decimal" })}
                          <td className="num" data-testid="line-net">
                            {totals?.lines[i] ? money(totals.lines[i].net, totals.currency) : ""}
                          </td>
                          <td>
                            <button type="button" className="btn btn-small" data-action="remove-line" aria-label={t("sales.removeLine", { n: i + 1 })} onClick={() => removeLine(i)}>
                              ×
                            </button>
                          </td>
                        </tr>
                      );
                    })}
                  </tbody>
                </table>
              </div>
              <FieldError errors={shown} field="lines" />
              <div className="quote-line-actions">
                <button type="button" className="btn btn-small" data-action="add-line" onClick={() => change({ lines: [...input.lines, emptyLine()] }, "lines")}>
                  {t("sales.addLine")}
                </button>
                <button type="button" className="btn btn-small" data-action="paste-lines" onClick={() => setPasting(true)}>
                  {t("sales.pasteLines")}
                </button>
                <label className="btn btn-small file-button">
                  {t("sales.importCsv")}
                  <input
                    type="file"
                    accept=".csv,text/csv,text/plain"
                    className="visually-hidden"
                    data-action="import-lines"
                    data-testid="lines-file"
                    onChange={(e) => {
                      const file = e.target.files?.[0];
                      e.target.value = "";
                      if (file) void readFile(file);
                    }}
                  />
                </label>
              </div>
              {!pasting && <RowErrors errors={fileErrors} />}
            </fieldset>
            <Totals totals={totals} stale={stale} />
            <RecordCustomFields recordType="quote" values={input.custom ?? []} errors={shown} onChange={(custom, field) => change({ custom }, field)} />
            <label className="form-field">
              <span className="form-label">{t("sales.notes")}</span>
              <textarea className="textarea" name="notes" rows={3} value={input.notes} {...invalid("notes")} onChange={(e) => change({ notes: e.target.value }, "notes")} />
              <FieldError errors={shown} field="notes" />
            </label>
            <label className="form-field">
              <span className="form-label">{t("sales.terms")}</span>
              <textarea className="textarea" name="terms" rows={4} value={input.terms} {...invalid("terms")} onChange={(e) => change({ terms: e.target.value }, "terms")} />
              <FieldError errors={shown} field="terms" />
            </label>
            <div className="form-actions" data-sticky="bottom">
              <button type="submit" className="btn btn-primary" data-action="save-quote" data-testid="quote-save" disabled={saving}>
                {t("sales.save")}
              </button>
              <button type="button" className="btn" onClick={back}>
                {t("sales.cancel")}
              </button>
            </div>
          </form>
        )}
      </div>
      {pasting && (
        <PasteDialog
          currency={currency}
          errors={fileErrors}
          onClose={() => {
            setPasting(false);
            setFileErrors([]);
          }}
          onRead={(r) => {
            if (handleRead(r)) setPasting(false);
          }}
        />
      )}
    </div>
  );
}

function RowErrors({ errors }: { errors: ReadLines["errors"] }) {
  const { t } = useTranslation();
  if (errors.length === 0) return null;
  return (
    <ul className="row-errors field-error" role="alert" data-testid="row-errors" data-error-for="lines">
      {errors.map((e, i) => (
        <li key={i} data-row={e.row} data-column={e.column}>
          {t("sales.rowError", { row: e.row, column: e.column || "—", message: e.message })}
        </li>
      ))}
    </ul>
  );
}

function PasteDialog({ currency, errors, onClose, onRead }: { currency: string; errors: ReadLines["errors"]; onClose: () => void; onRead: (r: Result<ReadLines, AppError>) => void }) {
  const { t } = useTranslation();
  const [text, setText] = useState("");
  const [busy, setBusy] = useState(false);
  return (
    <div className="overlay" role="presentation" onKeyDown={(e) => e.key === "Escape" && onClose()}>
      <div className="dialog sales-dialog paste-dialog" role="dialog" aria-modal="true" aria-label={t("sales.pasteLines")} data-testid="paste-dialog">
        <h2 className="dialog-title">{t("sales.pasteLines")}</h2>
        <p className="muted">{t("sales.pasteHint")}</p>
        <textarea className="textarea" name="pasted" rows={8} autoFocus data-testid="paste-text" value={text} onChange={(e) => setText(e.target.value)} />
        <RowErrors errors={errors} />
        <div className="dialog-actions">
          <button
            type="button"
            className="btn btn-primary"
            data-action="read-pasted"
            data-testid="paste-read"
            disabled={busy || !text.trim()}
            onClick={() => {
              setBusy(true);
              void call(commands.readQuoteLines(text, currency)).then((r) => {
                setBusy(false);
                onRead(r);
              });
            }}
          >
            {t("sales.addLines")}
          </button>
          <button type="button" className="btn" onClick={onClose}>
            {t("sales.cancel")}
          </button>
        </div>
      </div>
    </div>
  );
}
