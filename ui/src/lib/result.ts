import type { AppError } from "../bindings";

/** The shape every generated command resolves to (tauri-specta's typedError). */
export type Result<T, E> = { status: "ok"; data: T } | { status: "error"; error: E };

/**
 * The generated `wrap` rethrows JS exceptions (a missing command, a serialisation bug) instead of
 * returning them, so every call site would need a try/catch; this folds them into the same
 * error shape so screens have exactly one failure path.
 */
export async function call<T>(promise: Promise<Result<T, AppError>>): Promise<Result<T, AppError>> {
  try {
    return await promise;
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    return { status: "error", error: { code: "internal", message, field: null } };
  }
}
