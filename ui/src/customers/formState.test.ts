import { describe, expect, it } from "vitest";
import type { CustomField } from "../bindings";
import { anchorFor, blankAddress, blankContact, blankValues, canonicalLabel, errorsByAnchor, prepareInput, toScreenField } from "./formState";

const translations = { mobile: ["Mobile", "手机"], work: ["Work", "工作"], home: ["Home", "住宅"], other: ["Other", "其他"] };
const canonical = (label: string) => canonicalLabel(label, translations);

describe("anchorFor", () => {
  it("puts an error under the input Rust named", () => {
    expect(anchorFor("name")).toBe("name");
    expect(anchorFor("birthday")).toBe("birthday");
    expect(anchorFor("emails.1.value")).toBe("emails.1.value");
    expect(anchorFor("phones.0.label")).toBe("phones.0.label");
    expect(anchorFor("addresses.0.city")).toBe("addresses.0.city");
    expect(anchorFor("companyId")).toBe("companyId");
  });

  it("maps coarser or differently spelled paths to the nearest input", () => {
    expect(anchorFor("tags.2")).toBe("tags");
    expect(anchorFor("emails.3")).toBe("emails.3.value");
    expect(anchorFor("addresses.1")).toBe("addresses.1.street");
    expect(anchorFor("addresses.0.postal_code")).toBe("addresses.0.postalCode");
    expect(anchorFor("company_id")).toBe("companyId");
    expect(anchorFor("phones")).toBe("phones");
  });

  it("sends anything unknown to the top of the form", () => {
    expect(anchorFor("id")).toBe("form");
    expect(anchorFor("")).toBe("form");
  });
});

describe("prepareInput", () => {
  it("drops contact rows left empty and maps Rust's indices back to the rows on screen", () => {
    const values = {
      ...blankValues("person"),
      name: "  Li Lei ",
      emails: [blankContact("Work"), { id: null, label: "工作", value: " li@example.com " }],
      phones: [{ id: null, label: "手机", value: "138 0000 0000" }],
      addresses: [blankAddress("Work"), { ...blankAddress("Home"), city: "杭州" }],
    };
    const { input, indexMaps } = prepareInput(values, canonical);
    expect(input.name).toBe("Li Lei");
    expect(input.emails).toEqual([{ id: null, label: "work", value: "li@example.com" }]);
    expect(input.phones[0]?.label).toBe("mobile");
    expect(input.addresses).toHaveLength(1);
    expect(input.addresses[0]?.label).toBe("home");
    expect(toScreenField("emails.0.value", indexMaps)).toBe("emails.1.value");
    expect(toScreenField("addresses.0.city", indexMaps)).toBe("addresses.1.city");
    expect(toScreenField("name", indexMaps)).toBe("name");
  });

  it("never sends a company link for a company", () => {
    const values = { ...blankValues("company"), name: "Acme", companyId: "c1", companyName: "Other" };
    expect(prepareInput(values, canonical).input.companyId).toBeNull();
  });

  it("sends an empty birthday as null", () => {
    const values = { ...blankValues("person"), name: "A", birthday: "" };
    expect(prepareInput(values, canonical).input.birthday).toBeNull();
  });

  it("sends a birthday typed year first in any of the usual ways as YYYY-MM-DD, and anything else as typed", () => {
    const birthday = (typed: string) => prepareInput({ ...blankValues("person"), name: "A", birthday: typed }, canonical).input.birthday;
    expect(birthday("1990-05-01")).toBe("1990-05-01");
    expect(birthday(" 1990/5/1 ")).toBe("1990-05-01");
    expect(birthday("1990年5月1日")).toBe("1990-05-01");
    // Day and month cannot be told apart here: the core refuses it, in its words, under the field.
    expect(birthday("05/01/1990")).toBe("05/01/1990");
  });

  it("never sends a birthday typed for a person once the form is a company's, and keeps a company's own", () => {
    const typed = { ...blankValues("company"), name: "Acme", birthday: "1990-05-01" };
    expect(prepareInput(typed, canonical).input.birthday).toBeNull();
    expect(prepareInput(typed, canonical, [], "2001-09-01").input.birthday).toBe("2001-09-01");
  });

  it("sends a custom date as YYYY-MM-DD however it was typed", () => {
    const field: CustomField = { id: "f1", labelEn: "Signed", labelZh: "签约日", kind: "date", scope: "both", options: [], position: 0 };
    const values = { ...blankValues("person"), name: "A", custom: { f1: "2026/3/5" } };
    expect(prepareInput(values, canonical, [field]).input.custom).toEqual([{ fieldId: "f1", value: "2026-03-05" }]);
  });
});

