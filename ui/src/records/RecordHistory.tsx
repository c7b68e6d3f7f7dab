/**
 * A record's field history (who, when, old -> new), newest first, for any record type: the
 * deals' stage and amount changes, a quote's status. Customers have their own timeline, which
 * mixes in activities.
 */
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { commands, type HistoryEntry, type RecordKey } from "../bindings";
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

export function RecordHistory({ record, reloadKey }: { record: RecordKey; reloadKey?: unknown }) {
  const { t } = useTranslation();
  const [entries, setEntries] = useState<HistoryEntry[] | null>(null);
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
          .filter((e) => e.field !== "deleted_at")
          .map((e, i) => (
            <li key={i} data-field={e.field}>
              <span className="muted">{e.at.slice(0, 16).replace("T", " ")}</span> <span>{e.author}</span>{" "}
              <strong>{e.field}</strong>: {shown(e.oldValue)} → {shown(e.newValue)}
            </li>
          ))}
      </ul>
    </section>
  );
}
