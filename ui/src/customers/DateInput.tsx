import { useId } from "react";
import { useTranslation } from "react-i18next";
import { parseDate } from "../lib/dates";
import { formatCalendarDate } from "../lib/format";

type ControlProps = { id: string; "aria-invalid": boolean | undefined; "aria-describedby": string | undefined };

/**
 * A calendar date as text, year first (`YYYY-MM-DD`) in every language, rather than
 * `<input type="date">`: WebKitGTK draws an empty one as today's date in grey, in US order, which
 * reads as a value and as the wrong order to a Chinese user. Empty shows empty; what is typed is
 * read back below in words ("May 1, 1990", "1990年5月1日"), so the order is never in doubt, and
 * becomes `YYYY-MM-DD` on leaving the field. `onChange` gets the text as typed.
 */
export function DateInput({
  controlProps,
  testId,
  value,
  onChange,
}: {
  controlProps: ControlProps;
  testId: string;
  value: string;
  onChange: (text: string) => void;
}) {
  const { t, i18n } = useTranslation();
  const hintId = useId();
  const parsed = parseDate(value);
  // The error (when there is one) describes the input first; the reading of the date after it.
  const describedBy = [controlProps["aria-describedby"], parsed ? hintId : null].filter(Boolean).join(" ") || undefined;
  return (
    <>
      <input
        {...controlProps}
        aria-describedby={describedBy}
        className="input"
        type="text"
        data-testid={testId}
        autoComplete="off"
        spellCheck={false}
        placeholder={t("form.datePlaceholder")}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        onBlur={() => {
          if (parsed && parsed !== value) onChange(parsed);
        }}
      />
      {parsed && (
        <span className="form-hint" id={hintId} data-testid={`${testId}-reads`}>
          {formatCalendarDate(parsed, i18n.language)}
        </span>
      )}
    </>
  );
}
