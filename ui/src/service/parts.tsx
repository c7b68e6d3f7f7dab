/** Small pieces the service pages share: status, priority and SLA badges, field errors. */
import type { TFunction } from "i18next";
import { useTranslation } from "react-i18next";
import type { TicketPriority, TicketStatus } from "../bindings";
export { FieldError } from "../records/FieldError";
import { minutesText, teamTime } from "./api";

/** A translation function, for badges drawn many at a time (a queue's rows): each row asking
 * for its own through `useTranslation` was most of a scroll step's time. */
type T = TFunction;

export function statusBadge(t: T, status: TicketStatus) {
  return (
    <span className={`pill ticket-status ticket-status-${status}`} data-testid="ticket-status" data-status={status}>
      {t(`service.status.${status}`)}
    </span>
  );
}

export function StatusBadge({ status }: { status: TicketStatus }) {
  const { t } = useTranslation();
  return statusBadge(t, status);
}

export function priorityBadge(t: T, priority: TicketPriority) {
  return (
    <span className={`pill ticket-priority ticket-priority-${priority}`} data-testid="ticket-priority" data-priority={priority}>
      {t(`service.priority.${priority}`)}
    </span>
  );
}

export function PriorityBadge({ priority }: { priority: TicketPriority }) {
  const { t } = useTranslation();
  return priorityBadge(t, priority);
}

/**
 * A ticket's SLA countdown: business time left until its running target, "soon" when less than
 * a quarter is left, "overdue" once past (the core counts both by its clock, so they agree); the
 * tooltip gives the due instant in the team's zone. Nothing runs while it waits or once resolved.
 */
export function slaBadge(t: T, badge: string, due: string | null, minutesLeft: number | null) {
  if (badge === "none" || !due || minutesLeft === null) {
    return (
      <span className="sla-badge sla-none" data-testid="sla-badge" data-badge="none">
        —
      </span>
    );
  }
  const text = minutesLeft < 0 || badge === "breached" ? t("service.sla.overdue", { time: minutesText(Math.abs(minutesLeft)) }) : t("service.sla.left", { time: minutesText(minutesLeft) });
  return (
    <span className={`sla-badge sla-${badge}`} data-testid="sla-badge" data-badge={badge} title={t("service.sla.dueAt", { time: teamTime(due) })}>
      {text}
    </span>
  );
}

export function SlaBadge({ badge, due, minutesLeft }: { badge: string; due: string | null; minutesLeft: number | null }) {
  const { t } = useTranslation();
  return slaBadge(t, badge, due, minutesLeft);
}

/** A ticket's own standing on one target (its page): met, missed, paused, or time left. */
export function StandingBadge({ standing, due }: { standing: import("../bindings").SlaStanding | null; due: string | null }) {
  const { t } = useTranslation();
  if (!standing) return <span className="sla-badge sla-none">—</span>;
  const state = standing.state;
  const text =
    state === "running" || state === "soon" ? t("service.sla.left", { time: minutesText(standing.minutesLeft) }) : t(`service.sla.${state}`);
  return (
    <span className={`sla-badge sla-${state === "missed" ? "breached" : state}`} data-testid="sla-standing" data-state={state} title={due ? t("service.sla.dueAt", { time: teamTime(due) }) : undefined}>
      {text}
    </span>
  );
}
