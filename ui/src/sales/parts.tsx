/** Small pieces the sales pages share. */
import { useTranslation } from "react-i18next";
import type { ContractStatus, QuoteStatus } from "../bindings";

/** A field's refusal under it, where tests and screen readers find it. */
export function FieldError({ errors, field }: { errors: Record<string, string>; field: string }) {
  const message = errors[field];
  if (!message) return null;
  return (
    <div className="field-error" data-error-for={field} role="alert">
      {message}
    </div>
  );
}

export function QuoteStatusBadge({ status }: { status: QuoteStatus }) {
  const { t } = useTranslation();
  return (
    <span className={`pill status-pill status-${status}`} data-testid="quote-status" data-status={status}>
      {t(`sales.quoteStatus.${status}`)}
    </span>
  );
}

export function ContractStatusBadge({ status }: { status: ContractStatus }) {
  const { t } = useTranslation();
  return (
    <span className={`pill status-pill status-${status}`} data-testid="contract-status" data-status={status}>
      {t(`sales.contractStatus.${status}`)}
    </span>
  );
}
