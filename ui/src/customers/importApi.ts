/**
 * The one import command tauri-specta cannot describe: `import_open_bytes` takes the picked file's
 * bytes as a raw IPC body (JSON would triple their size), with the file name in a header. Its
 * answer is the generated ImportPreview, and it returns the same Result shape as the generated
 * commands so screens handle it like any other (fold thrown errors in with `call`).
 */
import { invoke } from "@tauri-apps/api/core";
import type { AppError, ImportPreview } from "../bindings";
import type { Result } from "../lib/result";

/** The core's MAX_IMPORT_BYTES: larger files are refused before a byte is read. */
export const MAX_IMPORT_BYTES = 256 * 1024 * 1024;

/** Opens a file for import from its bytes; the backend keeps them for reopen, check and commit. */
export async function importOpenBytes(bytes: ArrayBuffer, fileName: string): Promise<Result<ImportPreview, AppError>> {
  try {
    const preview = await invoke<ImportPreview>("import_open_bytes", new Uint8Array(bytes), {
      // Headers are ASCII; the name may be Chinese.
      headers: { "x-file-name": encodeURIComponent(fileName) },
    });
    return { status: "ok", data: preview };
  } catch (e) {
    // As tauri-specta's typedError: a JS exception is a bug and stays one; a rejection is an AppError.
    if (e instanceof Error) throw e;
    return { status: "error", error: e as AppError };
  }
}
