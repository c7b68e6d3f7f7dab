/**
 * Calendar dates as people type them into a form, read the way the core reads them
 * (crates/core/src/time.rs `parse_loose_date` without US order, which custom date fields use):
 * `2026-03-05`, `2026-3-5`, `2026/3/5`, `2026.3.5`, `20260305`, `2026年3月5日`. Year first in every
 * form, so no date is ever read day-for-month. What cannot be read is left as typed, for the core
 * to refuse in its own words under the field.
 */

/** `YYYY-MM-DD` for a real calendar date typed in one of the forms above; null for anything else. */
export function parseDate(text: string): string | null {
  const cleaned = text.trim().replace(/[年月/.]/g, "-").replace(/日/g, "");
  const match = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(cleaned) ?? /^(\d{4})(\d{2})(\d{2})$/.exec(cleaned);
  if (!match) return null;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  // Date rolls 2026-02-30 over to March; a real date comes back unchanged.
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null;
  return `${match[1]}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
}

/** What to send for a typed date: `YYYY-MM-DD` when it reads as one, else the text as typed (trimmed). */
export function normalizeDate(text: string): string {
  return parseDate(text) ?? text.trim();
}
