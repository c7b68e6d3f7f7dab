/**
 * The one attachment command tauri-specta cannot describe: `attach_file` takes the picked file's
 * bytes as a raw IPC body (JSON would triple their size), with the record and the file name in
 * headers. Its answer is the generated Attachment, and it returns the same Result shape as the
 * generated commands so screens handle it like any other (fold thrown errors in with `call`).
 */
import { invoke } from "@tauri-apps/api/core";
import type { AppError, Attachment, RecordKey } from "../bindings";
import i18n from "../i18n";
import { uiError, type Result } from "../lib/result";

/** The core's attachments::MAX_BYTES: larger files are refused before a byte is read. */
export const MAX_ATTACHMENT_BYTES = 100 * 1024 * 1024;

const MB = 1024 * 1024;

/**
 * Attaches a file to a record of any type (`{ recordType: "customer", id }`): its bytes go to the
 * core, which stores them once per content.
 */
export async function attachFile(record: RecordKey, file: File): Promise<Result<Attachment, AppError>> {
  // Refused before reading: a file this large would only be read (into memory) to be refused.
  if (file.size > MAX_ATTACHMENT_BYTES) {
    const fmt = (n: number) => new Intl.NumberFormat(i18n.language).format(n);
    const [mb, max] = [Math.ceil(file.size / MB), MAX_ATTACHMENT_BYTES / MB];
    const message = i18n.t("attachments.tooLarge", { size: fmt(mb), max: fmt(max) });
    // The reason the core gives the same refusal (FileProblem::TooLarge).
    return { status: "error", error: uiError(message, { code: "bad_file", reason: "file.tooLarge", params: { mb: String(mb), max: String(max) } }) };
  }
  let buffer: ArrayBuffer;
  try {
    buffer = await file.arrayBuffer();
  } catch {
    return { status: "error", error: uiError(i18n.t("attachments.readFailed"), { code: "bad_file" }) };
  }
  try {
    const attachment = await invoke<Attachment>("attach_file", new Uint8Array(buffer), {
      // Headers are ASCII; the name may be Chinese. The record goes as two headers, as the core
      // names it (RecordKey): its type's stored name and its id.
      headers: { "x-record-type": record.recordType, "x-record-id": record.id, "x-file-name": encodeURIComponent(file.name) },
    });
    return { status: "ok", data: attachment };
  } catch (e) {
    // As tauri-specta's typedError: a JS exception is a bug and stays one; a rejection is an AppError.
    if (e instanceof Error) throw e;
    return { status: "error", error: e as AppError };
  }
}
