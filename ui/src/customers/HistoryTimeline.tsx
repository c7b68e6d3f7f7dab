import { useTranslation } from "react-i18next";
import type { ChangeGroup } from "../bindings";
import { formatCalendarDate, formatDateTime } from "../lib/format";
import { fieldLabelKeys, groupHistory, type HistoryChange, type HistoryEvent } from "./history";
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

/** One save in the timeline: who, where and when, then a line per changed field. */
export function HistoryEventItem({ event }: { event: HistoryEvent }) {
  const { t, i18n } = useTranslation();
  return (
    <li className="timeline-event" data-testid="history-entry">
      <div className="timeline-meta">
        {[event.author || t("history.unknownAuthor"), event.device || t("history.unknownDevice"), formatDateTime(event.at, i18n.language)].join(" · ")}
      </div>
      {event.created && <div>{t("history.created")}</div>}
      <ul className="timeline-lines">
        {event.changes.map((change, index) => (
          <ChangeLine key={index} change={change} created={event.created} />
        ))}
      </ul>
    </li>
  );
}

function ChangeLine({ change, created }: { change: HistoryChange; created: boolean }) {
  const { t, i18n } = useTranslation();
  const labels = useContactLabels();

  if (change.kind === "trashed") return <li data-testid="history-line">{t("history.trashed")}</li>;
  if (change.kind === "restored") return <li data-testid="history-line">{t("history.restored")}</li>;

  const fieldKey = fieldLabelKeys(change.field).find((key) => i18n.exists(key));
  const fieldName = fieldKey ? t(fieldKey) : change.field;

  const show = (value: string | null): string => {
    if (value === null || value === "") return "—";
    let text = value;
    if (change.field === "stage" && isStage(value)) text = t(`stage.${value}`);
    else if (change.field === "kind" && isKind(value)) text = t(`kind.${value}`);
    else if (change.field === "birthday") text = formatCalendarDate(value, i18n.language);
    else if (change.field.endsWith(".label") || change.field.endsWith("_label")) text = labels.display(value);
    return text.length > MAX_VALUE_CHARS ? `${text.slice(0, MAX_VALUE_CHARS)}…` : text;
  };

  // A brand-new record has no "before"; arrows from nothing would only add noise there.
  if (created && (change.oldValue === null || change.oldValue === "")) {
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
