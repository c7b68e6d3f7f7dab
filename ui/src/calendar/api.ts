/** The calendar's own helpers over the generated commands. */
import { commands, type Occurrence } from "../bindings";
import { call } from "../lib/result";

/** A calendar entry's id: its event and, for a series, which occurrence. */
export function occurrenceKey(o: Pick<Occurrence, "eventId" | "recurrenceId">): string {
  return `${o.eventId}|${o.recurrenceId ?? ""}`;
}

export function parseOccurrenceKey(key: string): { eventId: string; recurrenceId: string | null } {
  const [eventId = "", rid = ""] = key.split("|");
  return { eventId, recurrenceId: rid ? rid : null };
}

export const calendarApi = {
  page: (from: string, to: string, zone: string, owners: string[] | null) => call(commands.calendarPage(from, to, zone, owners)),
};

type Listener = () => void;
const listeners = new Set<Listener>();

/** Events or tasks changed (here, or another device's changes arrived): pages refetch. */
export function calendarChanged(): void {
  for (const l of [...listeners]) l();
}

export function onCalendarChanged(listener: Listener): () => void {
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
  };
}
