import { describe, expect, it } from "vitest";
import type { CustomField } from "../bindings";
import { appliesTo, displayValue, fieldLabel, optionLabel, splitKeys } from "./customFields";
import { customFilterValue, DEFAULT_FILTERS, hasNarrowingFilters, pruneCustomFilters, withCustomFilter } from "./filters";

const level: CustomField = {
  id: "f1",
  scope: "company",
  kind: "multi",
  labelEn: "Level",
  labelZh: "",
  options: [
    { key: "o1", en: "Gold", zh: "金牌" },
    { key: "o2", en: "", zh: "银牌" },
  ],
  position: 1,
};

describe("custom field helpers", () => {
  it("label in the UI's language, falling back to the other", () => {
    expect(fieldLabel(level, "en")).toBe("Level");
    expect(fieldLabel(level, "zh-CN")).toBe("Level");
    expect(fieldLabel({ labelEn: "", labelZh: "等级" }, "en")).toBe("等级");
    expect(optionLabel(level.options[0]!, "zh-CN")).toBe("金牌");
    expect(optionLabel(level.options[1]!, "en")).toBe("银牌");
  });

  it("show choice keys as labels, keeping keys they do not know", () => {
    expect(displayValue(level, "o1,o2,o9", "en")).toBe("Gold, 银牌, o9");
    expect(displayValue(undefined, "o1", "en")).toBe("o1");
    expect(splitKeys(" o1, ,o2")).toEqual(["o1", "o2"]);
  });

  it("apply by scope", () => {
    expect(appliesTo(level, "company")).toBe(true);
    expect(appliesTo(level, "person")).toBe(false);
    expect(appliesTo({ scope: "both" }, "person")).toBe(true);
  });
});

describe("custom filters", () => {
  it("are set, replaced and removed per field, leaving `custom` out when none is left", () => {
    const one = withCustomFilter(DEFAULT_FILTERS, "f1", "o1");
    expect(one.custom).toEqual([{ fieldId: "f1", value: "o1" }]);
    expect(hasNarrowingFilters(one)).toBe(true);
    const two = withCustomFilter(withCustomFilter(one, "f2", "o3"), "f1", "o2");
    expect(two.custom).toEqual([
      { fieldId: "f2", value: "o3" },
      { fieldId: "f1", value: "o2" },
    ]);
    expect(customFilterValue(two, "f1")).toBe("o2");
    const none = withCustomFilter(withCustomFilter(two, "f1", ""), "f2", "");
    expect(none).not.toHaveProperty("custom");
    expect(hasNarrowingFilters(none)).toBe(false);
  });

  it("drop filters of fields that are gone", () => {
    const both = withCustomFilter(withCustomFilter(DEFAULT_FILTERS, "f1", "o1"), "f2", "o2");
    expect(pruneCustomFilters(both, ["f1", "f2"])).toBe(both);
    expect(pruneCustomFilters(both, ["f2"]).custom).toEqual([{ fieldId: "f2", value: "o2" }]);
    expect(pruneCustomFilters(both, [])).not.toHaveProperty("custom");
  });
});
