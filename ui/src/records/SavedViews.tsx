/**
 * A list's saved views as chips: click one to apply its filter, × to delete it, "Save view" to
 * keep the current filter under a name (a refused name shows under its input). Shared by the
 * lists that keep views (deals, ticket queues); each passes its commands, words and test ids
 * (`<testId>`, `<testId>-delete`, `-save`, `-name`, `-confirm`).
 */
import { useCallback, useEffect, useState } from "react";
import type { AppError } from "../bindings";
import { call, type Result } from "../lib/result";
import { useToast } from "../lib/toast";
import "./savedViews.css";

type View<F> = { id: string; name: string; filter: F };

type Props<F> = {
  /** The views, asked again after each save or delete and whenever `subscribe` says so. */
  list: () => Promise<Result<View<F>[], AppError>>;
  save: (name: string) => Promise<Result<unknown, AppError>>;
  remove: (id: string) => Promise<Result<unknown, AppError>>;
  subscribe: (listener: () => void) => () => void;
  apply: (filter: F) => void;
  words: { save: string; name: string; confirm: string; cancel: string; remove: (name: string) => string };
  testId: string;
};

export function SavedViews<F>({ list, save, remove, subscribe, apply, words, testId }: Props<F>) {
  const toast = useToast();
  const [views, setViews] = useState<View<F>[]>([]);
  const [naming, setNaming] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(() => {
    void call(list()).then((r) => r.status === "ok" && setViews(r.data));
  }, [list]);
  useEffect(() => {
    load();
    return subscribe(load);
  }, [load, subscribe]);
  const submit = async () => {
    const r = await call(save(naming ?? ""));
    if (r.status === "error") return setError(r.error.message);
    setNaming(null);
    setError(null);
    load();
  };
  return (
    <div className="saved-views" data-testid={`${testId}s`}>
      {views.map((v) => (
        <span key={v.id} className="chip" data-testid={testId} data-id={v.id}>
          <button type="button" className="link-button" onClick={() => apply(v.filter)}>
            {v.name}
          </button>
          <button
            type="button"
            aria-label={words.remove(v.name)}
            data-testid={`${testId}-delete`}
            onClick={() => void call(remove(v.id)).then((r) => (r.status === "ok" ? load() : toast.show({ message: r.error.message, tone: "error" })))}
          >
            ×
          </button>
        </span>
      ))}
      {naming === null ? (
        <button type="button" className="btn btn-small" data-testid={`${testId}-save`} onClick={() => setNaming("")}>
          {words.save}
        </button>
      ) : (
        <form
          className="saved-view-form"
          onSubmit={(e) => {
            e.preventDefault();
            void submit();
          }}
        >
          <input className="input" name="name" autoFocus data-testid={`${testId}-name`} aria-label={words.name} placeholder={words.name} value={naming} onChange={(e) => setNaming(e.target.value)} />
          <button type="submit" className="btn btn-small btn-primary" data-testid={`${testId}-confirm`}>
            {words.confirm}
          </button>
          <button type="button" className="btn btn-small" onClick={() => setNaming(null)}>
            {words.cancel}
          </button>
          {error && (
            <div className="field-error" data-error-for="name" role="alert">
              {error}
            </div>
          )}
        </form>
      )}
    </div>
  );
}
