import { describe, expect, it } from "vitest";
import type { Customer } from "../bindings";
import { combinedLists, defaultPick, normalizePhone, toChoices } from "./merge";

const customer = (over: Partial<Customer>): Customer => ({
  id: "c1",
  kind: "person",
  name: "Wang Fang",
  companyId: null,
  companyName: null,
  companyDeleted: false,
  owner: "",
  stage: "lead",
  source: "",
  jobTitle: "",
  department: "",
  notes: "",
  birthday: null,
  tags: [],
  phones: [],
  emails: [],
  addresses: [],
  custom: [],
  private: false,
  createdAt: "2025-03-01T00:00:00Z",
  updatedAt: "2025-03-01T00:00:00Z",
  deletedAt: null,
  ...over,
});

describe("merge rules", () => {
  it("compare phones as the core does", () => {
    expect(normalizePhone("+86 138-0013-8000")).toBe("13800138000");
    expect(normalizePhone("0086 138 0013 8000")).toBe("13800138000");
    expect(normalizePhone("+86 21 6234 5678")).toBe("02162345678");
    expect(normalizePhone("021-62345678")).toBe("02162345678");
    expect(normalizePhone("+1 415 555 0100")).toBe("14155550100");
    // The number, not the extension (as validate.rs's tests pin for the core).
    expect(normalizePhone("0755 8888 9999 转 8001")).toBe(normalizePhone("+86 755 8888 9999"));
    expect(normalizePhone("021-62345678 ext. 12")).toBe(normalizePhone("021 6234 5678 #13"));
  });

  it("keep the survivor's value unless only the other has one", () => {
    const keep = customer({ owner: "", source: "Fair", birthday: null });
    const other = customer({ id: "c2", owner: "Li Na", source: "Web", birthday: "1990-05-01" });
    expect(defaultPick(keep, other, "owner")).toBe("other");
    expect(defaultPick(keep, other, "source")).toBe("keep");
    expect(defaultPick(keep, other, "birthday")).toBe("other");
    expect(defaultPick(keep, other, "notes")).toBe("keep");
  });

  it("send every field, the unpicked ones kept", () => {
    expect(toChoices({ name: "other", company: "other" })).toEqual({
      name: "other",
      companyId: "other",
      jobTitle: "keep",
      department: "keep",
      owner: "keep",
      stage: "keep",
      source: "keep",
      birthday: "keep",
      notes: "keep",
    });
  });

  it("combine lists survivor first, dropping only repeats", () => {
    const address = { id: null, label: "work", street: "1 West Lake Rd", city: "Hangzhou", region: "", postalCode: "", country: "CN" };
    const keep = customer({ emails: [{ id: null, label: "work", value: "a@x.cn" }], addresses: [address], tags: ["vip"] });
    const other = customer({
      id: "c2",
      emails: [
        { id: null, label: "home", value: "A@X.cn" },
        { id: null, label: "home", value: "b@x.cn" },
        { id: null, label: "other", value: "B@x.cn" },
      ],
      addresses: [{ ...address, label: "home", city: " hangzhou " }],
      tags: ["vip", "tea"],
    });
    const combined = combinedLists(keep, other);
    expect(combined.emails.map((e) => e.value)).toEqual(["a@x.cn", "b@x.cn"]);
    expect(combined.addresses).toEqual([address]);
    expect(combined.tags).toEqual(["vip", "tea"]);
  });
});
