/**
 * Turns the flat change log from `customerHistory` into timeline events.
 *
 * The core records one HistoryEntry per changed column; every column changed by one save shares
 * the same `at` (and author and device), so those belong together as one event the user recognises
 * as "what I did when I pressed Save". Newest events come first, as in every timeline.
 *
 * A save that arrived from another device may hold values that lost a concurrent edit of the same
 * field made here: they never became the record's values. They stay in their save with the
 * `restore` token the core gave them, so the timeline can offer to bring one back.
 */
import type { HistoryEntry } from "../bindings";

export type ChangeKind = "changed" | "trashed" | "restored";

export type HistoryChange = {
  kind: ChangeKind;
  field: string;
  oldValue: string | null;
  newValue: string | null;
  /** Set when this value lost a concurrent edit: pass it to `restoreLostValue`. */
  restore: string | null;
};

export type HistoryEvent = {
  key: string;
  at: string;
  author: string;
  device: string;
  /** The save that brought the record into existence (its name went from nothing to something). */
  created: boolean;
  changes: HistoryChange[];
};

const TRASH_FIELD = "deleted_at";

function classify(entry: HistoryEntry): ChangeKind {
  if (entry.field !== TRASH_FIELD) return "changed";
  return entry.newValue === null || entry.newValue === "" ? "restored" : "trashed";
}

function instant(at: string): number {
  const ms = Date.parse(at);
  return Number.isNaN(ms) ? 0 : ms;
}

export function groupHistory(entries: readonly HistoryEntry[]): HistoryEvent[] {
  const events = new Map<string, HistoryEvent>();
  for (const entry of entries) {
    const key = `${entry.at}\u0000${entry.author}\u0000${entry.device}`;
    let event = events.get(key);
    if (!event) {
      event = { key, at: entry.at, author: entry.author, device: entry.device, created: false, changes: [] };
      events.set(key, event);
    }
    const restore = entry.restore ?? null;
    event.changes.push({ kind: classify(entry), field: entry.field, oldValue: entry.oldValue, newValue: entry.newValue, restore });
    // A value that lost never changed the record, so it cannot have created it either.
    if (entry.field === "name" && entry.oldValue === null && restore === null) event.created = true;
  }
  // Stable sort: events with equal instants keep the order the core sent them in.
  return [...events.values()].sort((a, b) => instant(b.at) - instant(a.at));
}

/**
 * The i18n keys that may name a history field, most specific first: "phones.value" is looked up
 * as "historyField.phones_value", then "historyField.phones"; the raw name is the last resort.
 */
export function fieldLabelKeys(field: string): string[] {
  const normalised = field.replace(/\.\d+(?=\.|$)/g, "");
  const keys = [`historyField.${normalised.replace(/\./g, "_")}`];
  const head = normalised.split(".")[0];
  if (head && head !== normalised) keys.push(`historyField.${head}`);
  return keys;
}

/**
 * A custom field's change: `custom.<id>` (its value) or `custom.<id>.deleted_at` (the value was
 * cleared, or came back). Null for every other field.
 */
export function customFieldOf(field: string): { fieldId: string; removed: boolean } | null {
  const match = /^custom\.(.+?)(\.deleted_at)?$/.exec(field);
  return match ? { fieldId: match[1]!, removed: match[2] !== undefined } : null;
}

/** What an attachment's change means to the user; see `attachmentChangeOf`. */
export type AttachmentChange =
  | { kind: "added"; name: string }
  | { kind: "renamed"; from: string; to: string }
  | { kind: "removed" }
  | { kind: "restored" };

/**
 * An attachment's change: `attachments.name` (set when a file was added) or
 * `attachments.deleted_at` (set when it was removed, unset when it came back). Null for every
 * other field, and for anything else these two fields might hold (those read as plain changes).
 */
export function attachmentChangeOf(change: Pick<HistoryChange, "field" | "oldValue" | "newValue">): AttachmentChange | null {
  const match = /^attachments\.(?:.+\.)?(name|deleted_at)$/.exec(change.field);
  if (!match) return null;
  const before = change.oldValue ?? "";
  const after = change.newValue ?? "";
  if (match[1] === "deleted_at") return after === "" ? { kind: "restored" } : { kind: "removed" };
  if (after === "") return null;
  return before === "" ? { kind: "added", name: after } : { kind: "renamed", from: before, to: after };
}

/** The changes of an event that took effect, and those that lost a concurrent edit. */
export function splitLost(changes: readonly HistoryChange[]): { applied: HistoryChange[]; lost: HistoryChange[] } {
  return { applied: changes.filter((c) => c.restore === null), lost: changes.filter((c) => c.restore !== null) };
}
