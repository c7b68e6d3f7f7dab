/**
 * The import page's column mapping: which fields a column can become, in the order the select
 * offers them, and what group and label a column gets when the user changes it.
 */
import type { ColumnMap, CsvDialect, ImportField, TextEncoding } from "../bindings";

/**
 * Every ImportField, in menu order: who the customer is, then how to reach them, then where
 * they are, then the round-trip id. A Record, so a field added in Rust fails the type check here.
 */
const FIELD_ORDER: Record<ImportField, number> = {
  ignore: 0,
  name: 1,
  given_name: 2,
  middle_name: 3,
  family_name: 4,
  kind: 5,
  company: 6,
  job_title: 7,
  department: 8,
  owner: 9,
  stage: 10,
  source: 11,
  tags: 12,
  birthday: 13,
  notes: 14,
  phone: 15,
  phone_label: 16,
  email: 17,
  email_label: 18,
  street: 19,
  city: 20,
  region: 21,
  postal_code: 22,
  country: 23,
  address_label: 24,
  custom: 25,
  id: 26,
};

export const IMPORT_FIELDS: ImportField[] = (Object.keys(FIELD_ORDER) as ImportField[]).sort(
  (a, b) => FIELD_ORDER[a] - FIELD_ORDER[b],
);

const ENCODING_ORDER: Record<TextEncoding, number> = { utf8: 0, gbk: 1, gb18030: 2, utf16: 3 };
export const TEXT_ENCODINGS: TextEncoding[] = (Object.keys(ENCODING_ORDER) as TextEncoding[]).sort(
  (a, b) => ENCODING_ORDER[a] - ENCODING_ORDER[b],
);

/** Dialects worth naming; "other" says nothing. */
export const NAMED_DIALECTS: Exclude<CsvDialect, "other">[] = ["satchel", "google", "outlook"];

export const IGNORE: ColumnMap = { field: "ignore", group: 0, label: "" };

const CONTACT_FIELDS: ReadonlySet<ImportField> = new Set(["phone", "phone_label", "email", "email_label"]);
const ADDRESS_FIELDS: ReadonlySet<ImportField> = new Set(["address_label", "street", "city", "region", "postal_code", "country"]);

/** Groups the user's own phone and email columns start from, clear of any suggested group. */
const USER_GROUP_BASE = 1000;
/** Address parts the user picks all form one address. */
const USER_ADDRESS_GROUP = 1;

/**
 * What column `index` becomes when the user picks `field`. Going back to the suggested field
 * restores the suggestion's group and label (a "手机" column keeps its "mobile" label); a phone or
 * email the user picks is a number of its own; address parts the user picks form one address.
 */
export function mapColumn(suggested: ColumnMap | undefined, index: number, field: ImportField, customFieldId = ""): ColumnMap {
  if (field === "custom") {
    return suggested?.field === "custom" && suggested.label === customFieldId ? suggested : { field, group: 0, label: customFieldId };
  }
  if (suggested && suggested.field === field) return suggested;
  if (CONTACT_FIELDS.has(field)) return { field, group: USER_GROUP_BASE + index, label: "" };
  if (ADDRESS_FIELDS.has(field)) return { field, group: USER_ADDRESS_GROUP, label: "" };
  return { field, group: 0, label: "" };
}

/** The first `count` values of column `index` in the sample rows (short rows give ""). */
export function sampleValues(sample: string[][], index: number, count = 3): string[] {
  return sample.slice(0, count).map((row) => row[index] ?? "");
}

/**
 * A column's choice as the mapping select holds it: the field, or for a custom field
 * "custom:<field id>" (the ColumnMap keeps the id in its label).
 */
export function columnChoice(column: ColumnMap | undefined): string {
  if (!column) return "ignore";
  return column.field === "custom" ? `custom:${column.label}` : column.field;
}

export function parseColumnChoice(choice: string): { field: ImportField; customFieldId: string } {
  if (choice.startsWith("custom:")) return { field: "custom", customFieldId: choice.slice("custom:".length) };
  return { field: choice as ImportField, customFieldId: "" };
}
