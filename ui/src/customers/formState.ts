/**
 * Pure logic behind the customer form: blank and loaded states, the clean-up before sending, and
 * the mapping from a field path in an AppError ("emails.1.value") to the input that shows it.
 *
 * The form lets people add empty contact rows and leave them; those are dropped before saving, so
 * the indices Rust reports refer to the cleaned list. `prepareInput` returns the index maps that
 * translate them back to the rows on screen.
 */
import type { Address, AppError, ContactPoint, Customer, CustomerInput, CustomerKind, CustomField, CustomValue } from "../bindings";
import { normalizeDate } from "../lib/dates";
import { appliesTo } from "./customFields";

export const CONTACT_LABELS = ["mobile", "work", "home", "other"] as const;
export type ContactLabel = (typeof CONTACT_LABELS)[number];

export const ADDRESS_PARTS = ["street", "city", "region", "postalCode", "country"] as const;
export type AddressPart = (typeof ADDRESS_PARTS)[number];

export type Group = "phones" | "emails" | "addresses";

/**
 * What the form edits: the input itself plus the company's display name for the picker. Custom
 * values are kept by field id in their stored form (a multi choice's keys joined by ",").
 * `private` is always a plain yes or no here: the form shows the box, so it always says.
 */
export type FormValues = Omit<CustomerInput, "custom" | "private" | "jobTitle" | "department"> & {
  companyName: string;
  /** A person's; a company's form shows neither and sends them empty. */
  jobTitle: string;
  department: string;
  custom: Record<string, string>;
  private: boolean;
};

export function blankValues(kind: CustomerKind): FormValues {
  return {
    kind,
    name: "",
    companyId: null,
    companyName: "",
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
    custom: {},
    // Shared with the team unless the user says otherwise.
    private: false,
  };
}

export function valuesFromCustomer(customer: Customer, displayLabel: (label: string) => string): FormValues {
  const relabel = <T extends { label: string }>(item: T): T => ({ ...item, label: displayLabel(item.label) });
  return {
    kind: customer.kind,
    name: customer.name,
    companyId: customer.companyId,
    companyName: customer.companyName ?? "",
    owner: customer.owner,
    stage: customer.stage,
    source: customer.source,
    jobTitle: customer.jobTitle,
    department: customer.department,
    notes: customer.notes,
    birthday: customer.birthday,
    tags: [...customer.tags],
    phones: customer.phones.map(relabel),
    emails: customer.emails.map(relabel),
    addresses: customer.addresses.map(relabel),
    custom: Object.fromEntries((customer.custom ?? []).map((v) => [v.fieldId, v.value])),
    private: customer.private ?? false,
  };
}

export function blankContact(label: string): ContactPoint {
  return { id: null, label, value: "" };
}

export function blankAddress(label: string): Address {
  return { id: null, label, street: "", city: "", region: "", postalCode: "", country: "" };
}

/**
 * Labels are stored as a language-neutral key ("mobile") when the user picked one of the
 * suggestions, in whichever language they typed it, so a record written in Chinese reads
 * "Mobile" to an English colleague. Anything else is kept as typed.
 */
export function canonicalLabel(text: string, translations: Record<ContactLabel, string[]>): string {
  const trimmed = text.trim();
  const lower = trimmed.toLowerCase();
  for (const key of CONTACT_LABELS) {
    if (lower === key || translations[key].some((name) => name.toLowerCase() === lower)) return key;
  }
  return trimmed;
}

export type IndexMaps = Record<Group, number[]>;

/**
 * The custom values to send: empty ones left out, and values of fields that do not apply to the
 * record's kind (after switching kind) dropped. A value whose field is not (yet) known is sent:
 * the core ignores fields that no longer exist, and dropping it would clear it.
 */
export function customInput(values: FormValues, fields: readonly CustomField[]): CustomValue[] {
  return Object.entries(values.custom).flatMap(([fieldId, value]) => {
    if (value.trim() === "") return [];
    const field = fields.find((f) => f.id === fieldId);
    if (field && !appliesTo(field, values.kind)) return [];
    // A date as typed ("2026/3/5", "2026年3月5日") goes as YYYY-MM-DD, the form it is stored in.
    return [{ fieldId, value: field?.kind === "date" ? normalizeDate(value) : value.trim() }];
  });
}

/**
 * `companyBirthday` is what a company record already holds: the form shows companies no birthday,
 * so a company keeps its own and never gets one typed while the form was a person's.
 */
