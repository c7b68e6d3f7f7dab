import { createContext, useCallback, useContext, useEffect, useLayoutEffect, useMemo, useRef, useState, type CSSProperties, type ReactNode } from "react";
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

/** Registers an element toasts must not cover; returns its unregistering. */
type KeepClear = (element: HTMLElement) => () => void;
const KeepClearContext = createContext<KeepClear | null>(null);

// Long enough to read the message, short enough not to pile up; a toast with a button (Undo,
// Open) stays longer, so there is time to reach it: that is its undo window. Either then leaves
// by itself, so a toast never lingers over the page.
export const TOAST_MS = 8000;
export const ACTION_TOAST_MS = 10_000;

// Where the toasts sit when nothing is in their way: --space-5 from the window's bottom right.
const TOAST_MARGIN_PX = 24;
// A form's buttons (a sticky Save bar, or a form's last row scrolled to the window's foot) whose
// bottom edge is within this much of the window's foot would sit under the toasts (three at most,
// one line each); higher up they are clear of them already.
const TOAST_ZONE_PX = 180;
// Between a lifted toast and the top of the bar it clears.
const TOAST_GAP_PX = 12;

export function ToastProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const [keepClear, setKeepClear] = useState<HTMLElement[]>([]);
  const nextId = useRef(1);

  const dismiss = useCallback((id: number) => setToasts((all) => all.filter((t) => t.id !== id)), []);
  const show = useCallback((toast: ToastInput) => {
    const id = nextId.current++;
    setToasts((all) => [...all.slice(-2), { ...toast, id }]);
  }, []);
  const value = useMemo(() => ({ show }), [show]);
  const register = useCallback<KeepClear>((element) => {
    setKeepClear((all) => [...all, element]);
    return () => setKeepClear((all) => all.filter((e) => e !== element));
  }, []);

  const bottom = useToastBottom(keepClear, toasts.length > 0);
  const style: CSSProperties | undefined = bottom === null ? undefined : { bottom: `${bottom}px` };

  return (
    <ToastContext.Provider value={value}>
      <KeepClearContext.Provider value={register}>
        {children}
        <div className="toasts" role="status" aria-live="polite" data-testid="toasts" data-lifted={bottom === null ? undefined : "true"} style={style}>
          {toasts.map((toast) => (
            <ToastView key={toast.id} toast={toast} dismiss={dismiss} />
          ))}
        </div>
      </KeepClearContext.Provider>
    </ToastContext.Provider>
  );
}

/**
 * Where the toasts' bottom edge goes: null for their usual place, or, while a registered element
 * (a form's sticky Save bar) reaches into the bottom of the window where they sit, just above
 * that element, so Save and Cancel stay visible and clickable on a small laptop screen. Measured
 * only while toasts are shown, again on every scroll (the form scrolls under the bar, and a short
 * form's bar moves with it) and resize.
 */
function useToastBottom(keepClear: readonly HTMLElement[], shown: boolean): number | null {
  const [bottom, setBottom] = useState<number | null>(null);
  useLayoutEffect(() => {
    if (!shown || keepClear.length === 0) {
      setBottom(null);
      return;
    }
    const measure = () => {
      const height = window.innerHeight;
      let lift: number | null = null;
      for (const element of keepClear) {
        const box = element.getBoundingClientRect();
        const inTheWay = box.height > 0 && box.bottom > height - TOAST_ZONE_PX && box.top < height - TOAST_MARGIN_PX;
        if (inTheWay) lift = Math.max(lift ?? 0, height - box.top + TOAST_GAP_PX);
      }
      setBottom(lift === null || lift <= TOAST_MARGIN_PX ? null : Math.round(lift));
    };
    measure();
    window.addEventListener("resize", measure);
    // Scroll events do not bubble; capturing sees the page's own scroller's too.
    document.addEventListener("scroll", measure, true);
    const resized = typeof ResizeObserver === "undefined" ? null : new ResizeObserver(measure);
    for (const element of keepClear) resized?.observe(element);
    return () => {
      window.removeEventListener("resize", measure);
      document.removeEventListener("scroll", measure, true);
      resized?.disconnect();
    };
  }, [keepClear, shown]);
  return bottom;
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

/**
 * A callback ref for an element toasts must never cover, such as a form's sticky Save bar: while
 * it is on screen at the window's foot, toasts move up above it. Outside a ToastProvider (a form
 * rendered alone in a test) it does nothing.
 */
export function useKeepClearOfToasts(): (element: HTMLElement | null) => void {
  const register = useContext(KeepClearContext);
  const release = useRef<(() => void) | null>(null);
  return useCallback(
    (element: HTMLElement | null) => {
      release.current?.();
      release.current = element && register ? register(element) : null;
    },
    [register],
  );
}
