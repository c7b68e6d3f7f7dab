/** A refused form's messages by field, and each shown under the input it names. Shared by every module's forms. */
import type { AppError } from "../bindings";

/** Every refused field's message by field path (`lines.0.quantity`); the error's own field when it names one. */
export function fieldErrors(error: AppError): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of error.fields ?? []) if (!(f.field in out)) out[f.field] = f.message;
  if (error.field && !(error.field in out)) out[error.field] = error.message;
  return out;
}

/** A field's refusal under it, where tests and screen readers find it (`id`: for `aria-describedby`). */
export function FieldError({ errors, field, id }: { errors: Record<string, string>; field: string; id?: string }) {
  const message = errors[field];
  if (!message) return null;
  return (
    <div className="field-error" data-error-for={field} id={id} role="alert">
      {message}
    </div>
  );
}
