import { useEffect, useId, useState, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { commands, type AppError, type Customer, type CustomerId, type Pick } from "../bindings";
import { customersChanged } from "../lib/events";
import { formatCalendarDate, formatDateTime } from "../lib/format";
import { hotkeyLabel, SHORTCUTS } from "../lib/keys";
import { call } from "../lib/result";
import { useRouter } from "../lib/router";
import { useKeepClearOfToasts, useToast } from "../lib/toast";
import { Icon } from "../shell/Icon";
import { useContactLabels } from "./labels";
import {
  combinedLists,
  defaultPick,
  fieldApplies,
  MERGE_FIELDS,
  otherSide,
  sameValue,
  toChoices,
  type MergeField,
  type Side,
} from "./merge";
import { KindIcon, StagePill } from "./StagePill";

type Load = { status: "loading" } | { status: "error"; error: AppError } | { status: "ready"; a: Customer; b: Customer };

/**
 * Merging two records of the same customer: the user picks the record to keep and, for each
 * single-valued field that differs, whose value it keeps. Phones, emails, addresses, tags,
 * activities and (for a company) its people of both are kept; the other record disappears.
 * Reached from a pair on the "Find duplicates" page; `keep` starts as the kept record.
 */
export function MergePage({ keep, other }: { keep: CustomerId; other: CustomerId }) {
  const { t } = useTranslation();
  const { back } = useRouter();
  const [load, setLoad] = useState<Load>({ status: "loading" });

  useEffect(() => {
    let alive = true;
    void Promise.all([call(commands.getCustomer(keep)), call(commands.getCustomer(other))]).then(([a, b]) => {
      if (!alive) return;
      if (a.status === "error") setLoad({ status: "error", error: a.error });
      else if (b.status === "error") setLoad({ status: "error", error: b.error });
      else setLoad({ status: "ready", a: a.data, b: b.data });
    });
    return () => {
      alive = false;
    };
  }, [keep, other]);

  return (
    <section className="page" aria-labelledby="merge-title" data-testid="merge" aria-busy={load.status === "loading" || undefined}>
      <header className="page-header">
        <button type="button" className="btn btn-ghost btn-icon" onClick={back} title={`${t("common.back")} (${hotkeyLabel(SHORTCUTS.back)})`} aria-label={t("common.back")}>
          <Icon name="back" />
        </button>
        <h1 id="merge-title">{t("merge.title")}</h1>
      </header>
      <div className="page-body">
        {load.status === "error" && (
          <p className="field-error" role="alert" data-testid="merge-error">
            {t("merge.loadFailed", { message: load.error.message })}
          </p>
        )}
        {load.status === "ready" && <MergeForm a={load.a} b={load.b} />}
      </div>
    </section>
  );
}

function MergeForm({ a, b }: { a: Customer; b: Customer }) {
  const { t, i18n } = useTranslation();
  const { navigate, back } = useRouter();
  const toast = useToast();
  const keepClearOfToasts = useKeepClearOfToasts();
  const labels = useContactLabels();
  const ids = useId();
  const [survivor, setSurvivor] = useState<Side>("a");
  // Only the fields the user changed; the others follow the default for the current survivor.
  const [chosen, setChosen] = useState<Partial<Record<MergeField, Side>>>({});
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppError | null>(null);

  const records: Record<Side, Customer> = { a, b };
  const kept = records[survivor];
  const absorbed = records[otherSide(survivor)];
  const fields = MERGE_FIELDS.filter((f) => fieldApplies(f, a) && fieldApplies(f, b));
  const pickedSide = (field: MergeField): Side =>
    chosen[field] ?? (defaultPick(kept, absorbed, field) === "keep" ? survivor : otherSide(survivor));
  const picks: Partial<Record<MergeField, Pick>> = {};
  for (const field of fields) {
    picks[field] = !sameValue(a, b, field) && pickedSide(field) !== survivor ? "other" : "keep";
  }
  const resultName = picks.name === "other" ? absorbed.name : kept.name;
  const combined = combinedLists(kept, absorbed);

  // What stops a merge before the core is asked; the core refuses these too.
  const blocker =
    a.kind !== b.kind
      ? t("merge.kindMismatch")
      : a.deletedAt
        ? t("merge.notLive", { name: a.name })
        : b.deletedAt
          ? t("merge.notLive", { name: b.name })
          : null;

  const undo = async (token: string, restored: Customer) => {
    const result = await call(commands.undoMerge(token));
    if (result.status === "error") {
      toast.show({ message: t("merge.undoFailed", { message: result.error.message }), tone: "error" });
      return;
    }
    customersChanged();
    toast.show({
      kind: "merge-undone",
      message: t("merge.undoneToast"),
      action: { label: t("merge.openRestored", { name: restored.name }), testId: "toast-open", run: () => navigate({ name: "customer", id: restored.id }) },
    });
  };

  const confirm = async () => {
    setBusy(true);
    setError(null);
    const result = await call(commands.mergeCustomers(kept.id, absorbed.id, toChoices(picks)));
    if (result.status === "error") {
      setError(result.error);
      setBusy(false);
      return;
    }
    const { survivor: merged, undoToken } = result.data;
    customersChanged();
    // Replaced: going back must not return to a merge of a record that is gone.
    navigate({ name: "customer", id: merged.id }, { replace: true });
    toast.show({
      kind: "merge",
      message: t("merge.doneToast", { other: absorbed.name, survivor: kept.name, result: merged.name }),
      action: { label: t("common.undo"), testId: "merge-undo", run: () => void undo(undoToken, absorbed) },
    });
  };

  const none = <span className="faint">—</span>;
  const display = (customer: Customer, field: MergeField): ReactNode => {
    switch (field) {
      case "company":
        return customer.companyId ? (customer.companyName ?? customer.companyId) : none;
      case "stage":
        return <StagePill stage={customer.stage} />;
      case "birthday":
        return customer.birthday ? formatCalendarDate(customer.birthday, i18n.language) : none;
      case "notes":
        return customer.notes ? <span className="notes">{customer.notes}</span> : none;
      default:
        return customer[field] || none;
    }
  };

  const fromOther = (mine: boolean) => (mine ? null : <span className="badge">{t("merge.fromOther", { name: absorbed.name })}</span>);
  const keptRow = (key: "phones" | "emails" | "addresses" | "tags", items: ReactNode[]) => (
    <div key={key} style={{ display: "contents" }}>
      <dt>{t(`field.${key}`)}</dt>
      <dd data-testid={`merge-kept-${key}`}>
        {items.length ? <ul className="contact-list">{items}</ul> : none}
      </dd>
    </div>
  );

  return (
    <div className="merge">
      <p className="muted">{t("merge.explain")}</p>
      <div className="import-table-scroll">
        <table className="import-table merge-table">
          <thead>
            <tr>
              <th scope="col">{t("merge.field")}</th>
              {(["a", "b"] as const).map((side) => {
                const record = records[side];
                return (
                  <th key={side} scope="col" className={side === survivor ? "merge-kept-side" : undefined} data-testid={`merge-record-${side}`} data-id={record.id}>
                    <div className="duplicate-side-name">
                      <KindIcon kind={record.kind} />
                      <span>{record.name}</span>
                    </div>
                    <div className="muted">{t("merge.updatedAt", { date: formatDateTime(record.updatedAt, i18n.language) })}</div>
                    <label className="merge-choice">
                      <input
                        type="radio"
                        name={`${ids}-survivor`}
                        data-testid={`merge-survivor-${side}`}
                        checked={survivor === side}
                        disabled={busy}
                        onChange={() => setSurvivor(side)}
                      />
                      {t("merge.keepThis")}
                    </label>
                  </th>
                );
              })}
            </tr>
          </thead>
          <tbody>
            {fields.map((field) => {
              const same = sameValue(a, b, field);
              const rowId = `${ids}-${field}`;
              return (
                <tr key={field} data-testid={`merge-field-${field}`} data-same={same || undefined}>
                  <th scope="row" id={rowId}>
                    {t(`field.${field}`)}
                  </th>
                  {same ? (
                    <td colSpan={2}>{display(a, field)}</td>
                  ) : (
                    (["a", "b"] as const).map((side) => (
                      <td key={side} className={side === survivor ? "merge-kept-side" : undefined}>
                        <label className="merge-choice">
                          <input
                            type="radio"
                            name={rowId}
                            data-testid={`merge-pick-${field}-${side === survivor ? "keep" : "other"}`}
                            checked={pickedSide(field) === side}
                            disabled={busy}
                            aria-labelledby={`${rowId} ${rowId}-${side}`}
                            onChange={() => setChosen((c) => ({ ...c, [field]: side }))}
                          />
                          <span id={`${rowId}-${side}`}>{display(records[side], field)}</span>
                        </label>
                      </td>
                    ))
                  )}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>

      <section className="card" data-testid="merge-kept" aria-labelledby={`${ids}-kept`}>
        <h2 id={`${ids}-kept`}>{t("merge.keptTitle")}</h2>
        <p className="muted merge-kept-explain">{kept.kind === "company" ? t("merge.keptExplainCompany") : t("merge.keptExplain")}</p>
        <dl className="fields">
          {keptRow(
            "phones",
            combined.phones.map((phone, i) => (
              <li key={i} data-testid="merge-kept-item">
                <span className="muted">{labels.display(phone.label)}</span> {phone.value} {fromOther(i < kept.phones.length)}
              </li>
            )),
          )}
          {keptRow(
            "emails",
            combined.emails.map((email, i) => (
              <li key={i} data-testid="merge-kept-item">
                <span className="muted">{labels.display(email.label)}</span> {email.value} {fromOther(i < kept.emails.length)}
              </li>
            )),
          )}
          {keptRow(
            "addresses",
            combined.addresses.map((address, i) => (
              <li key={i} data-testid="merge-kept-item">
                <span className="muted">{labels.display(address.label)}</span>{" "}
                {[address.street, [address.postalCode, address.city].filter(Boolean).join(" "), address.region, address.country]
                  .filter(Boolean)
                  .join(", ")}{" "}
                {fromOther(i < kept.addresses.length)}
              </li>
            )),
          )}
          {keptRow(
            "tags",
            combined.tags.map((tag, i) => (
              <li key={i} data-testid="merge-kept-item">
                <span className="chip">{tag}</span> {fromOther(i < kept.tags.length)}
              </li>
            )),
          )}
        </dl>
      </section>

      {(blocker || error) && (
        <p className="field-error" role="alert" data-testid="merge-error">
          {blocker ?? t("merge.failed", { message: error!.message })}
        </p>
      )}
      {/* Sticky like the customer form's: toasts move up rather than cover Merge. */}
      <div className="form-actions" data-sticky="bottom" ref={keepClearOfToasts}>
        <button
          type="button"
          className="btn btn-primary"
          data-testid="merge-confirm"
          disabled={busy || blocker !== null}
          aria-busy={busy || undefined}
          onClick={() => void confirm()}
        >
          {busy ? t("merge.merging") : t("merge.confirm", { name: resultName })}
        </button>
        <button type="button" className="btn" data-testid="merge-cancel" disabled={busy} onClick={back}>
          {t("action.cancel")}
        </button>
      </div>
    </div>
  );
}
