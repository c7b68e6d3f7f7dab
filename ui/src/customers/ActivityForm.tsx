import { useEffect, useRef, useState, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { commands, type Activity, type ActivityInput, type ActivityKind, type CustomerId } from "../bindings";
import { Kbd } from "../lib/Kbd";
import { hotkeyLabel, SHORTCUTS } from "../lib/keys";
import { call } from "../lib/result";
import { useKeepClearOfToasts } from "../lib/toast";
import { useHotkey } from "../lib/useHotkey";
import {
  ACTIVITY_KINDS,
  isActivityField,
  isActivityKind,
  parseLocalInputValue,
  toLocalInputValue,
  toOffsetRfc3339,
  type ActivityField,
} from "./activities";

type Values = { kind: ActivityKind; occurredAt: string; duration: string; outcome: string; body: string; followUp: string };
type Anchor = ActivityField | "kind" | "form";
type Errors = Partial<Record<Anchor, string>>;

type Props = {
  customerId: CustomerId;
  onSaved: (activity: Activity) => void;
  onCancel: () => void;
};

/** Stable ids, so a focus request and aria-describedby can find an input. */
const inputId = (anchor: Anchor) => `activity-${anchor}`;

/**
 * The inline "log activity" form. Like the customer form, Rust validates and its message shows
 * under the input it names, with everything typed kept.
 */
export function ActivityForm({ customerId, onSaved, onCancel }: Props) {
  const { t } = useTranslation();
  const keepClearOfToasts = useKeepClearOfToasts();
  // The moment the form opened, to the millisecond. The time input only shows minutes; while it
  // still shows this moment, the exact instant is sent, so a call logged right after an edit
  // sorts above that edit instead of below it (the edit's time has seconds, the input's not).
  const [opened] = useState(() => new Date());
  const [values, setValues] = useState<Values>(() => ({
    kind: "call",
    occurredAt: toLocalInputValue(opened),
    duration: "",
    outcome: "",
    body: "",
    followUp: "",
  }));
  const [errors, setErrors] = useState<Errors>({});
  const [saving, setSaving] = useState(false);
  // A fresh object each time, so asking to focus the same field twice still moves focus.
  const [focusRequest, setFocusRequest] = useState<{ anchor: Anchor }>({ anchor: "kind" });

  useEffect(() => {
    document.getElementById(inputId(focusRequest.anchor))?.focus();
  }, [focusRequest]);

  const change = (patch: Partial<Values>, anchor: Anchor) => {
    setValues((v) => ({ ...v, ...patch }));
    setErrors((current) => {
      if (!(anchor in current) && !("form" in current)) return current;
      const next = { ...current };
      delete next[anchor];
      delete next.form;
      return next;
    });
  };

  const refuse = (anchor: Anchor, message: string) => {
    setErrors({ [anchor]: message });
    setFocusRequest({ anchor });
  };

  const save = async () => {
    if (saving) return;
    const local = parseLocalInputValue(values.occurredAt);
    if (!local) return refuse("occurredAt", t("activity.timeRequired"));
    const occurred = values.occurredAt === toLocalInputValue(opened) ? opened : local;

    let durationMinutes: number | null = null;
    if (values.duration.trim() !== "") {
      const n = Number(values.duration);
      // Rust takes a u32: anything else would fail in IPC decoding, with no field to point at.
      if (!Number.isInteger(n) || n < 0 || n > 0xffff_ffff) return refuse("durationMinutes", t("activity.durationInvalid"));
      durationMinutes = n;
    }

    const input: ActivityInput = {
      kind: values.kind,
      occurredAt: toOffsetRfc3339(occurred),
      durationMinutes,
      outcome: values.outcome,
      body: values.body,
    };
    setSaving(true);
    const result = await call(commands.logActivity(customerId, input));
    setSaving(false);
    if (result.status === "ok") {
      // "Follow up in N days": a task for the customer due then, reminded at 09:00 that day.
      const days = Number(values.followUp);
      if (values.followUp.trim() !== "" && Number.isInteger(days) && days > 0) {
        const task = await call(commands.followUp(customerId, days, ""));
        if (task.status === "error") refuse("form", task.error.message);
      }
      onSaved(result.data);
      return;
    }
    const field = result.error.field;
    refuse(isActivityField(field) ? field : "form", result.error.message);
  };
  const saveRef = useRef(save);
  saveRef.current = save;

  useHotkey(SHORTCUTS.save, (event) => {
    event.preventDefault();
    void saveRef.current();
  });

  const control = (anchor: Anchor) => ({
    id: inputId(anchor),
    "aria-invalid": errors[anchor] ? true : undefined,
    "aria-describedby": errors[anchor] ? `${inputId(anchor)}-error` : undefined,
  });
  const errorFor = (anchor: Anchor): ReactNode =>
    errors[anchor] ? (
      <div className="field-error" id={`${inputId(anchor)}-error`} data-error-for={anchor} role="alert">
        {errors[anchor]}
      </div>
    ) : null;

  return (
    <form
      className="activity-form"
      noValidate
      data-testid="activity-form"
      aria-label={t("activity.log")}
      onSubmit={(event) => {
        event.preventDefault();
        void save();
      }}
    >
      {errors.form && <div className="banner">{errorFor("form")}</div>}
      <div className="activity-form-row">
        <Field label={t("activity.kind")} anchor="kind">
          <select
            {...control("kind")}
            className="select"
            data-testid="activity-kind"
            value={values.kind}
            onChange={(e) => isActivityKind(e.target.value) && change({ kind: e.target.value }, "kind")}
          >
            {ACTIVITY_KINDS.map((kind) => (
              <option key={kind} value={kind}>
                {t(`activityKind.${kind}`)}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t("activity.occurredAt")} anchor="occurredAt">
          <input
            {...control("occurredAt")}
            className="input"
            type="datetime-local"
            data-testid="activity-occurred-at"
            value={values.occurredAt}
            onChange={(e) => change({ occurredAt: e.target.value }, "occurredAt")}
          />
          {errorFor("occurredAt")}
        </Field>
        <Field label={t("activity.duration")} anchor="durationMinutes">
          <input
            {...control("durationMinutes")}
            className="input"
            type="number"
            min={0}
            step={1}
            inputMode="numeric"
            data-testid="activity-duration"
            value={values.duration}
            onChange={(e) => change({ duration: e.target.value }, "durationMinutes")}
          />
          {errorFor("durationMinutes")}
        </Field>
        <div className="form-field">
          <label htmlFor="activity-follow-up">{t("activity.followUp")}</label>
          <input
            id="activity-follow-up"
            className="input"
            type="number"
            min={1}
            max={365}
            step={1}
            inputMode="numeric"
            data-testid="activity-follow-up"
            placeholder={t("activity.followUpPlaceholder")}
            value={values.followUp}
            onChange={(e) => setValues((v) => ({ ...v, followUp: e.target.value }))}
          />
        </div>
      </div>
      <Field label={t("activity.outcome")} anchor="outcome">
        <input
          {...control("outcome")}
          className="input"
          data-testid="activity-outcome"
          placeholder={t("activity.outcomePlaceholder")}
          value={values.outcome}
          onChange={(e) => change({ outcome: e.target.value }, "outcome")}
        />
        {errorFor("outcome")}
      </Field>
      <Field label={t("activity.body")} anchor="body">
        <textarea
          {...control("body")}
          className="textarea"
          data-testid="activity-body"
          rows={3}
          value={values.body}
          onChange={(e) => change({ body: e.target.value }, "body")}
        />
        {errorFor("body")}
      </Field>
      {/* Toasts (an activity just deleted, with Undo) move up rather than cover Save. */}
      <div className="activity-form-actions" ref={keepClearOfToasts}>
        <button type="submit" className="btn btn-primary" data-testid="activity-save" disabled={saving} title={`${t("action.save")} (${hotkeyLabel(SHORTCUTS.save)})`}>
          {saving ? t("form.saving") : t("action.save")} <Kbd hotkey={SHORTCUTS.save} />
        </button>
        <button type="button" className="btn" data-testid="activity-cancel" onClick={onCancel}>
          {t("action.cancel")}
        </button>
      </div>
    </form>
  );
}

function Field({ label, anchor, children }: { label: string; anchor: Anchor; children: ReactNode }) {
  return (
    <div className="form-field">
      <label htmlFor={inputId(anchor)}>{label}</label>
      {children}
    </div>
  );
}
