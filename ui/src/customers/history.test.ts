import { describe, expect, it } from "vitest";
import type { HistoryEntry } from "../bindings";
import { attachmentChangeOf, customFieldOf, fieldLabelKeys, groupHistory } from "./history";

const entry = (at: string, field: string, oldValue: string | null, newValue: string | null, device = "laptop"): HistoryEntry => ({
  at,
  author: "Wang Fang",
  device,
  field,
  oldValue,
  newValue,
  restore: null,
});

describe("groupHistory", () => {
  it("folds entries that share a timestamp into one event, newest first", () => {
    const events = groupHistory([
      entry("2025-01-01T10:00:00Z", "name", null, "Acme"),
      entry("2025-01-01T10:00:00Z", "stage", null, "lead"),
      entry("2025-01-03T09:00:00Z", "stage", "lead", "won"),
      entry("2025-01-03T09:00:00Z", "owner", "", "Li"),
    ]);
    expect(events).toHaveLength(2);
    expect(events[0]?.at).toBe("2025-01-03T09:00:00Z");
    expect(events[0]?.changes.map((c) => c.field)).toEqual(["stage", "owner"]);
    expect(events[1]?.changes).toHaveLength(2);
  });

  it("orders by instant, not by string, across time-zone offsets", () => {
    const events = groupHistory([
      entry("2025-01-01T10:00:00+08:00", "stage", "lead", "won"),
      entry("2025-01-01T03:00:00Z", "stage", "won", "lapsing"),
    ]);
    expect(events.map((e) => e.changes[0]?.newValue)).toEqual(["lapsing", "won"]);
  });

  it("keeps simultaneous saves from two devices apart", () => {
    const events = groupHistory([
      entry("2025-01-01T10:00:00Z", "stage", "lead", "won", "laptop"),
      entry("2025-01-01T10:00:00Z", "stage", "lead", "contacted", "desktop"),
    ]);
    expect(events).toHaveLength(2);
  });

  it("reads deleted_at being set as a move to trash and being cleared as a restore", () => {
    const events = groupHistory([
      entry("2025-01-02T00:00:00Z", "deleted_at", null, "2025-01-02T00:00:00Z"),
      entry("2025-01-03T00:00:00Z", "deleted_at", "2025-01-02T00:00:00Z", null),
    ]);
    expect(events.map((e) => e.changes[0]?.kind)).toEqual(["restored", "trashed"]);
  });

  it("marks the save that created the record", () => {
    const events = groupHistory([
      entry("2025-01-01T10:00:00Z", "name", null, "Acme"),
      entry("2025-01-02T10:00:00Z", "name", "Acme", "Acme Ltd"),
    ]);
    expect(events.map((e) => e.created)).toEqual([false, true]);
  });

  it("returns nothing for an empty log", () => {
    expect(groupHistory([])).toEqual([]);
  });
});

describe("fieldLabelKeys", () => {
  it("looks up nested fields specifically, then by their collection", () => {
    expect(fieldLabelKeys("phones.value")).toEqual(["historyField.phones_value", "historyField.phones"]);
    expect(fieldLabelKeys("emails.1.label")).toEqual(["historyField.emails_label", "historyField.emails"]);
    expect(fieldLabelKeys("name")).toEqual(["historyField.name"]);
  });
});

describe("customFieldOf", () => {
  it("recognises a custom value's change and its clearing", () => {
    expect(customFieldOf("custom.f1")).toEqual({ fieldId: "f1", removed: false });
    expect(customFieldOf("custom.f1.deleted_at")).toEqual({ fieldId: "f1", removed: true });
    expect(customFieldOf("deleted_at")).toBeNull();
    expect(customFieldOf("phones.value")).toBeNull();
  });
});

describe("attachmentChangeOf", () => {
  const change = (field: string, oldValue: string | null, newValue: string | null) => ({ field, oldValue, newValue });

  it("reads a file added, removed and brought back", () => {
    expect(attachmentChangeOf(change("attachments.name", null, "报价单.pdf"))).toEqual({ kind: "added", name: "报价单.pdf" });
    expect(attachmentChangeOf(change("attachments.deleted_at", null, "2025-03-01T08:00:00Z"))).toEqual({ kind: "removed" });
    expect(attachmentChangeOf(change("attachments.deleted_at", "2025-03-01T08:00:00Z", null))).toEqual({ kind: "restored" });
    expect(attachmentChangeOf(change("attachments.deleted_at", "2025-03-01T08:00:00Z", ""))).toEqual({ kind: "restored" });
    expect(attachmentChangeOf(change("attachments.name", "a.pdf", "b.pdf"))).toEqual({ kind: "renamed", from: "a.pdf", to: "b.pdf" });
  });

  it("leaves every other field, and a name emptied, to the plain change line", () => {
    expect(attachmentChangeOf(change("name", null, "Acme"))).toBeNull();
    expect(attachmentChangeOf(change("deleted_at", null, "2025-03-01T08:00:00Z"))).toBeNull();
    expect(attachmentChangeOf(change("attachments.size", null, "12"))).toBeNull();
    expect(attachmentChangeOf(change("attachments.name", "a.pdf", null))).toBeNull();
  });

  it("is not mistaken for the record's own trash or creation", () => {
    const [event] = groupHistory([entry("2025-01-01T10:00:00Z", "attachments.deleted_at", null, "2025-01-01T10:00:00Z")]);
    expect(event?.changes[0]?.kind).toBe("changed");
    expect(event?.created).toBe(false);
  });
});