describe("canonicalLabel", () => {
  it("stores standard labels language-neutrally and keeps free text", () => {
    expect(canonical("Mobile")).toBe("mobile");
    expect(canonical("手机")).toBe("mobile");
    expect(canonical(" work ")).toBe("work");
    expect(canonical("Assistant")).toBe("Assistant");
  });
});

describe("custom values", () => {
  const field = (id: string, scope: CustomField["scope"]): CustomField => ({ id, scope, kind: "text", labelEn: id, labelZh: "", options: [], position: 1 });

  it("puts a custom value's error under its own input, with the field id untouched", () => {
    expect(anchorFor("custom.f_1")).toBe("custom.f_1");
    expect(anchorFor("custom.01HZX")).toBe("custom.01HZX");
  });

  it("sends values trimmed, leaves out empty ones and those of fields that do not apply", () => {
    const values = {
      ...blankValues("person"),
      name: "A",
      custom: { both: " x ", empty: "  ", company: "y", unknown: "z" },
    };
    const { input } = prepareInput(values, canonical, [field("both", "both"), field("empty", "both"), field("company", "company")]);
    expect(input.custom).toEqual([
      { fieldId: "both", value: "x" },
      { fieldId: "unknown", value: "z" },
    ]);
  });
});

describe("errorsByAnchor", () => {
  const entry = (field: string, message: string) => ({ field, message, reason: "invalid.x", params: {} });
  const maps = { phones: [1], emails: [0, 2], addresses: [] };

  it("puts every refused field under its input, on-screen rows for cleaned indices, in the core's order", () => {
    const error = { field: "name", message: "Name: is required", fields: [entry("name", "Name: is required"), entry("job_title", "Job title: too long"), entry("emails.1.value", "Email 2: bad"), entry("phones.0.label", "Phone 1 label: too long")] };
    const { errors, anchors } = errorsByAnchor(error, maps);
    expect(anchors).toEqual(["name", "jobTitle", "emails.2.value", "phones.1.label"]);
    expect(errors["emails.2.value"]).toEqual({ field: "emails.2.value", message: "Email 2: bad" });
    expect(errors.jobTitle?.message).toBe("Job title: too long");
  });

  it("says at the top what the form does not show, and a tag's several problems once under the tags", () => {
    const error = { field: "tags.0", message: "Tag 1", fields: [entry("tags.0", "Tag 1"), entry("tags.3", "Tag 4"), entry("custom.f9", "Gone field: bad"), entry("visibility", "Private: bad")] };
    const { errors, anchors } = errorsByAnchor(error, maps, (anchor) => anchor !== "custom.f9");
    expect(anchors).toEqual(["tags", "form", "private"]);
    expect(errors.tags).toEqual({ field: "tags.0", message: "Tag 1" });
    expect(errors.form).toEqual({ field: "custom.f9", message: "Gone field: bad" });
  });

  it("takes an error without fields (made in the UI, or not about a value) as its one entry", () => {
    expect(errorsByAnchor({ field: "emails.0.value", message: "bad", fields: [] }, maps).errors).toEqual({ "emails.0.value": { field: "emails.0.value", message: "bad" } });
    expect(errorsByAnchor({ field: null, message: "Disk full", fields: [] }, maps)).toEqual({ errors: { form: { field: "form", message: "Disk full" } }, anchors: ["form"] });
  });
});
