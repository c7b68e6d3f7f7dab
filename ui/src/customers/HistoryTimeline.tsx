import { useState } from "react";
import { useTranslation } from "react-i18next";
import { commands, type ChangeGroup, type CustomField } from "../bindings";
import { authorName, deviceName } from "../lib/author";
import { customersChanged } from "../lib/events";
import { formatCalendarDate, formatDateTime } from "../lib/format";
import { call } from "../lib/result";
import { useToast } from "../lib/toast";
import { displayValue, fieldLabel } from "./customFields";
import {
  attachmentChangeOf,
  customFieldOf,
  fieldLabelKeys,
  groupHistory,
  splitLost,
  type AttachmentChange,
  type HistoryChange,
  type HistoryEvent,
} from "./history";
import { useContactLabels } from "./labels";
import { isKind, isStage } from "./stages";

const MAX_VALUE_CHARS = 160;

/**
 * One save's changes as a history event. The core already groups a save's columns, so this is
 * one event; `groupHistory` still does the work, so "Created" and trash/restore are recognised
 * exactly as they always were.
 */
export function eventFromGroup(group: ChangeGroup): HistoryEvent {
  return (
    groupHistory(group.entries)[0] ?? {
      key: `${group.at}\u0000${group.author}\u0000${group.device}`,
      at: group.at,
      author: group.author,
      device: group.device,
      created: false,
      changes: [],
    }
  );
}

/**
 * One save in the timeline: who, where and when, then a line per changed field. `fields` are the
 * live custom fields, which name `custom.<id>` changes; a removed field's changes still show,
 * named by its id. Values from another device that lost a concurrent edit follow, each marked as
 * such and with a button that makes it the current value after all.
 */
export function HistoryEventItem({ event, fields = [] }: { event: HistoryEvent; fields?: readonly CustomField[] }) {
  const { t, i18n } = useTranslation();
  const { applied, lost } = splitLost(event.changes);
  const meta = [
    authorName(event.author, t) || t("history.unknownAuthor"),
    deviceName(event.device, t) || t("history.unknownDevice"),
    formatDateTime(event.at, i18n.language),
  ].join(" · ");
  // A save whose every value lost has nothing else to say: each lost value carries who and when.
  const onlyLost = applied.length === 0 && lost.length > 0;
  return (
    <li className={`timeline-event${onlyLost ? " timeline-lost" : ""}`} data-testid="history-entry">
      {!onlyLost && <div className="timeline-meta">{meta}</div>}
      {event.created && <div>{t("history.created")}</div>}
      {applied.length > 0 && (
        <ul className="timeline-lines">
          {applied.map((change, index) => (
            <ChangeLine key={index} change={change} created={event.created} fields={fields} />
          ))}
        </ul>
      )}
      {lost.map((change) => (
        <LostValue key={change.restore} change={change} meta={meta} fields={fields} />
      ))}
    </li>
  );
}

/** How a change's field is named and its values shown, in the UI language. */
function useChangeDisplay(change: HistoryChange, fields: readonly CustomField[]) {
  const { t, i18n } = useTranslation();
  const labels = useContactLabels();
  const custom = customFieldOf(change.field);
  const customField = custom ? fields.find((f) => f.id === custom.fieldId) : undefined;
  const customName = custom ? (customField ? fieldLabel(customField, i18n.language) : custom.fieldId) : "";
  const fieldKey = custom ? undefined : fieldLabelKeys(change.field).find((key) => i18n.exists(key));
  const fieldName = custom ? customName : fieldKey ? t(fieldKey) : change.field;

  const show = (value: string | null): string => {
    if (value === null || value === "") return "—";
    let text = value;
    if (custom) text = displayValue(customField, value, i18n.language);
    else if (change.field === "stage" && isStage(value)) text = t(`stage.${value}`);
    else if (change.field === "kind" && isKind(value)) text = t(`kind.${value}`);
    else if (change.field === "visibility" && i18n.exists(`visibility.${value}`)) text = t(`visibility.${value}`);
    else if (change.field === "birthday") text = formatCalendarDate(value, i18n.language);
    else if (change.field.endsWith(".label") || change.field.endsWith("_label")) text = labels.display(value);
    return clip(text);
  };
  return { custom, fieldName, show };
}

