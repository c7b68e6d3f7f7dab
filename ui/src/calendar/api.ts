/** The calendar's own helpers over the generated commands. */
import { commands, type AppError, type IcsImported, type Occurrence, type Task, type TaskInput } from "../bindings";
import i18n from "../i18n";
import { signal } from "../lib/events";
import { sendFile } from "../lib/rawCommand";
import { call, uiError, type Result } from "../lib/result";
import { userZone } from "./time";

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

/** A task as the quick-add rows make it (the Tasks page, a deal's page): open, the team's, in
 * the window's zone, reminded at its time when it has one. */
export function quickTask(p: Pick<TaskInput, "title" | "dueDate"> & Partial<Pick<TaskInput, "dueTime" | "priority" | "customerId" | "opportunityId">>): TaskInput {
  const dueTime = p.dueTime ?? "";
  return {
    title: p.title,
    notes: "",
    dueDate: p.dueDate,
    dueTime,
    tz: userZone(),
    priority: p.priority ?? "normal",
    done: false,
    reminders: dueTime ? [0] : [],
    customerId: p.customerId ?? null,
    opportunityId: p.opportunityId ?? null,
    owner: "",
    visibility: "team",
  };
}

/** Adds a quick task; a refusal (naming the field) is handed back for the row to show. */
export async function addQuickTask(p: Parameters<typeof quickTask>[0]): Promise<AppError | null> {
  const r = await call(commands.createTask(quickTask(p)));
  if (r.status === "error") return r.error;
  calendarChanged();
  return null;
}

/** Ticks a task done, or open again; a refusal is handed back for the page to say. */
export async function toggleTask(task: Task): Promise<AppError | null> {
  const r = await call(commands.setTaskDone(task.id, task.doneAt === null));
  calendarChanged();
  return r.status === "error" ? r.error : null;
}

/** Events or tasks changed (here, or another device's changes arrived): pages refetch. */
const calendar = signal();
export const calendarChanged = (): void => calendar.emit();
export const onCalendarChanged = (listener: () => void): (() => void) => calendar.on(listener);

/**
 * Imports an .ics file: its bytes go as the raw body of `import_ics` (a command tauri-specta
 * cannot describe; its answer's type, `IcsImported`, is still generated from Rust).
 */
/** The core's limit (`ics::MAX_ICS_BYTES`): a larger file is refused before it is read. */
export const MAX_ICS_BYTES = 50 * 1024 * 1024;

export async function importIcs(file: File, skipInvalid = false): Promise<Result<IcsImported, AppError>> {
  if (file.size > MAX_ICS_BYTES) {
    const mb = (n: number) => String(Math.ceil(n / (1024 * 1024)));
    const params = { mb: mb(file.size), max: mb(MAX_ICS_BYTES) };
    return { status: "error", error: uiError(i18n.t("messages:file.tooLarge", params), { code: "bad_file", reason: "file.tooLarge", params }) };
  }
  return sendFile<IcsImported>("import_ics", file, { "x-skip-invalid": skipInvalid ? "1" : "0" });
}
