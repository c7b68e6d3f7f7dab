/**
 * The event form's "Repeat" choices and the RFC 5545 RRULE they stand for. The core expands the
 * rule (the rrule crate); this only turns the form's choices into a rule and back. A rule the
 * form cannot show (one imported from another calendar) is kept as it is, as "custom".
 */

import { ymd } from "./time";

export const WEEKDAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export type Repeat = {
  freq: "none" | "daily" | "weekly" | "monthly-day" | "monthly-nth" | "yearly" | "custom";
  interval: number;
  /** Weekly: the days it repeats on. */
  days: Weekday[];
  ends: "never" | "count" | "until";
  count: number;
  /** `YYYY-MM-DD`: the last day it may happen on. */
  until: string;
  /** The rule as it was, for "custom". */
  raw: string;
};

export const NO_REPEAT: Repeat = { freq: "none", interval: 1, days: [], ends: "never", count: 10, until: "", raw: "" };

/** The weekday of a `YYYY-MM-DD` day. */
export function weekdayOf(day: string): Weekday {
  const [y, m, d] = ymd(day);
  const js = new Date(Date.UTC(y, m - 1, d)).getUTCDay();
  return WEEKDAYS[(js + 6) % 7] ?? "MO";
}

/** Which of its weekday in the month a day is: the 2nd Tuesday is 2; the last one in a month is -1. */
export function nthOfMonth(day: string): number {
  const [y, m, d] = ymd(day);
  const n = Math.ceil(d / 7);
  const daysInMonth = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return n >= 5 || d + 7 > daysInMonth ? (n === 5 ? -1 : n) : n;
}

/** The RRULE value for the form's choices, starting on `startDay` (`YYYY-MM-DD`); "" for none. */
export function toRrule(r: Repeat, startDay: string): string {
  if (r.freq === "none") return "";
  if (r.freq === "custom") return r.raw;
  const parts: string[] = [];
  switch (r.freq) {
    case "daily":
      parts.push("FREQ=DAILY");
      break;
    case "weekly":
      parts.push("FREQ=WEEKLY", `BYDAY=${(r.days.length ? r.days : [weekdayOf(startDay)]).join(",")}`);
      break;
    case "monthly-day":
      parts.push("FREQ=MONTHLY", `BYMONTHDAY=${Number(startDay.slice(8, 10))}`);
      break;
    case "monthly-nth":
      parts.push("FREQ=MONTHLY", `BYDAY=${nthOfMonth(startDay)}${weekdayOf(startDay)}`);
      break;
    case "yearly":
      parts.push("FREQ=YEARLY");
      break;
  }
  if (r.interval > 1) parts.push(`INTERVAL=${r.interval}`);
  if (r.ends === "count") parts.push(`COUNT=${r.count}`);
  if (r.ends === "until" && /^\d{4}-\d{2}-\d{2}$/.test(r.until)) parts.push(`UNTIL=${r.until.replace(/-/g, "")}T235959`);
  return parts.join(";");
}

/** The form's choices for a stored rule (anything it cannot show is "custom"). */
export function fromRrule(rule: string): Repeat {
  if (!rule.trim()) return { ...NO_REPEAT };
  const custom: Repeat = { ...NO_REPEAT, freq: "custom", raw: rule };
  const map = new Map<string, string>();
  for (const part of rule.split(";")) {
    const [k, v] = part.split("=");
    if (!k || v === undefined) return custom;
    map.set(k.trim().toUpperCase(), v.trim().toUpperCase());
  }
  const r: Repeat = { ...NO_REPEAT, raw: rule };
  const interval = Number(map.get("INTERVAL") ?? "1");
  if (!Number.isInteger(interval) || interval < 1) return custom;
  r.interval = interval;
  if (map.has("COUNT")) {
    r.ends = "count";
    r.count = Number(map.get("COUNT"));
  } else if (map.has("UNTIL")) {
    const u = map.get("UNTIL")!;
    r.ends = "until";
    r.until = `${u.slice(0, 4)}-${u.slice(4, 6)}-${u.slice(6, 8)}`;
  }
  const known = new Set(["FREQ", "INTERVAL", "COUNT", "UNTIL", "BYDAY", "BYMONTHDAY", "WKST"]);
  if ([...map.keys()].some((k) => !known.has(k))) return custom;
  const byday = map.get("BYDAY");
  switch (map.get("FREQ")) {
    case "DAILY":
      return byday || map.has("BYMONTHDAY") ? custom : { ...r, freq: "daily" };
    case "WEEKLY": {
      const days = (byday ?? "").split(",").filter(Boolean);
      if (map.has("BYMONTHDAY") || !days.every((d) => (WEEKDAYS as readonly string[]).includes(d))) return custom;
      return { ...r, freq: "weekly", days: days as Weekday[] };
    }
    case "MONTHLY":
      if (map.has("BYMONTHDAY") && !byday) return { ...r, freq: "monthly-day" };
      if (byday && /^-?[1-5](MO|TU|WE|TH|FR|SA|SU)$/.test(byday) && !map.has("BYMONTHDAY")) return { ...r, freq: "monthly-nth" };
      return custom;
    case "YEARLY":
      return byday || map.has("BYMONTHDAY") ? custom : { ...r, freq: "yearly" };
    default:
      return custom;
  }
}
