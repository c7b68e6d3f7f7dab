/** The sales module's helpers over the generated commands, and its raw-body commands. */
import { invoke } from "@tauri-apps/api/core";
import { useCallback, useEffect, useState } from "react";
import { commands, type AppError, type DocumentKind, type PipelineStage, type ProductImport, type ReadLines, type SalesSettings } from "../bindings";
import { signal } from "../lib/events";
export { fieldErrors } from "../records/FieldError";
import { asError, sendFile } from "../lib/rawCommand";
import { call, type Result } from "../lib/result";

/** Deals, quotes, contracts, products or settings changed (here, or another device's arrived). */
const sales = signal();
export const salesChanged = (): void => sales.emit();
export const onSalesChanged = (listener: () => void): (() => void) => sales.on(listener);

/** A stage's name in the UI's language. */
export function stageName(stage: PipelineStage | undefined, lang: string, fallback = ""): string {
  if (!stage) return fallback;
  return lang.startsWith("zh") ? stage.nameZh || stage.nameEn : stage.nameEn || stage.nameZh;
}

/** Groups a decimal string's whole part by thousands (`1234567.50` → `1,234,567.50`); text only, no arithmetic. */
export function groupThousands(amount: string): string {
  const m = /^(-?)(\d+)(\.\d+)?$/.exec(amount.trim());
  if (!m) return amount;
  const [, sign = "", whole = "", frac = ""] = m;
  return sign + whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",") + frac;
}

/** An amount as shown: its currency code, then the grouped amount (`CNY 12,800.00`). */
export function money(amount: string, currency: string): string {
  if (amount === "") return "";
  return `${currency} ${groupThousands(amount)}`.trim();
}

/** The team's sales settings, fetched once per page and again after any sales change. */
export function useSalesSettings(): SalesSettings | null {
  const [settings, setSettings] = useState<SalesSettings | null>(null);
  const load = useCallback(() => {
    void call(commands.salesSettings()).then((r) => r.status === "ok" && setSettings(r.data));
  }, []);
  useEffect(() => {
    load();
    return onSalesChanged(load);
  }, [load]);
  return settings;
}

/** Runs `load` now and again whenever sales records change. */
export function useSalesReload(load: () => void): void {
  useEffect(() => {
    load();
    return onSalesChanged(load);
  }, [load]);
}

/** The letterhead's logo: the image's bytes as the raw body of `set_logo`. */
export async function setLogo(file: File): Promise<Result<SalesSettings, AppError>> {
  return sendFile<SalesSettings>("set_logo", file);
}

/** A catalogue CSV: its bytes as the raw body of `import_products`. */
export async function importProducts(file: File): Promise<Result<ProductImport, AppError>> {
  return sendFile<ProductImport>("import_products", file);
}

/** Quote lines from a CSV file, priced in `currency`. */
export async function readQuoteLinesFile(file: File, currency: string): Promise<Result<ReadLines, AppError>> {
  return sendFile<ReadLines>("read_quote_lines_file", file, { "x-currency": currency });
}

/** A quote's or contract's PDF, as bytes (for the in-window preview). */
export async function documentPdf(kind: DocumentKind, id: string): Promise<Result<ArrayBuffer, AppError>> {
  try {
    const data = await invoke<ArrayBuffer | Uint8Array | number[]>("document_pdf", { kind, id });
    if (data instanceof ArrayBuffer) return { status: "ok", data };
    const u8 = data instanceof Uint8Array ? data : new Uint8Array(data);
    return { status: "ok", data: u8.buffer.slice(u8.byteOffset, u8.byteOffset + u8.byteLength) as ArrayBuffer };
  } catch (e) {
    return { status: "error", error: asError(e) };
  }
}
