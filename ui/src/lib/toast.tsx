import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from "react";
import { useTranslation } from "react-i18next";

export type ToastAction = { label: string; testId?: string; run: () => void };
export type ToastInput = {
  message: string;
  tone?: "info" | "error";
  action?: ToastAction;
  /** What the toast reports ("export", "import"), as `data-kind` for end-to-end tests. */
  kind?: string;
};
type Toast = ToastInput & { id: number };

type Toaster = { show: (toast: ToastInput) => void };
const ToastContext = createContext<Toaster | null>(null);

// Long enough to read the message, short enough not to pile up; a toast with a button (Undo,
// Open) stays longer, so there is time to reach it.
const TOAST_MS = 8000;
const ACTION_TOAST_MS = 10_000;

export function ToastProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const nextId = useRef(1);

  const dismiss = useCallback((id: number) => setToasts((all) => all.filter((t) => t.id !== id)), []);
  const show = useCallback((toast: ToastInput) => {
    const id = nextId.current++;
    setToasts((all) => [...all.slice(-2), { ...toast, id }]);
  }, []);
  const value = useMemo(() => ({ show }), [show]);

  return (
    <ToastContext.Provider value={value}>
      {children}
      <div className="toasts" role="status" aria-live="polite">
        {toasts.map((toast) => (
          <ToastView key={toast.id} toast={toast} dismiss={dismiss} />
        ))}
      </div>
    </ToastContext.Provider>
  );
}

function ToastView({ toast, dismiss }: { toast: Toast; dismiss: (id: number) => void }) {
  const { t } = useTranslation();
  const { id } = toast;
  const lasts = toast.action ? ACTION_TOAST_MS : TOAST_MS;
  useEffect(() => {
    const timer = window.setTimeout(() => dismiss(id), lasts);
    return () => window.clearTimeout(timer);
  }, [id, dismiss, lasts]);
  const onDismiss = () => dismiss(id);

  return (
    <div className={`toast${toast.tone === "error" ? " toast-error" : ""}`} data-testid="toast" data-kind={toast.kind}>
      <span data-testid="toast-message">{toast.message}</span>
      {toast.action && (
        <button
          type="button"
          className="btn btn-small"
          data-testid={toast.action.testId}
          onClick={() => {
            onDismiss();
            toast.action?.run();
          }}
        >
          {toast.action.label}
        </button>
      )}
      <button type="button" className="btn btn-small btn-ghost" aria-label={t("common.dismiss")} onClick={onDismiss}>
        ×
      </button>
    </div>
  );
}

export function useToast(): Toaster {
  const toaster = useContext(ToastContext);
  if (!toaster) throw new Error("useToast outside ToastProvider");
  return toaster;
}
