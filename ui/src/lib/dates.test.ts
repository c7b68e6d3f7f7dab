import { describe, expect, it } from "vitest";
import { normalizeDate, parseDate } from "./dates";

describe("parseDate", () => {
  it("reads a date typed year first, as the core does", () => {
    for (const typed of ["2026-03-05", "2026-3-5", "2026/3/5", "2026.3.5", "20260305", "2026年3月5日", " 2026/03/05 "]) {
      expect(parseDate(typed)).toBe("2026-03-05");
    }
  });

  it("does not guess at month-day order or days that do not exist", () => {
    for (const typed of ["03/05/2026", "5.3.2026", "2026-02-30", "2026-13-01", "2026", "", "next Tuesday"]) {
      expect(parseDate(typed)).toBeNull();
    }
    expect(parseDate("2024-02-29")).toBe("2024-02-29");
  });
});

describe("normalizeDate", () => {
  it("gives YYYY-MM-DD for what it reads, and the text as typed otherwise, for the core to refuse", () => {
    expect(normalizeDate("1990/5/1")).toBe("1990-05-01");
    expect(normalizeDate(" 05/01/1990 ")).toBe("05/01/1990");
  });
});
