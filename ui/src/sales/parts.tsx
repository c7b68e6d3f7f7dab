/** Small pieces the sales pages share. */
import { useTranslation } from "react-i18next";
import type { ContractStatus, QuoteStatus } from "../bindings";
export { FieldError } from "../records/FieldError";

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
