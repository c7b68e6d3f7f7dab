/**
 * A record's field history (who, when, old -> new), newest first, for any record type: the
 * deals' stage and amount changes, a quote's status. Customers have their own timeline, which
 * mixes in activities.
 */
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { commands, type CustomField, type HistoryEntry, type RecordKey } from "../bindings";
import { displayValue, fieldLabel } from "../customers/customFields";
import { useCustomFields } from "../customers/useCustomFields";
import { formatDateTime } from "../lib/format";
import { call } from "../lib/result";

/** A stored value as a person reads it (JSON strings without their quotes). */
function shown(v: string | null): string {
  if (v === null || v === "") return "—";
  try {
    const parsed: unknown = JSON.parse(v);
    return typeof parsed === "string" ? parsed || "—" : String(parsed);
  } catch {
    return v;
  }
}

/** An RFC 3339 instant as stored (`2026-12-06T13:12:31Z`). */
const INSTANT = /^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d)?(\.\d+)?(Z|[+-]\d\d:\d\d)$/;

/** Columns that only link rows together (a reminder task's id, an order): not worth a line. */
const HIDDEN = /(^|\.)(deleted_at|position|task_id|renewal_task_id|revision_of|series|escalated_at)$/;

export function RecordHistory({ record, reloadKey }: { record: RecordKey; reloadKey?: unknown }) {
  const { t, i18n } = useTranslation();
  const [entries, setEntries] = useState<HistoryEntry[] | null>(null);
  const { fields } = useCustomFields(record.recordType);
  // A custom value's entry (`custom.<field id>`) reads with its field's label and option labels.
  const custom = (field: string): CustomField | undefined => {
    const id = /^custom\.([^.]+)$/.exec(field)?.[1];
    return id ? fields.find((f) => f.id === id) : undefined;
  };
  // A stored word (a ticket's status) reads in the user's language when a module names it
  // (`records.historyValue.<field>.<word>`); an instant reads as local date and time.
  const value = (def: CustomField | undefined, v: string | null, field: string) => {
    if (def && v) return displayValue(def, shown(v), i18n.language);
    const s = shown(v);
    if (INSTANT.test(s)) return formatDateTime(s, i18n.language);
    return /^[a-z_]+$/.test(s) ? t(`records.historyValue.${field}.${s}`, { defaultValue: s }) : s;
  };
  useEffect(() => {
    void call(commands.recordHistory(record, 100)).then((r) => r.status === "ok" && setEntries(r.data));
  }, [record.recordType, record.id, reloadKey]);
  if (!entries) return null;
  return (
    <section className="detail-section record-history" data-testid="record-history">
      <h2 className="section-title">{t("records.historyTitle")}</h2>
      {entries.length === 0 && <p className="muted">{t("records.historyEmpty")}</p>}
      <ul className="record-history-list">
        {entries
          .filter((e) => !HIDDEN.test(e.field))
          .map((e, i) => {
            const def = custom(e.field);
            return (
              <li key={i} data-field={e.field}>
                <span className="muted">{e.at.slice(0, 16).replace("T", " ")}</span> <span>{e.author}</span>{" "}
                <strong>{def ? fieldLabel(def, i18n.language) : t(`records.historyField.${e.field.replace(/\./g, "~")}`, { defaultValue: e.field.replace(/_/g, " ") })}</strong>
                {/* A link (customer, contact, deal) is an id: saying it changed is what a person can read. */}
                {!def && e.field.endsWith("_id") ? ` ${t("records.historyLinkChanged")}` : <>: {value(def, e.oldValue, e.field)} → {value(def, e.newValue, e.field)}</>}
              </li>
            );
          })}
      </ul>
    </section>
  );
}
