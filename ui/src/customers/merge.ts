/**
 * The merge page's rules, kept apart from the screen: which value each field keeps by default,
 * and what the merged record's phones, emails, addresses and tags will be. They mirror the core
 * (crates/core/src/customers/merge.rs) so the preview shows what the merge will write.
 */
import type { Address, ContactPoint, Customer, MergeChoices, Pick } from "../bindings";

/** The single-valued fields the user chooses between, in the order the page lists them. */
export const MERGE_FIELDS = ["name", "company", "jobTitle", "department", "owner", "stage", "source", "birthday", "notes"] as const;
export type MergeField = (typeof MERGE_FIELDS)[number];

/** The two records as the page lays them out: "a" on the left, "b" on the right. */
export type Side = "a" | "b";
export const otherSide = (side: Side): Side => (side === "a" ? "b" : "a");

const CHOICE_KEY: Record<MergeField, keyof MergeChoices> = {
  name: "name",
  company: "companyId",
  jobTitle: "jobTitle",
  department: "department",
  owner: "owner",
  stage: "stage",
  source: "source",
  birthday: "birthday",
  notes: "notes",
};

/** Fields only people have: a company belongs to no company and has no job title or department. */
const PEOPLE_ONLY: ReadonlySet<MergeField> = new Set(["company", "jobTitle", "department"]);

/** Whether a field applies to this kind of record. */
export function fieldApplies(field: MergeField, customer: Customer): boolean {
  return !PEOPLE_ONLY.has(field) || customer.kind === "person";
}

/** The value a field compares by ("" when empty). */
export function fieldValue(customer: Customer, field: MergeField): string {
  switch (field) {
    case "company":
      return customer.companyId ?? "";
    case "birthday":
      return customer.birthday ?? "";
    default:
      return customer[field];
  }
}

const isEmpty = (value: string) => value.trim() === "";

/** Both records hold the same value: nothing to choose. */
export function sameValue(a: Customer, b: Customer, field: MergeField): boolean {
  return fieldValue(a, field) === fieldValue(b, field);
}

/** The survivor's value, unless it is empty and the other record's is not. */
export function defaultPick(keep: Customer, other: Customer, field: MergeField): Pick {
  return isEmpty(fieldValue(keep, field)) && !isEmpty(fieldValue(other, field)) ? "other" : "keep";
}

/** What `merge_customers` is sent; fields that do not apply stay with the survivor. */
export function toChoices(picks: Partial<Record<MergeField, Pick>>): MergeChoices {
  const choices = {} as MergeChoices;
  for (const field of MERGE_FIELDS) choices[CHOICE_KEY[field]] = picks[field] ?? "keep";
  return choices;
}

/**
 * A phone number as the core's duplicate checks compare it (normalize_phone): the number without
 * its extension, digits only, an international `00` dropped, and China's country code folded into
 * the national form (+86 138-0013-8000 is 13800138000; +86 21 6234 5678 is 021-62345678).
 */
export function normalizePhone(value: string): string {
  let digits = withoutExtension(value).replace(/\D/g, "");
  if (digits.startsWith("00")) digits = digits.slice(2);
  if (digits.startsWith("86")) {
    const national = digits.slice(2);
    if (national.length === 11 && national.startsWith("1")) return national;
    if (national.length >= 9 && national.length <= 11 && !national.startsWith("0")) return `0${national}`;
  }
  return digits;
}

/**
 * The number before its extension (`ext. 12`, `x12`, `#12`, `转 8001`): whatever follows the
 * earliest marker, as the core's split_extension cuts it. Colleagues behind one switchboard share
 * the number, so the extension never tells them apart.
 */
function withoutExtension(value: string): string {
  const lower = value.toLowerCase();
  let at = -1;
  for (const marker of ["分机", "转", "extension", "ext.", "ext", "x", "#"]) {
    const found = lower.indexOf(marker);
    if (found >= 0 && (at < 0 || found < at)) at = found;
  }
  return at < 0 ? value : value.slice(0, at);
}

export function addressKey(address: Address): string {
  return [address.street, address.city, address.region, address.postalCode, address.country].map((s) => s.trim().toLowerCase()).join("|");
}

/** The survivor's entries, then the other's that are not already there (by `key`). */
function combine<T>(keep: T[], other: T[], key: (item: T) => string): T[] {
  const seen = new Set(keep.map(key));
  const out = [...keep];
  for (const item of other) {
    const k = key(item);
    if (seen.has(k)) continue;
    seen.add(k);
    out.push(item);
  }
  return out;
}

export type Combined = { phones: ContactPoint[]; emails: ContactPoint[]; addresses: Address[]; tags: string[] };

/** The lists the merged record will have: nothing is dropped except an exact repeat. */
export function combinedLists(keep: Customer, other: Customer): Combined {
  return {
    phones: combine(keep.phones, other.phones, (p) => normalizePhone(p.value)),
    emails: combine(keep.emails, other.emails, (e) => e.value.toLowerCase()),
    addresses: combine(keep.addresses, other.addresses, addressKey),
    tags: combine(keep.tags, other.tags, (tag) => tag),
  };
}
