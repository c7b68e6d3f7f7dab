/**
 * Commands that take a raw binary body (a file's bytes) rather than JSON arguments: tauri-specta
 * cannot describe them, so every module sends them through these, with the same error shape as
 * the generated commands.
 */
import { invoke } from "@tauri-apps/api/core";
import type { AppError } from "../bindings";
import { uiError, type Result } from "./result";

/** A command's refusal as the generated commands give it (anything else thrown becomes a UI error). */
export function asError(e: unknown): AppError {
  if (e && typeof e === "object" && "code" in e && "message" in e) return e as AppError;
  return uiError(e instanceof Error ? e.message : String(e));
}

/** Calls `command` with `body` as its raw body and `headers` beside it. */
export async function invokeRaw<T>(command: string, body: Uint8Array, headers: Record<string, string> = {}): Promise<Result<T, AppError>> {
  try {
    return { status: "ok", data: await invoke<T>(command, body, { headers }) };
  } catch (e) {
    return { status: "error", error: asError(e) };
  }
}

/** A chosen file's bytes; a file that cannot be read is a `bad_file` error. */
export async function bytesOf(file: File): Promise<Result<Uint8Array, AppError>> {
  try {
    return { status: "ok", data: new Uint8Array(await file.arrayBuffer()) };
  } catch (e) {
    return { status: "error", error: uiError(e instanceof Error ? e.message : String(e), { code: "bad_file" }) };
  }
}

/** Sends a chosen file's bytes as the raw body of `command`. */
export async function sendFile<T>(command: string, file: File, headers: Record<string, string> = {}): Promise<Result<T, AppError>> {
  const b = await bytesOf(file);
  return b.status === "ok" ? invokeRaw<T>(command, b.data, headers) : b;
}
