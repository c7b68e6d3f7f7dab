/** Contracts: the list, and a contract with its status, schedule, terms, signed copy and PDF. */
import { useCallback, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { commands, type Contract, type ContractId, type ContractInput, type ContractStatus, type ContractSummary, type CustomerId, type InstalmentId, type InstalmentInput } from "../bindings";
import { dayOf } from "../calendar/time";
import { CustomerPicker } from "../records/CustomerPicker";
import { RecordHistory } from "../records/RecordHistory";
import { Attachments } from "../records/Attachments";
import { useRouter } from "../lib/router";
import { call } from "../lib/result";
import { useToast } from "../lib/toast";
import { Spacer, useVirtualRows } from "../lib/virtualRows";
import { fieldErrors, money, onSalesChanged, salesChanged, useSalesReload, useSalesSettings } from "./api";
import { RecordCustomFields, RecordCustomValues } from "../records/RecordCustomFields";
import { ContractStatusBadge, FieldError } from "./parts";
import { PdfButtons } from "./PdfButtons";

export function ContractsPage() {
  const { t } = useTranslation();
  const { navigate } = useRouter();
  const [items, setItems] = useState<ContractSummary[] | null>(null);
  const load = useCallback(() => {
    void call(commands.listContracts(null)).then((r) => r.status === "ok" && setItems(r.data));
  }, []);
  useSalesReload(load);
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtual = useVirtualRows(items?.length ?? 0, scrollRef, 37);
  return (
    <div className="page sales-page contracts-page" data-testid="contracts-page">
      <div className="page-header">
        <h1 className="page-title">{t("sales.contracts")}</h1>
        <div className="page-actions">
          <button type="button" className="btn btn-primary" data-action="new-contract" onClick={() => navigate({ name: "contract-new" })}>
            {t("sales.newContract")}
          </button>
        </div>
      </div>
      <div className="page-body" ref={scrollRef} data-virtual-rows>
        {items?.length === 0 && <p className="muted">{t("sales.noContracts")}</p>}
        {items && items.length > 0 && (
          <table className="sales-table" data-testid="contract-list">
            <thead>
              <tr>
                <th>{t("sales.number")}</th>
                <th>{t("sales.title")}</th>
                <th>{t("sales.customer")}</th>
                <th>{t("sales.status")}</th>
                <th>{t("sales.term")}</th>
                <th className="num">{t("sales.value")}</th>
              </tr>
            </thead>
            <tbody>
              <Spacer height={virtual.before} columns={6} />
              {virtual.rows.map(({ index }) => {
                const c = items[index]!;
                return (
                  <tr
                    key={c.id}
                    ref={virtual.measure}
                    data-index={index}
                    className="clickable"
                    data-testid="contract-row" data-contract={c.id} onClick={() => navigate({ name: "contract", id: c.id })}>
                    <td>
                      <button type="button" className="link-button" onClick={() => navigate({ name: "contract", id: c.id })}>
                        {c.number}
                      </button>
                    </td>
                    <td title={c.title}>{c.title}</td>
                    <td title={c.customerName}>{c.customerName}</td>
                    <td>
                      <ContractStatusBadge status={c.status} />
                    </td>
                    <td>
                      {c.startsOn} – {c.endsOn}
                    </td>
                    <td className="num">{money(c.value, c.currency)}</td>
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

const NEXT: Record<ContractStatus, { status: ContractStatus; label: string }[]> = {
  draft: [
    { status: "active", label: "activate" },
    { status: "cancelled", label: "cancel" },
  ],
  active: [
    { status: "ended", label: "end" },
    { status: "cancelled", label: "cancel" },
  ],
  ended: [],
  cancelled: [],
};

export function ContractPage({ id }: { id: ContractId }) {
  const { t } = useTranslation();
  const { navigate } = useRouter();
  const toast = useToast();
  const [contract, setContract] = useState<Contract | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [editing, setEditing] = useState(false);
  const load = useCallback(() => {
    void call(commands.getContract(id)).then((r) => (r.status === "ok" ? setContract(r.data) : setError(r.error.message)));
  }, [id]);
  useSalesReload(load);
  const setPaid = async (instalment: InstalmentId, paid: boolean) => {
    const r = await call(commands.setInstalmentPaid(instalment, paid));
    if (r.status === "error") return toast.show({ message: r.error.message, tone: "error" });
    setContract(r.data);
    salesChanged();
  };
  const setStatus = async (status: ContractStatus) => {
    const r = await call(commands.setContractStatus(id, status));
    if (r.status === "error") return toast.show({ message: r.error.message, tone: "error" });
    setContract(r.data);
    salesChanged();
  };
  if (error) return <div className="page"><div className="page-body"><p className="banner banner-error" role="alert">{error}</p></div></div>;
  if (!contract) return <div className="page"><div className="page-body"><p className="muted">{t("sales.loading")}</p></div></div>;
  const c = contract;
  if (editing) {
    return (
      <ContractEditor
        contract={c}
        onDone={(saved) => {
          setEditing(false);
          if (saved) {
            setContract(saved);
            salesChanged();
            toast.show({ message: t("sales.contractSaved", { number: saved.number }), kind: "contract-saved" });
          }
        }}
      />
    );
  }
  return (
    <div className="page sales-page contract-page" data-testid="contract-page" data-id={c.id} data-number={c.number} data-status={c.status}>
      <div className="page-header">
        <h1 className="page-title" title={c.title}>
          {c.number} · {c.title}
        </h1>
        <ContractStatusBadge status={c.status} />
        <div className="page-actions">
          {c.status !== "ended" && c.status !== "cancelled" && (
            <button type="button" className="btn" data-action="edit-contract" onClick={() => setEditing(true)}>
              {t("sales.edit")}
            </button>
          )}
          {NEXT[c.status].map((n) => (
            <button key={n.status} type="button" className={`btn${n.status === "active" ? " btn-primary" : n.status === "cancelled" ? " btn-danger" : ""}`} data-action={`contract-${n.label}`} onClick={() => void setStatus(n.status)}>
              {t(`sales.contractAction.${n.label}`)}
            </button>
          ))}
        </div>
      </div>
      <div className="page-body">
        <PdfButtons kind="contract" id={c.id} />
        <dl className="card contract-facts">
          <dt>{t("sales.customer")}</dt>
          <dd>
            {c.customerId ? (
              <button type="button" className="link-button" onClick={() => c.customerId && navigate({ name: "customer", id: c.customerId })}>
                {c.customerName}
              </button>
            ) : (
              "—"
            )}
            {c.contactName ? ` · ${c.contactName}` : ""}
          </dd>
          <dt>{t("sales.value")}</dt>
          <dd data-testid="contract-value">{money(c.value, c.currency)}</dd>
          <dt>{t("sales.term")}</dt>
          <dd>
            {c.startsOn} – {c.endsOn}
          </dd>
          {c.signedOn && (
            <>
              <dt>{t("sales.signedOn")}</dt>
              <dd>{c.signedOn}</dd>
            </>
          )}
          {c.quoteId && (
            <>
              <dt>{t("sales.fromQuote")}</dt>
              <dd>
                <button type="button" className="link-button" data-testid="contract-quote" onClick={() => c.quoteId && navigate({ name: "quote", id: c.quoteId })}>
                  {c.quoteNumber}
                </button>
              </dd>
            </>
          )}
        </dl>
        <RecordCustomValues recordType="contract" values={c.custom} />
        <section>
          <h2 className="section-title">{t("sales.instalments")}</h2>
          {c.instalments.length === 0 ? (
            <p className="muted">{t("sales.noInstalments")}</p>
          ) : (
            <table className="sales-table" data-testid="instalments">
              <thead>
                <tr>
                  <th>{t("sales.label")}</th>
                  <th>{t("sales.due")}</th>
                  <th className="num">{t("sales.amount")}</th>
                  <th>{t("sales.paid")}</th>
                </tr>
              </thead>
              <tbody>
                {c.instalments.map((i) => (
                  <tr key={i.id} data-testid="instalment">
                    <td>{i.label}</td>
                    <td>{i.dueOn}</td>
                    <td className="num">{money(i.amount, c.currency)}</td>
                    <td>
                      {i.paidOn || "—"}{" "}
                      {c.status !== "cancelled" && (
                        <button type="button" className="btn btn-small" data-action={i.paidOn ? "mark-unpaid" : "mark-paid"} onClick={() => void setPaid(i.id, !i.paidOn)}>
                          {t(i.paidOn ? "sales.markUnpaid" : "sales.markPaid")}
                        </button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
        {c.terms && (
          <section>
            <h2 className="section-title">{t("sales.terms")}</h2>
            <p className="pre-wrap">{c.terms}</p>
          </section>
        )}
        <Attachments record={{ recordType: "contract", id: c.id }} readOnly={false} onChanged={salesChanged} subscribe={onSalesChanged} />
        <RecordHistory record={{ recordType: "contract", id: c.id }} reloadKey={c} />
      </div>
    </div>
  );
}

function inputOf(c: Contract): ContractInput {
  return {
    title: c.title,
    customerId: c.customerId,
    contactId: c.contactId,
    quoteId: c.quoteId,
    value: c.value,
    currency: c.currency,
    startsOn: c.startsOn,
    endsOn: c.endsOn,
    terms: c.terms,
    status: c.status,
    signedOn: c.signedOn,
    noticeDays: c.noticeDays,
    instalments: c.instalments.map((i) => ({ label: i.label, dueOn: i.dueOn, amount: i.amount })),
    owner: c.owner,
    visibility: c.visibility,
    custom: c.custom,
  };
}

/** The day `months` months after `day` (`YYYY-MM-DD`), less one: a term's last day. */
function termEnd(day: string, months: number): string {
  const d = new Date(`${day}T12:00:00`);
  d.setMonth(d.getMonth() + months);
  d.setDate(d.getDate() - 1);
  return dayOf(d);
}

/**
 * A contract made without a quote (a renewal, a service agreement): its customer, title, value
 * and term, the team's terms, and a schedule added as needed. Most contracts come from a quote
 * in one step instead ("Make contract" on the quote).
 */
export function NewContractPage({ customer }: { customer?: CustomerId }) {
  const { t } = useTranslation();
  const { navigate } = useRouter();
  const toast = useToast();
  const settings = useSalesSettings();
  if (!settings) return <div className="page"><div className="page-body"><p className="muted">{t("sales.loading")}</p></div></div>;
  const today = dayOf(new Date());
  const input: ContractInput = {
    title: "",
    customerId: customer ?? null,
    contactId: null,
    quoteId: null,
    value: "",
    currency: settings.homeCurrency,
    startsOn: today,
    endsOn: termEnd(today, 12),
    terms: settings.contractTerms,
    status: "draft",
    signedOn: "",
    noticeDays: 30,
    instalments: [],
    owner: "",
    visibility: "team",
    custom: [],
  };
  return (
    <ContractEditor
      initial={input}
      onDone={(saved) => {
        if (!saved) return navigate({ name: "contracts" }, { replace: true });
        salesChanged();
        toast.show({ message: t("sales.contractSaved", { number: saved.number }), kind: "contract-saved" });
        navigate({ name: "contract", id: saved.id }, { replace: true });
      }}
    />
  );
}

/** Edits a contract's term, value, renewal notice, terms and payment schedule (which must add up
 * to the value: the core refuses it otherwise, naming `instalments`); with `initial` instead of
 * `contract`, makes a new one. */
function ContractEditor({ contract, initial, onDone }: { contract?: Contract; initial?: ContractInput; onDone: (saved: Contract | null) => void }) {
  const { t } = useTranslation();
  const [input, setInput] = useState<ContractInput>(() => (contract ? inputOf(contract) : initial!));
  const [customerName, setCustomerName] = useState("");
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [saving, setSaving] = useState(false);
  const change = (patch: Partial<ContractInput>) => setInput((v) => ({ ...v, ...patch }));
  const changeLine = (i: number, patch: Partial<InstalmentInput>) =>
    setInput((v) => ({ ...v, instalments: v.instalments.map((x, j) => (j === i ? { ...x, ...patch } : x)) }));
  const save = async () => {
    setSaving(true);
    const r = await call(contract ? commands.updateContract(contract.id, input) : commands.createContract(input));
    setSaving(false);
    if (r.status === "error") return setErrors(fieldErrors(r.error));
    onDone(r.data);
  };
  const text = (field: keyof ContractInput, type = "text") => (
    <label className="form-field">
      <span className="form-label">{t(`sales.contractField.${field}`)}</span>
      <input
        className="input"
        type={type}
        name={field}
        value={String(input[field] ?? "")}
        aria-invalid={errors[field] ? true : undefined}
        onChange={(e) => change({ [field]: field === "noticeDays" ? Number(e.target.value) || 0 : e.target.value } as Partial<ContractInput>)}
      />
      <FieldError errors={errors} field={field} />
    </label>
  );
  return (
    <div className="page sales-page contract-page" data-testid="contract-editor">
      <div className="page-header">
        <h1 className="page-title">{contract ? contract.number : t("sales.newContract")}</h1>
      </div>
      <div className="page-body">
        <form
          className="form sales-form"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            void save();
          }}
        >
          {!contract && (
            <CustomerPicker
              testId="contract-customer"
              label={t("sales.customer")}
              placeholder={t("sales.customerSearch")}
              removeLabel={t("sales.remove")}
              value={input.customerId}
              name={customerName}
              error={<FieldError errors={errors} field="customerId" />}
              onChange={(cid, name) => {
                setCustomerName(name);
                change({ customerId: cid });
                setErrors((e) => Object.fromEntries(Object.entries(e).filter(([k]) => k !== "customerId")));
              }}
            />
          )}
          {text("title")}
          <div className="form-row">
            {text("value")}
            {!contract && text("currency")}
            {text("startsOn", "date")}
            {text("endsOn", "date")}
            {text("noticeDays", "number")}
          </div>
          <h2 className="section-title">{t("sales.instalments")}</h2>
          <table className="sales-table" data-testid="instalments-editor">
            <thead>
              <tr>
                <th>{t("sales.label")}</th>
                <th>{t("sales.due")}</th>
                <th className="num">{t("sales.amount")}</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {input.instalments.map((x, i) => (
                <tr key={i}>
                  <td>
                    <input className="input" name={`instalments.${i}.label`} value={x.label} onChange={(e) => changeLine(i, { label: e.target.value })} />
                  </td>
                  <td>
                    <input className="input" type="date" name={`instalments.${i}.dueOn`} value={x.dueOn} onChange={(e) => changeLine(i, { dueOn: e.target.value })} />
                    <FieldError errors={errors} field={`instalments.${i}.dueOn`} />
                  </td>
                  <td>
                    <input className="input num" inputMode="decimal" name={`instalments.${i}.amount`} value={x.amount} onChange={(e) => changeLine(i, { amount: e.target.value })} />
                    <FieldError errors={errors} field={`instalments.${i}.amount`} />
                  </td>
                  <td>
                    <button type="button" className="btn btn-small" data-action="remove-instalment" onClick={() => change({ instalments: input.instalments.filter((_, j) => j !== i) })}>
                      {t("sales.remove")}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <FieldError errors={errors} field="instalments" />
          <button type="button" className="btn btn-small" data-action="add-instalment" onClick={() => change({ instalments: [...input.instalments, { label: "", dueOn: input.startsOn, amount: "" }] })}>
            {t("sales.addInstalment")}
          </button>
          <RecordCustomFields
            recordType="contract"
            values={input.custom ?? []}
            errors={errors}
            onChange={(custom, field) => {
              change({ custom });
              setErrors((e) => Object.fromEntries(Object.entries(e).filter(([k]) => k !== field)));
            }}
          />
          <label className="form-field">
            <span className="form-label">{t("sales.terms")}</span>
            <textarea className="textarea" name="terms" rows={5} value={input.terms} onChange={(e) => change({ terms: e.target.value })} />
            <FieldError errors={errors} field="terms" />
          </label>
          <div className="form-actions" data-sticky="bottom">
            <button type="submit" className="btn btn-primary" data-action="save-contract" disabled={saving}>
              {t("sales.save")}
            </button>
            <button type="button" className="btn" onClick={() => onDone(null)}>
              {t("sales.cancel")}
            </button>
          </div>
        </form>
      </div>
    </div>
  );
}
