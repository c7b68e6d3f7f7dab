import { describe, expect, it } from "vitest";
import { defaultStart } from "./time";

describe("a new event's default start", () => {
  it("is the next full hour, or the one after when that is under half an hour away", () => {
    expect(defaultStart(new Date(2026, 11, 6, 9, 10))).toBe("2026-12-06T10:00");
    expect(defaultStart(new Date(2026, 11, 6, 9, 40))).toBe("2026-12-06T11:00");
    // Late in the evening it is tomorrow, not a time already past today.
    expect(defaultStart(new Date(2026, 11, 6, 23, 45))).toBe("2026-12-07T01:00");
    expect(defaultStart(new Date(2026, 11, 31, 23, 10))).toBe("2027-01-01T00:00");
  });
});