export function prepareInput(
  values: FormValues,
  toCanonical: (label: string) => string,
  fields: readonly CustomField[] = [],
  companyBirthday: string | null = null,
): { input: CustomerInput; indexMaps: IndexMaps } {
  const indexMaps: IndexMaps = { phones: [], emails: [], addresses: [] };

  const contacts = (group: "phones" | "emails") =>
    values[group].flatMap((item, index) => {
      if (item.value.trim() === "") return [];
      indexMaps[group].push(index);
      return [{ id: item.id, label: toCanonical(item.label), value: item.value.trim() }];
    });

  const addresses = values.addresses.flatMap((item, index) => {
    if (ADDRESS_PARTS.every((part) => item[part].trim() === "")) return [];
    indexMaps.addresses.push(index);
    const trimmed: Address = { ...item, label: toCanonical(item.label) };
    for (const part of ADDRESS_PARTS) trimmed[part] = item[part].trim();
    return [trimmed];
  });

  const input: CustomerInput = {
    kind: values.kind,
    name: values.name.trim(),
    // A company cannot belong to a company; the picker may still hold a value from before the
    // kind was switched.
    companyId: values.kind === "person" ? values.companyId : null,
    owner: values.owner.trim(),
    stage: values.stage,
    source: values.source.trim(),
    // Only people have a job title and department; a company's form sends them empty.
    jobTitle: values.kind === "person" ? values.jobTitle.trim() : "",
    department: values.kind === "person" ? values.department.trim() : "",
    notes: values.notes,
    // Year first as typed ("1990/5/1"), sent as the core stores it (YYYY-MM-DD); what cannot be
    // read goes as typed, for the core to refuse under the field.
    birthday: values.kind === "person" ? (values.birthday && values.birthday.trim() !== "" ? normalizeDate(values.birthday) : null) : companyBirthday,
    tags: values.tags,
    phones: contacts("phones"),
    emails: contacts("emails"),
    addresses,
    custom: customInput(values, fields),
    private: values.private,
  };
  return { input, indexMaps };
}

/** Rewrites "phones.0.value" from cleaned-list indices to on-screen row indices. */
export function toScreenField(field: string, indexMaps: IndexMaps): string {
  const match = /^(phones|emails|addresses)\.(\d+)(.*)$/.exec(field);
  if (!match) return field;
  const group = match[1] as Group;
  const screenIndex = indexMaps[group][Number(match[2])];
  return screenIndex === undefined ? field : `${group}.${screenIndex}${match[3]}`;
}

const SIMPLE_FIELDS = new Set(["name", "kind", "owner", "stage", "source", "jobTitle", "department", "birthday", "notes", "private"]);

/**
 * The input an error should sit under. Exact paths map to their own input; coarser or unexpected
 * ones fall back to the nearest thing on screen, and "form" means "show it at the top".
 */
export function anchorFor(field: string): string {
  // A custom value's path holds a field id, which must not be respelled.
  const custom = /^custom\.([^.]+)/.exec(field);
  if (custom) return `custom.${custom[1]}`;
  const path = field.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
  if (SIMPLE_FIELDS.has(path)) return path;
  if (path === "companyId" || path === "company" || path === "companyName") return "companyId";
  // The core stores the flag as the record's visibility.
  if (path === "visibility") return "private";
  if (/^tags(\.\d+)?$/.test(path)) return "tags";

  const contact = /^(phones|emails)(?:\.(\d+)(?:\.(value|label))?)?$/.exec(path);
  if (contact) {
    if (contact[2] === undefined) return contact[1]!;
    return `${contact[1]}.${contact[2]}.${contact[3] ?? "value"}`;
  }

  const address = /^addresses(?:\.(\d+)(?:\.(label|street|city|region|postalCode|country))?)?$/.exec(path);
  if (address) {
    if (address[1] === undefined) return "addresses";
    return `addresses.${address[1]}.${address[2] ?? "street"}`;
  }
  return "form";
}

/** An error shown beside one input: `field` is the path the core named (on screen), `message` its words. */
export type ShownError = { field: string; message: string };

/**
 * Every refused field of a save, each under the input that shows it (by anchor), and the anchors
 * in the order the core listed them. `shows` says whether the form shows an anchor's input; what
 * it does not show (a custom field not loaded, or not for this kind) is said at the top ("form"),
 * as is an error naming no field. An error without `fields` (made in the UI) is its own one entry.
 */
export function errorsByAnchor(
  error: Pick<AppError, "field" | "message" | "fields">,
  indexMaps: IndexMaps,
  shows: (anchor: string) => boolean = () => true,
): { errors: Record<string, ShownError>; anchors: string[] } {
  const listed = error.fields?.length ? error.fields : [{ field: error.field, message: error.message }];
  const errors: Record<string, ShownError> = {};
  const anchors: string[] = [];
  for (const { field, message } of listed) {
    const onScreen = field ? toScreenField(field, indexMaps) : null;
    let anchor = onScreen ? anchorFor(onScreen) : "form";
    if (anchor !== "form" && !shows(anchor)) anchor = "form";
    const held = errors[anchor];
    if (held) {
      // Several problems the top says at once are all said; an input shows its first.
      if (anchor === "form" && !held.message.includes(message)) held.message = `${held.message} ${message}`;
      continue;
    }
    errors[anchor] = { field: onScreen ?? "form", message };
    anchors.push(anchor);
  }
  return { errors, anchors };
}

/** DOM id of the control for an anchor, so focus can move to it after a failed save. */
export function inputId(anchor: string): string {
  return `input-${anchor.replace(/\./g, "-")}`;
}
