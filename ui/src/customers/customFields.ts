/**
 * Custom fields as the screens use them: labels in the user's language, which records a field
 * applies to, and stored values turned into what people read (choice keys into option labels).
 *
 * Stored forms (see CustomValue in bindings.ts): text as typed, a number, a date `YYYY-MM-DD`, a
 * choice's option key, a multi choice's option keys joined by ",". The hook that loads the
 * definitions is in ./useCustomFields.ts; this module stays free of IPC.
 */
import type { ChoiceOption, CustomerKind, CustomField, CustomValue, FieldKind, FieldScope } from "../bindings";
import { formatCalendarDate } from "../lib/format";

export const FIELD_KINDS: readonly FieldKind[] = ["text", "number", "date", "choice", "multi"];
export const FIELD_SCOPES: readonly FieldScope[] = ["both", "company", "person"];

export function isFieldKind(value: unknown): value is FieldKind {
  return typeof value === "string" && (FIELD_KINDS as readonly string[]).includes(value);
}

export function isFieldScope(value: unknown): value is FieldScope {
  return typeof value === "string" && (FIELD_SCOPES as readonly string[]).includes(value);
}

/** Choice and multi choice fields have options (and can filter the list). */
export function hasOptions(kind: FieldKind): boolean {
  return kind === "choice" || kind === "multi";
}

function isChinese(locale: string): boolean {
  return locale.toLowerCase().startsWith("zh");
}

/** The label in the UI's language, or the other language's when that one is empty. */
export function fieldLabel(field: Pick<CustomField, "labelEn" | "labelZh">, locale: string): string {
  const [first, second] = isChinese(locale) ? [field.labelZh, field.labelEn] : [field.labelEn, field.labelZh];
  return first.trim() !== "" ? first : second;
}

export function optionLabel(option: ChoiceOption, locale: string): string {
  const [first, second] = isChinese(locale) ? [option.zh, option.en] : [option.en, option.zh];
  return first.trim() !== "" ? first : second;
}

export function appliesTo(field: Pick<CustomField, "scope">, kind: CustomerKind): boolean {
  return field.scope === "both" || field.scope === kind;
}

/** The keys of a multi choice value ("o1,o3" → ["o1", "o3"]). */
export function splitKeys(value: string): string[] {
  return value
    .split(",")
    .map((key) => key.trim())
    .filter((key) => key !== "");
}

/** A value's key in the stored list of a record, or undefined. */
export function valueOf(values: readonly CustomValue[] | undefined, fieldId: string): string | undefined {
  return values?.find((v) => v.fieldId === fieldId)?.value;
}

/** The history and error path of a field's value. */
export function customPath(fieldId: string): string {
  return `custom.${fieldId}`;
}

/**
 * A stored value as people read it. Choice keys become option labels (an unknown key stays as
 * it is, so nothing is hidden); dates are written out in the user's locale; a field that is not
 * known (removed) shows the stored text.
 */
export function displayValue(field: CustomField | undefined, value: string, locale: string): string {
  if (!field) return value;
  switch (field.kind) {
    case "choice":
    case "multi":
      return splitKeys(value)
        .map((key) => {
          const option = field.options.find((o) => o.key === key);
          return option ? optionLabel(option, locale) : key;
        })
        .join(", ");
    case "date":
      return formatCalendarDate(value, locale);
    default:
      return value;
  }
}
