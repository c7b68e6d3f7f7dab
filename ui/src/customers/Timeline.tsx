import { useTranslation } from "react-i18next";
import { commands, type Activity, type ActivityKind, type CustomerId } from "../bindings";
import { isSelfAuthor } from "../lib/author";
import { formatDateTime, formatNumber } from "../lib/format";
import { Kbd } from "../lib/Kbd";
import { hotkeyLabel, SHORTCUTS } from "../lib/keys";
import { call } from "../lib/result";
import { useToast } from "../lib/toast";
import { Icon, type IconName } from "../shell/Icon";
import { itemKey } from "./activities";
import { ActivityForm } from "./ActivityForm";
import { eventFromGroup, HistoryEventItem } from "./HistoryTimeline";
import { useCustomFields } from "./useCustomFields";
import { useTimeline } from "./useTimeline";

const KIND_ICONS: Record<ActivityKind, IconName> = {
  call: "phone",
  visit: "pin",
  meeting: "users",
  email: "mail",
  note: "note",
};

type Props = {
  customerId: CustomerId;
  /** A trashed customer takes no new activities (the core refuses them); the past still shows. */
  readOnly: boolean;
  /** Whether the log form is open; the page owns it so Ctrl+L and the palette can open it. */
  logging: boolean;
  onLoggingChange: (open: boolean) => void;
};

/**
 * What happened with the customer (calls, visits, notes...) and what changed in the record,
 * newest first, one page at a time.
 */
export function Timeline({ customerId, readOnly, logging, onLoggingChange }: Props) {
  const { t } = useTranslation();
  const toast = useToast();
  const timeline = useTimeline(customerId);
  const { fields } = useCustomFields();

  const remove = async (activity: Activity) => {
    const result = await call(commands.deleteActivity(activity.id));
    if (result.status === "error") {
      toast.show({ message: result.error.message, tone: "error" });
      return;
    }
    timeline.remove(activity.id);
    toast.show({
      message: t("activity.deletedToast", { kind: t(`activityKind.${activity.kind}`) }),
      action: {
        label: t("common.undo"),
        testId: "undo",
        // Undo clears the tombstone: the same activity (id, author) comes back.
        run: async () => {
          const again = await call(commands.restoreActivity(activity.id));
          if (again.status === "error") {
            toast.show({ message: again.error.message, tone: "error" });
            return;
          }
          timeline.add(again.data);
        },
      },
    });
  };

  return (
    <section className="timeline-panel" aria-labelledby="timeline-title" data-testid="timeline-panel">
      <div className="timeline-header">
        <h2 id="timeline-title">{t("timeline.title")}</h2>
        {!readOnly && !logging && (
          <button
            type="button"
            className="btn btn-small"
            data-testid="log-activity"
            title={`${t("activity.log")} (${hotkeyLabel(SHORTCUTS.logActivity)})`}
            onClick={() => onLoggingChange(true)}
          >
            <Icon name="plus" size={12} /> {t("activity.log")} <Kbd hotkey={SHORTCUTS.logActivity} />
          </button>
        )}
      </div>

      {logging && !readOnly && (
        <ActivityForm
          customerId={customerId}
          onCancel={() => onLoggingChange(false)}
          onSaved={(activity) => {
            timeline.add(activity);
            onLoggingChange(false);
          }}
        />
      )}

      {timeline.error && (
        <div className="banner" role="alert" data-testid="timeline-error">
          <span>{t("timeline.loadFailed", { message: timeline.error.message })}</span>
          <button type="button" className="btn btn-small" onClick={timeline.reload}>
            {t("common.retry")}
          </button>
        </div>
      )}

      {!timeline.loaded ? (
        <p className="muted" aria-busy="true">
          {t("common.loading")}
        </p>
      ) : timeline.items.length === 0 && !timeline.error ? (
        <p className="muted" data-testid="timeline-empty">
          {t("timeline.empty")}
        </p>
      ) : (
        <ol className="timeline" data-testid="timeline">
          {timeline.items.map((item) =>
            item.type === "activity" ? (
              <ActivityItem key={itemKey(item)} activity={item.activity} readOnly={readOnly} onDelete={() => void remove(item.activity)} />
            ) : (
              <HistoryEventItem key={itemKey(item)} event={eventFromGroup(item.changes)} fields={fields} />
            ),
          )}
        </ol>
      )}

      {timeline.hasMore && (
        <button
          type="button"
          className="btn btn-small timeline-more"
          data-testid="timeline-more"
          disabled={timeline.loadingMore}
          aria-busy={timeline.loadingMore}
          onClick={timeline.loadMore}
        >
          {timeline.loadingMore ? t("common.loading") : t("timeline.more")}
        </button>
      )}
    </section>
  );
}

function ActivityItem({ activity, readOnly, onDelete }: { activity: Activity; readOnly: boolean; onDelete: () => void }) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language;
  const kind = t(`activityKind.${activity.kind}`);
  const meta = [formatDateTime(activity.occurredAt, locale)];
  if (activity.durationMinutes !== null) meta.push(formatDuration(activity.durationMinutes, locale, t));

  return (
    <li className="timeline-event timeline-activity" data-testid="timeline-activity" data-id={activity.id} data-kind={activity.kind}>
      <div className="activity-head">
        <span className={`activity-icon activity-icon-${activity.kind}`} aria-hidden="true">
          <Icon name={KIND_ICONS[activity.kind]} size={14} />
        </span>
        <strong className="activity-kind">{kind}</strong>
        <span className="timeline-meta">{meta.join(" · ")}</span>
        {!readOnly && (
          <button
            type="button"
            className="btn btn-ghost btn-icon btn-small activity-delete"
            data-testid="activity-delete"
            aria-label={t("activity.delete")}
            title={t("activity.delete")}
            onClick={onDelete}
          >
            <Icon name="trash" size={12} />
          </button>
        )}
      </div>
      {activity.outcome && (
        <div className="activity-outcome" data-testid="activity-outcome-text">
          {activity.outcome}
        </div>
      )}
      {activity.body && <div className="activity-body">{activity.body}</div>}
      <div className="timeline-meta">
        {/* "me" is the core's word for the local user, not a name: a sentence of its own reads right in Chinese ("由我记录"). */}
        {isSelfAuthor(activity.loggedBy) ? t("activity.loggedByMe") : t("activity.loggedBy", { name: activity.loggedBy || t("history.unknownAuthor") })}
      </div>
    </li>
  );
}

/** "15 min", or "1 h 30 min" once it runs past an hour. */
function formatDuration(minutes: number, locale: string, t: (key: string, options?: Record<string, unknown>) => string): string {
  if (minutes < 60) return t("activity.minutes", { minutes: formatNumber(minutes, locale) });
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return rest === 0
    ? t("activity.hours", { hours: formatNumber(hours, locale) })
    : t("activity.hoursMinutes", { hours: formatNumber(hours, locale), minutes: formatNumber(rest, locale) });
}
