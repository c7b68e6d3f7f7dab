/** One custom field's input, shared by every form that shows a record type's custom fields. */
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import type { CustomField } from "../bindings";
import { optionLabel, splitKeys } from "./customFields";
import { DateInput } from "./DateInput";

export type ControlProps = { id: string; "aria-invalid": boolean | undefined; "aria-describedby": string | undefined };

/**
 * One custom field's input, in the value's stored form: text as typed, a number, a date
 * (typed year first, sent as YYYY-MM-DD: see DateInput and customInput), a choice's option key, a
 * multi choice's keys joined by "," in option order.
 */
export function CustomInput({
  field,
  label,
  locale,
  value,
  controlProps,
  error,
  onChange,
}: {
  field: CustomField;
  label: string;
  locale: string;
  value: string;
  controlProps: ControlProps;
  error: ReactNode;
  onChange: (value: string) => void;
}) {
  const { t } = useTranslation();
  const testId = `field-custom-${field.id}`;

  if (field.kind === "multi") {
    const chosen = new Set(splitKeys(value));
    const toggle = (key: string, on: boolean) => {
      const next = new Set(chosen);
      if (on) next.add(key);
      else next.delete(key);
      // Option order, so the same choice is always stored the same way.
      onChange(field.options.filter((o) => next.has(o.key)).map((o) => o.key).join(","));
    };
    const labelId = `${controlProps.id}-label`;
    return (
      <div className="form-field">
        <span className="form-label" id={labelId}>
          {label}
        </span>
        <div
          role="group"
          aria-labelledby={labelId}
          aria-invalid={controlProps["aria-invalid"]}
          aria-describedby={controlProps["aria-describedby"]}
          data-testid={testId}
          style={{ display: "flex", flexWrap: "wrap", gap: "var(--space-1) var(--space-3)" }}
        >
          {field.options.map((option, index) => (
            <label key={option.key} className="merge-choice">
              <input
                type="checkbox"
                // The first box carries the field's id, so focus can move here after a failed save.
                id={index === 0 ? controlProps.id : undefined}
                data-testid={`${testId}-${option.key}`}
                checked={chosen.has(option.key)}
                onChange={(e) => toggle(option.key, e.target.checked)}
              />
              {optionLabel(option, locale)}
            </label>
          ))}
        </div>
        {error}
      </div>
    );
  }

  let input: ReactNode;
  switch (field.kind) {
    case "choice":
      input = (
        <select {...controlProps} className="select" data-testid={testId} value={value} onChange={(e) => onChange(e.target.value)}>
          <option value="">{t("customFields.notSet")}</option>
          {/* A key the options no longer hold must stay selectable, or the select would lie. */}
          {value !== "" && !field.options.some((o) => o.key === value) && <option value={value}>{value}</option>}
          {field.options.map((option) => (
            <option key={option.key} value={option.key}>
              {optionLabel(option, locale)}
            </option>
          ))}
        </select>
      );
      break;
    case "number":
      input = <input {...controlProps} className="input" inputMode="decimal" data-testid={testId} value={value} onChange={(e) => onChange(e.target.value)} />;
      break;
    case "date":
      input = <DateInput controlProps={controlProps} testId={testId} value={value} onChange={onChange} />;
      break;
    default:
      input = <input {...controlProps} className="input" data-testid={testId} value={value} onChange={(e) => onChange(e.target.value)} />;
  }
  return (
    <div className="form-field">
      <label htmlFor={controlProps.id}>{label}</label>
      {input}
      {error}
    </div>
  );
}
