/** Tauri injects `__TAURI_INTERNALS__` before any page script runs; a plain browser tab has none. */
export function insideTauri(): boolean {
  return typeof window !== "undefined" && "__TAURI_INTERNALS__" in window;
}
