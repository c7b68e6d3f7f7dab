import { describe, expect, it } from "vitest";
import { fromRrule, NO_REPEAT, nthOfMonth, toRrule, weekdayOf, type Repeat } from "./recurrence";

describe("the Repeat choices and their RRULE", () => {
  const cases: [Partial<Repeat>, string, string][] = [
    [{ freq: "none" }, "2027-01-12", ""],
    [{ freq: "daily" }, "2027-01-12", "FREQ=DAILY"],
    [{ freq: "weekly", days: ["TU", "TH"] }, "2027-01-12", "FREQ=WEEKLY;BYDAY=TU,TH"],
    // No day ticked: the start's weekday.
    [{ freq: "weekly", days: [] }, "2027-01-12", "FREQ=WEEKLY;BYDAY=TU"],
    [{ freq: "weekly", days: ["MO"], interval: 2, ends: "count", count: 8 }, "2027-01-11", "FREQ=WEEKLY;BYDAY=MO;INTERVAL=2;COUNT=8"],
    [{ freq: "monthly-day" }, "2027-01-31", "FREQ=MONTHLY;BYMONTHDAY=31"],
    // January 12, 2027 is the 2nd Tuesday; the 26th the last (4th) one.
    [{ freq: "monthly-nth" }, "2027-01-12", "FREQ=MONTHLY;BYDAY=2TU"],
    [{ freq: "monthly-nth" }, "2027-01-29", "FREQ=MONTHLY;BYDAY=-1FR"],
    [{ freq: "yearly", ends: "until", until: "2030-12-31" }, "2027-01-12", "FREQ=YEARLY;UNTIL=20301231T235959"],
  ];
  it.each(cases)("%j from %s is %s", (choice, start, rule) => {
    const repeat = { ...NO_REPEAT, ...choice } as Repeat;
    expect(toRrule(repeat, start)).toBe(rule);
    if (rule) expect(toRrule(fromRrule(rule), start)).toBe(rule);
  });

  it("keeps a rule the form cannot show as custom", () => {
    for (const rule of ["FREQ=MONTHLY;BYDAY=TU,WE,TH;BYSETPOS=3", "FREQ=HOURLY", "FREQ=WEEKLY;BYDAY=XX", "nonsense"]) {
      const r = fromRrule(rule);
      expect(r.freq).toBe("custom");
      expect(toRrule(r, "2027-01-12")).toBe(rule);
    }
  });

  it("knows weekdays and their place in the month", () => {
    expect(weekdayOf("2027-01-12")).toBe("TU");
    expect(weekdayOf("2026-12-06")).toBe("SU");
    expect(nthOfMonth("2027-01-12")).toBe(2);
    expect(nthOfMonth("2027-01-05")).toBe(1);
  });
});
