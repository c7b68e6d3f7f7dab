/** The user's zone and the wall-time strings the calendar commands take and give. */

/** The IANA zone the window shows times in: the system's. */
export function userZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
  } catch {
    return "UTC";
  }
}

const pad = (n: number) => String(n).padStart(2, "0");

/** Year, month (1-12) and day of a `YYYY-MM-DD` day (1970-01-01 for anything else). */
export function ymd(day: string): [number, number, number] {
  const [y = 1970, m = 1, d = 1] = day.split("-").map(Number);
  return [y || 1970, m || 1, d || 1];
}

/** `YYYY-MM-DD` of a Date in the window's zone. */
export function dayOf(d: Date): string {
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** `YYYY-MM-DDTHH:MM`, the wall time of a Date in the window's zone (what the commands take). */
export function wallOf(d: Date): string {
  return `${dayOf(d)}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** A day moved by whole days. */
export function addDays(day: string, n: number): string {
  const [y, m, d] = ymd(day);
  const t = new Date(y, m - 1, d + n);
  return dayOf(t);
}

/** The wall time an hour later (the default end of a new event). */
export function hourLater(wall: string): string {
  const [day = "", time = "09:00"] = wall.split("T");
  const [y, m, d] = ymd(day);
  const [hh = 9, mm = 0] = time.split(":").map(Number);
  return wallOf(new Date(y, m - 1, d, hh + 1, mm));
}

/**
 * A new event's start: the next full hour, or the one after when that is under half an hour
 * away, so the default 15-minute reminder is still to come (at 09:50 a 10:00 start would be
 * refused for a reminder already past), and late in the evening it is tomorrow, not 23:00 today.
 */
export function defaultStart(now: Date): string {
  const at = new Date(now.getTime());
  at.setMinutes(0, 0, 0);
  at.setHours(at.getHours() + 1);
  if (at.getTime() - now.getTime() < 30 * 60 * 1000) at.setHours(at.getHours() + 1);
  return wallOf(at);
}
