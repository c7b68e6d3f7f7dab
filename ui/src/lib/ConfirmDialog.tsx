import { useEffect, useId, useRef, type ReactNode } from "react";
import { useTranslation } from "react-i18next";

/**
 * A modal question with Cancel (focused first, also Escape or a click outside) and one dangerous
 * action. `testId` names the dialog; its buttons are `<testId>-cancel` and `<testId>-confirm`
 * (without a trailing `-dialog`), its message `bodyTestId`. `focusConfirm` focuses the action
 * instead, so Enter does it: only for one that can be undone (a move to the trash).
 */
export function ConfirmDialog({
  testId,
  title,
  body,
  bodyTestId,
  confirm,
  busy = false,
  focusConfirm = false,
  onCancel,
  onConfirm,
}: {
  testId: string;
  title: ReactNode;
  body: ReactNode;
  bodyTestId?: string;
  confirm: ReactNode;
  busy?: boolean;
  focusConfirm?: boolean;
  onCancel: () => void;
  onConfirm: () => void;
}) {
  const { t } = useTranslation();
  const titleId = useId();
  const cancelRef = useRef<HTMLButtonElement>(null);
  const confirmRef = useRef<HTMLButtonElement>(null);
  useEffect(() => (focusConfirm ? confirmRef : cancelRef).current?.focus(), []);
  const buttons = testId.replace(/-dialog$/, "");

  return (
    <div
      className="overlay"
      onMouseDown={(e) => {
        if (e.target === e.currentTarget) onCancel();
      }}
    >
      <div
        className="palette"
        role="alertdialog"
        aria-modal="true"
        aria-labelledby={titleId}
        aria-describedby={`${titleId}-body`}
        data-testid={testId}
        style={{ padding: "var(--space-4)" }}
        onKeyDown={(e) => {
          if (e.key === "Escape") {
            e.preventDefault();
            e.stopPropagation();
            onCancel();
          }
        }}
      >
        <h2 id={titleId}>{title}</h2>
        <p id={`${titleId}-body`} data-testid={bodyTestId}>
          {body}
        </p>
        <div style={{ display: "flex", gap: "var(--space-2)", justifyContent: "flex-end", marginTop: "var(--space-4)" }}>
          <button type="button" className="btn" data-testid={`${buttons}-cancel`} ref={cancelRef} onClick={onCancel}>
            {t("action.cancel")}
          </button>
          <button type="button" className="btn btn-danger" data-testid={`${buttons}-confirm`} ref={confirmRef} disabled={busy} aria-busy={busy || undefined} onClick={onConfirm}>
            {confirm}
          </button>
        </div>
      </div>
    </div>
  );
}
