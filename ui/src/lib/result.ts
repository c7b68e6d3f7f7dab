import type { AppError, ErrorCode } from "../bindings";

/** The shape every generated command resolves to (tauri-specta's typedError). */
export type Result<T, E> = { status: "ok"; data: T } | { status: "error"; error: E };

/**
 * An error made in the UI itself (a file refused before it is sent, a call that threw), in the
 * shape the core's errors have, so screens handle both alike. `message` is already in the user's
 * language; `reason` is a key of the shared catalogue (`locales/<lang>/messages.json`, the
 * `messages` namespace) saying why, `error.internal` unless a better one fits, with its `params`.
 */
export function uiError(
  message: string,
  { code = "internal", reason = "error.internal", params = {}, field = null }: { code?: ErrorCode; reason?: string; params?: Record<string, string>; field?: string | null } = {},
): AppError {
  return { code, message, field, reason, params, fields: [] };
}

/**
 * The generated `wrap` rethrows JS exceptions (a missing command, a serialisation bug) instead of
 * returning them, so every call site would need a try/catch; this folds them into the same
 * error shape so screens have exactly one failure path.
 */
export async function call<T>(promise: Promise<Result<T, AppError>>): Promise<Result<T, AppError>> {
  try {
    return await promise;
  } catch (e) {
    return { status: "error", error: uiError(e instanceof Error ? e.message : String(e)) };
  }
}
