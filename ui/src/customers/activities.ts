/**
 * Pure logic behind the activity timeline: the kinds, the form's time field, and keeping a page
 * list in order while activities are logged or deleted between page loads.
 *
 * Times: the form's `<input type="datetime-local">` holds a wall-clock time with no zone. The core
 * wants RFC 3339 with the user's offset (it stores UTC), so the offset is the browser's for that
 * very date, which is right across daylight-saving changes too.
 */
import type { Activity, ActivityKind, TimelineItem } from "../bindings";

export const ACTIVITY_KINDS: readonly ActivityKind[] = ["call", "visit", "meeting", "email", "note"];

export function isActivityKind(value: unknown): value is ActivityKind {
  return typeof value === "string" && (ACTIVITY_KINDS as readonly string[]).includes(value);
}

/** The fields the core may name in a validation error about an activity. */
export const ACTIVITY_FIELDS = ["occurredAt", "durationMinutes", "outcome", "body"] as const;
export type ActivityField = (typeof ACTIVITY_FIELDS)[number];

export function isActivityField(value: unknown): value is ActivityField {
  return typeof value === "string" && (ACTIVITY_FIELDS as readonly string[]).includes(value);
}

const pad = (n: number, width = 2) => String(Math.trunc(Math.abs(n))).padStart(width, "0");

/** A date as the value of a datetime-local input ("2026-11-23T10:30"), in the browser's zone. */
export function toLocalInputValue(date: Date): string {
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** A local instant as RFC 3339 with the browser's offset for that date, to the millisecond. */
export function toOffsetRfc3339(date: Date): string {
  const offset = -date.getTimezoneOffset();
  const sign = offset >= 0 ? "+" : "-";
  return (
    `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}` +
    `T${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}.${pad(date.getMilliseconds(), 3)}` +
    `${sign}${pad(offset / 60)}:${pad(offset % 60)}`
  );
}

/**
 * A datetime-local value ("2026-11-23T10:30", seconds optional) as a local Date; null when it is
 * empty or not a real time.
 */
export function parseLocalInputValue(value: string): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?$/.exec(value.trim());
  if (!m) return null;
  const [year, month, day, hour, minute] = [m[1], m[2], m[3], m[4], m[5]].map(Number) as [number, number, number, number, number];
  const date = new Date(year, month - 1, day, hour, minute, Number(m[6] ?? 0), Number((m[7] ?? "0").padEnd(3, "0")));
  // The Date constructor rolls 2026-02-31 over to March; a typed date that rolled is not real.
  if (date.getFullYear() !== year || date.getMonth() !== month - 1 || date.getDate() !== day) return null;
  return date;
}

export function itemAt(item: TimelineItem): string {
  return item.type === "activity" ? item.activity.occurredAt : item.changes.at;
}

/** A key that stays the same for an item across reloads (React keys, de-duplication). */
export function itemKey(item: TimelineItem): string {
  return item.type === "activity"
    ? `a:${item.activity.id}`
    : `c:${item.changes.at}\u0000${item.changes.author}\u0000${item.changes.device}`;
}

function instant(at: string): number {
  const ms = Date.parse(at);
  return Number.isNaN(ms) ? 0 : ms;
}

/**
 * Puts a just-logged activity where it belongs, newest first; ahead of anything with the same
 * time, since it is what the user is looking for.
 */
export function insertActivity(items: readonly TimelineItem[], activity: Activity): TimelineItem[] {
  const at = instant(activity.occurredAt);
  const rest = items.filter((item) => !(item.type === "activity" && item.activity.id === activity.id));
  const index = rest.findIndex((item) => instant(itemAt(item)) <= at);
  const item: TimelineItem = { type: "activity", activity };
  return index === -1 ? [...rest, item] : [...rest.slice(0, index), item, ...rest.slice(index)];
}

/**
 * An older page after the ones on screen. An activity logged here with an old date was already
 * placed on screen, below the last loaded item, and also comes back in a later page: it is shown
 * once, and the merged list is put back in time order around it (a stable sort, so items with the
 * same time keep the order the core sent them in).
 */
export function appendPage(items: readonly TimelineItem[], page: readonly TimelineItem[]): TimelineItem[] {
  const seen = new Set(items.map(itemKey));
  const merged = [...items, ...page.filter((item) => !seen.has(itemKey(item)))];
  return merged.sort((a, b) => instant(itemAt(b)) - instant(itemAt(a)));
}

export function removeActivity(items: readonly TimelineItem[], id: string): TimelineItem[] {
  return items.filter((item) => !(item.type === "activity" && item.activity.id === id));
}
