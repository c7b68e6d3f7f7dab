import { useId, useRef, useState, type FormEvent, type KeyboardEvent } from "react";
import { useTranslation } from "react-i18next";
import type { AppError } from "../bindings";

type Props = {
  initial: string;
  /** The input's accessible name ("Segment name", "New name for …"). */
  label: string;
  /** Saves the name; resolves with the core's error to show, or null when done. */
  onSubmit: (name: string) => Promise<AppError | null>;
  onCancel: () => void;
};

/**
 * The small inline form that names a segment, when saving the list's filters as one and when
 * renaming one. The core checks the name (required, at most 60 characters) and its message, already
 * in the user's language, shows under the input.
 */
export function SegmentNameForm({ initial, label, onSubmit, onCancel }: Props) {
  const { t } = useTranslation();
  const errorId = useId();
  const inputRef = useRef<HTMLInputElement>(null);
  const [name, setName] = useState(initial);
  const [error, setError] = useState<AppError | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    setBusy(true);
    const problem = await onSubmit(name);
    setBusy(false);
    setError(problem);
    if (problem) inputRef.current?.focus();
  };

  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key !== "Escape") return;
    e.preventDefault();
    e.stopPropagation();
    onCancel();
  };

  return (
    <form className="segment-form" data-testid="segment-form" onSubmit={(e) => void submit(e)} onKeyDown={onKeyDown} noValidate>
      <div className="segment-form-row">
        <input
          ref={inputRef}
          className="input"
          data-testid="segment-name"
          aria-label={label}
          placeholder={t("segments.namePlaceholder")}
          value={name}
          // The form opens on a click that asks for a name: typing it is the next thing to do.
          autoFocus
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? errorId : undefined}
          onChange={(e) => setName(e.target.value)}
        />
        <button type="submit" className="btn btn-primary btn-small" data-testid="segment-save" aria-disabled={busy}>
          {busy ? t("form.saving") : t("action.save")}
        </button>
        <button type="button" className="btn btn-ghost btn-small" data-testid="segment-cancel" onClick={onCancel}>
          {t("action.cancel")}
        </button>
      </div>
      {error && (
        <div className="field-error" id={errorId} data-error-for={error.field ?? "name"} role="alert">
          {error.message}
        </div>
      )}
    </form>
  );
}
