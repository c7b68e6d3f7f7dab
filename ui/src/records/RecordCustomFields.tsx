/**
 * The team's custom fields of a record without person/company kinds (a deal, quote, contract or
 * ticket), in its form (each module's Settings card defines them). Values go back in their stored form; the core checks them and names a refused one as
 * `custom.<field id>`, which shows under its input.
 */
import { useId } from "react";
import { useTranslation } from "react-i18next";
import type { CustomValue } from "../bindings";
import { CustomInput } from "../customers/CustomInput";
import { customPath, displayValue, fieldLabel } from "../customers/customFields";
import { useCustomFields } from "../customers/useCustomFields";
import "./recordCustomFields.css";

export type FieldsRecordType = "opportunity" | "quote" | "contract" | "ticket";

export function RecordCustomFields({
  recordType,
  values,
  errors,
  readOnly = false,
  onChange,
}: {
  recordType: FieldsRecordType;
  values: CustomValue[];
  errors: Record<string, string>;
  readOnly?: boolean;
  onChange: (values: CustomValue[], field: string) => void;
}) {
  const { t, i18n } = useTranslation();
  const { fields } = useCustomFields(recordType);
  const formId = useId();
  if (fields.length === 0) return null;
  const set = (fieldId: string, value: string) =>
    onChange([...values.filter((v) => v.fieldId !== fieldId), ...(value === "" ? [] : [{ fieldId, value }])], customPath(fieldId));
  return (
    <fieldset className="form-group record-custom-fields" data-testid="custom-field-group" disabled={readOnly}>
      <legend className="form-label">{t("customFields.formGroup")}</legend>
      <div className="form-row">
        {fields.map((field) => {
          const path = customPath(field.id);
          const id = `${formId}-${field.id}`;
          return (
            <CustomInput
              key={field.id}
              field={field}
              label={fieldLabel(field, i18n.language)}
              locale={i18n.language}
              value={values.find((v) => v.fieldId === field.id)?.value ?? ""}
              controlProps={{ id, "aria-invalid": errors[path] ? true : undefined, "aria-describedby": errors[path] ? `${id}-error` : undefined }}
              error={
                errors[path] ? (
                  <div className="field-error" id={`${id}-error`} data-error-for={path} role="alert">
                    {errors[path]}
                  </div>
                ) : null
              }
              onChange={(value) => set(field.id, value)}
            />
          );
        })}
      </div>
    </fieldset>
  );
}

/** A record's custom values as people read them (a sent quote's or a ticket's page, which is not a form). */
export function RecordCustomValues({ recordType, values }: { recordType: FieldsRecordType; values: CustomValue[] }) {
  const { i18n } = useTranslation();
  const { fields } = useCustomFields(recordType);
  const shown = fields.flatMap((f) => {
    const v = values.find((x) => x.fieldId === f.id);
    return v ? [{ field: f, value: displayValue(f, v.value, i18n.language) }] : [];
  });
  if (shown.length === 0) return null;
  return (
    <div data-testid="custom-values">
      {shown.map(({ field, value }) => (
        <span key={field.id} className="custom-value" data-testid={`custom-value-${field.id}`}>
          <span className="form-label">{fieldLabel(field, i18n.language)}</span> {value}{" "}
        </span>
      ))}
    </div>
  );
}