function ChangeLine({ change, created, fields }: { change: HistoryChange; created: boolean; fields: readonly CustomField[] }) {
  const { t } = useTranslation();
  const { custom, fieldName, show } = useChangeDisplay(change, fields);

  if (change.kind === "trashed") return <li data-testid="history-line">{t("history.trashed")}</li>;
  if (change.kind === "restored") return <li data-testid="history-line">{t("history.restored")}</li>;

  // A file added to the record, removed or brought back reads as a sentence, not as a column.
  const attachment = attachmentChangeOf(change);
  if (attachment) return <li data-testid="history-line">{attachmentLine(attachment, t)}</li>;

  if (custom?.removed) {
    // The value row's own trash column: set when the value was cleared, unset when it came back
    // (the value line of the same save already says what it became).
    if (change.newValue === null || change.newValue === "") return null;
    return <li data-testid="history-line">{t("history.customCleared", { field: fieldName })}</li>;
  }

  // A brand-new record has no "before"; arrows from nothing would only add noise there, and so
  // would the fields it was created without ("Notes: —").
  if (created && (change.oldValue === null || change.oldValue === "")) {
    if (change.newValue === null || change.newValue === "") return null;
    return (
      <li data-testid="history-line">
        {fieldName}: {show(change.newValue)}
      </li>
    );
  }
  return (
    <li data-testid="history-line">
      {fieldName}: {show(change.oldValue)}
      <span className="arrow" aria-label={t("history.to")}>
        →
      </span>
      {show(change.newValue)}
    </li>
  );
}

/**
 * A value another device wrote while this computer (or a third device) wrote the same field: the
 * other edit was kept, this one never became the record's value. Restoring writes it as a new
 * edit, which syncs like any other.
 */
function LostValue({ change, meta, fields }: { change: HistoryChange; meta: string; fields: readonly CustomField[] }) {
  const { t } = useTranslation();
  const toast = useToast();
  const { fieldName, show } = useChangeDisplay(change, fields);
  const [busy, setBusy] = useState(false);
  const value = show(change.newValue);

  const restore = async () => {
    if (busy || change.restore === null) return;
    setBusy(true);
    const result = await call(commands.restoreLostValue(change.restore));
    setBusy(false);
    if (result.status === "error") {
      toast.show({ message: t("history.restoreLostFailed", { message: result.error.message }), tone: "error" });
      return;
    }
    customersChanged();
    toast.show({ message: t("history.lostRestoredToast", { field: fieldName, value }), kind: "lost-restored" });
  };

  return (
    <div className="history-lost" data-testid="history-lost" data-field={change.field}>
      <div className="history-lost-head">
        <span className="badge badge-warning" title={t("history.lostHint")}>
          {t("history.lost")}
        </span>
        <span className="timeline-meta">{meta}</span>
      </div>
      <div className="history-lost-value">
        {fieldName}: {value}
      </div>
      <button
        type="button"
        className="btn btn-small"
        data-testid="history-restore"
        disabled={busy}
        aria-busy={busy}
        aria-label={t("history.restoreLostLabel", { field: fieldName, value })}
        onClick={() => void restore()}
      >
        {t("history.restoreLost")}
      </button>
    </div>
  );
}

const clip = (text: string): string => (text.length > MAX_VALUE_CHARS ? `${text.slice(0, MAX_VALUE_CHARS)}…` : text);

function attachmentLine(change: AttachmentChange, t: (key: string, options?: Record<string, unknown>) => string): string {
  switch (change.kind) {
    case "added":
      return t("attachments.historyAdded", { name: clip(change.name) });
    case "renamed":
      return t("attachments.historyRenamed", { from: clip(change.from), to: clip(change.to) });
    case "removed":
      return t("attachments.historyRemoved");
    case "restored":
      return t("attachments.historyRestored");
  }
}
