/** The service module's helpers over the generated commands. */
import { useEffect } from "react";
import type { QueueView, TicketPriority, TicketStatus } from "../bindings";
import { signal } from "../lib/events";
export { fieldErrors } from "../records/FieldError";

/** Tickets, articles or service settings changed (here, or another device's arrived). */
const service = signal();
export const serviceChanged = (): void => service.emit();
export const onServiceChanged = (listener: () => void): (() => void) => service.on(listener);

/** Runs `load` now and again whenever service records change. */
export function useServiceReload(load: () => void): void {
  useEffect(() => {
    load();
    return onServiceChanged(load);
  }, [load]);
}

export const PRIORITIES: TicketPriority[] = ["urgent", "high", "normal", "low"];

/** The queues, in the order their tabs show. */
export const QUEUE_VIEWS: QueueView[] = ["open", "mine", "unassigned", "breaching_soon", "breached", "all"];

/** Whether `s` names a queue (a summary notification's, read off the desktop's event). */
export function isQueueView(s: string): s is QueueView {
  return (QUEUE_VIEWS as string[]).includes(s);
}
export const STATUSES: TicketStatus[] = ["new", "assigned", "in_progress", "waiting", "resolved", "closed"];
export const CHANNELS = ["phone", "email", "visit", "chat", "other"] as const;

/** Business minutes as a countdown reads: `45m`, `3h 20m`, `26h`. */
export function minutesText(minutes: number): string {
  const m = Math.max(0, Math.round(minutes));
  if (m < 60) return `${m}m`;
  const h = Math.floor(m / 60);
  const rest = m % 60;
  return rest ? `${h}h ${rest}m` : `${h}h`;
}

/** Business minutes as a target is typed (and the core reads it): `30m`, `4h`, `1h30m`. */
export function durationText(total: number): string {
  const h = Math.floor(total / 60);
  const m = total % 60;
  if (h && m) return `${h}h${m}m`;
  return h ? `${h}h` : `${m}m`;
}

/** A time in the team's zone as it was written (`2026-11-30T17:00:00+08:00` → `2026-11-30 17:00`): SLA times read in the team's own zone. */
export function teamTime(iso: string | null | undefined): string {
  if (!iso) return "";
  const m = /^(\d{4}-\d\d-\d\d)T(\d\d:\d\d)/.exec(iso);
  return m ? `${m[1]} ${m[2]}` : iso;
}
