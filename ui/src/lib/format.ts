/**
 * Locale-aware formatting. Intl formatters are costly to build and the list formats one date per
 * visible row, so they are cached per locale and style.
 */
const dateFormats = new Map<string, Intl.DateTimeFormat>();
const numberFormats = new Map<string, Intl.NumberFormat>();

function dateFormat(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale}|${JSON.stringify(options)}`;
  let format = dateFormats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, options);
    dateFormats.set(key, format);
  }
  return format;
}

/** An RFC 3339 instant as a short date in the user's zone. */
export function formatDate(iso: string, locale: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return dateFormat(locale, { dateStyle: "medium" }).format(date);
}

export function formatDateTime(iso: string, locale: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return dateFormat(locale, { dateStyle: "medium", timeStyle: "short" }).format(date);
}

/**
 * A calendar date ("YYYY-MM-DD") has no time zone; parsing it with `new Date(str)` would read it
 * as UTC midnight and show the day before for users west of Greenwich.
 */
export function formatCalendarDate(ymd: string, locale: string, style: "long" | "full" = "long"): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(ymd);
  if (!match) return ymd;
  const date = new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  return dateFormat(locale, { dateStyle: style }).format(date);
}

export function formatNumber(value: number, locale: string): string {
  let format = numberFormats.get(locale);
  if (!format) {
    format = new Intl.NumberFormat(locale);
    numberFormats.set(locale, format);
  }
  return format.format(value);
}

const relativeFormats = new Map<string, Intl.RelativeTimeFormat>();

const RELATIVE_UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ["day", 86_400_000],
  ["hour", 3_600_000],
  ["minute", 60_000],
];

/**
 * How long ago an RFC 3339 instant was ("5 minutes ago", "5 分钟前"), in the largest whole unit
 * up to days; older than a week reads as a date. Null under a minute, where the caller says "just
 * now" in its own words (Intl's "0 minutes ago" reads oddly).
 */
export function formatRelativeTime(iso: string, locale: string, now: number = Date.now()): string | null {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return iso;
  const elapsed = Math.max(0, now - ms);
  if (elapsed < 60_000) return null;
  if (elapsed >= 7 * 86_400_000) return formatDate(iso, locale);
  let format = relativeFormats.get(locale);
  if (!format) {
    format = new Intl.RelativeTimeFormat(locale, { numeric: "auto" });
    relativeFormats.set(locale, format);
  }
  const [unit, size] = RELATIVE_UNITS.find(([, size]) => elapsed >= size)!;
  return format.format(-Math.floor(elapsed / size), unit);
}
