import { describe, expect, it } from "vitest";
import type { Activity, TimelineItem } from "../bindings";
import { appendPage, insertActivity, itemKey, parseLocalInputValue, removeActivity, toLocalInputValue, toOffsetRfc3339 } from "./activities";

describe("the time field", () => {
  it("sends the typed wall-clock time with the browser's offset for that date", () => {
    // Whatever zone the tests run in (try TZ=Asia/Shanghai or TZ=America/New_York).
    for (const typed of ["2026-11-23T10:30", "2026-07-01T23:59", "2026-01-01T00:00"]) {
      const date = parseLocalInputValue(typed)!;
      const sent = toOffsetRfc3339(date);
      expect(sent).toMatch(new RegExp(`^${typed}:00\\.000[+-]\\d{2}:\\d{2}$`));
      expect(Date.parse(sent)).toBe(date.getTime());
      expect(toLocalInputValue(date)).toBe(typed);
    }
  });

  it("keeps seconds and milliseconds of an exact instant", () => {
    const now = new Date(2026, 10, 23, 10, 30, 27, 45);
    expect(toOffsetRfc3339(now)).toMatch(/^2026-11-23T10:30:27\.045[+-]\d{2}:\d{2}$/);
    expect(Date.parse(toOffsetRfc3339(now))).toBe(now.getTime());
  });

  it("rejects empty, malformed and impossible times", () => {
    expect(parseLocalInputValue("")).toBeNull();
    expect(parseLocalInputValue("yesterday")).toBeNull();
    expect(parseLocalInputValue("2026-02-31T10:00")).toBeNull();
    expect(parseLocalInputValue("2026-11-23T10:30:15")?.getSeconds()).toBe(15);
  });
});

const activity = (id: string, occurredAt: string): Activity => ({
  id,
  customerId: "c1",
  kind: "call",
  occurredAt,
  durationMinutes: null,
  outcome: "",
  body: "",
  loggedBy: "Tester",
});
const a = (id: string, at: string): TimelineItem => ({ type: "activity", activity: activity(id, at) });
const c = (at: string): TimelineItem => ({ type: "changes", changes: { at, author: "Tester", device: "laptop", entries: [] } });
const keys = (items: TimelineItem[]) => items.map(itemKey);

describe("keeping the timeline in order", () => {
  const page = [c("2025-03-03T10:00:00.000Z"), a("a1", "2025-03-02T10:00:00.000Z"), c("2025-03-01T10:00:00.000Z")];

  it("puts a logged activity where its time belongs, ahead of an item with the same time", () => {
    expect(keys(insertActivity(page, activity("new", "2025-03-04T00:00:00.000Z")))[0]).toBe("a:new");
    expect(keys(insertActivity(page, activity("new", "2025-03-02T10:00:00.000Z")))).toEqual([
      itemKey(page[0]!),
      "a:new",
      "a:a1",
      itemKey(page[2]!),
    ]);
    expect(keys(insertActivity(page, activity("new", "2020-01-01T00:00:00.000Z"))).at(-1)).toBe("a:new");
  });

  it("appends an older page once, in time order, around an activity already placed", () => {
    const shown = insertActivity(page, activity("old", "2025-02-01T00:00:00.000Z"));
    const older = [a("a2", "2025-02-15T00:00:00.000Z"), a("old", "2025-02-01T00:00:00.000Z"), c("2025-01-01T00:00:00.000Z")];
    expect(keys(appendPage(shown, older))).toEqual([...keys(page), "a:a2", "a:old", itemKey(older[2]!)]);
  });

  it("removes a deleted activity and nothing else", () => {
    expect(keys(removeActivity(page, "a1"))).toEqual([itemKey(page[0]!), itemKey(page[2]!)]);
  });
});
