/** The calendar's own helpers over the generated commands. */
import { invoke } from "@tauri-apps/api/core";
import { commands, type AppError, type IcsImported, type Occurrence } from "../bindings";
import i18n from "../i18n";
import { signal } from "../lib/events";
import { call, uiError, type Result } from "../lib/result";

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
  let buffer: ArrayBuffer;
  try {
    buffer = await file.arrayBuffer();
  } catch (e) {
    return { status: "error", error: uiError(e instanceof Error ? e.message : String(e), { code: "bad_file" }) };
  }
  try {
    const data = await invoke<IcsImported>("import_ics", new Uint8Array(buffer), { headers: { "x-skip-invalid": skipInvalid ? "1" : "0" } });
    return { status: "ok", data };
  } catch (e) {
    if (e && typeof e === "object" && "code" in e && "message" in e) return { status: "error", error: e as AppError };
    return { status: "error", error: uiError(e instanceof Error ? e.message : String(e)) };
  }
}
