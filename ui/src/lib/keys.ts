/**
 * Keyboard shortcuts live in one table so the handlers, tooltips, menus and the Settings list can
 * never disagree. "mod" is Ctrl, or Cmd on macOS (either is accepted everywhere, so muscle memory
 * from other apps works).
 */
import type { KeyboardEvent as ReactKeyboardEvent } from "react";

export type Hotkey = { key: string; mod?: boolean; shift?: boolean; alt?: boolean };

export const SHORTCUTS = {
  palette: { key: "k", mod: true },
  newPerson: { key: "n", mod: true },
  newCompany: { key: "n", mod: true, shift: true },
  search: { key: "f", mod: true },
  searchSlash: { key: "/" },
  save: { key: "s", mod: true },
  edit: { key: "e", mod: true },
  logActivity: { key: "l", mod: true },
  // A single key, so it asks first (detail page) and never fires while typing.
  deleteRecord: { key: "Delete" },
  toggleSidebar: { key: "b", mod: true },
  back: { key: "ArrowLeft", alt: true },
  close: { key: "Escape" },
} satisfies Record<string, Hotkey>;

export type ShortcutName = keyof typeof SHORTCUTS;

export const isMac =
  typeof navigator !== "undefined" && /Mac|iPhone|iPad/i.test(navigator.platform || navigator.userAgent);

export function matches(event: KeyboardEvent | ReactKeyboardEvent, hotkey: Hotkey): boolean {
  const mod = event.ctrlKey || event.metaKey;
  if (Boolean(hotkey.mod) !== mod) return false;
  if (Boolean(hotkey.alt) !== event.altKey) return false;
  // "/" is typed with Shift on some layouts, so Shift only matters when the hotkey names it.
  if (hotkey.shift !== undefined && hotkey.shift !== event.shiftKey) return false;
  if (hotkey.shift === undefined && hotkey.mod && event.shiftKey) return false;
  return event.key.toLowerCase() === hotkey.key.toLowerCase();
}

const KEY_NAMES: Record<string, string> = { ArrowLeft: "←", Escape: "Esc", Delete: "Del" };

/** The printable parts of a hotkey, e.g. ["Ctrl", "Shift", "N"] or ["⌘", "⇧", "N"]. */
export function hotkeyParts(hotkey: Hotkey, mac = isMac): string[] {
  const parts: string[] = [];
  if (hotkey.mod) parts.push(mac ? "⌘" : "Ctrl");
  if (hotkey.alt) parts.push(mac ? "⌥" : "Alt");
  if (hotkey.shift) parts.push(mac ? "⇧" : "Shift");
  parts.push(KEY_NAMES[hotkey.key] ?? hotkey.key.toUpperCase());
  return parts;
}

export function hotkeyLabel(hotkey: Hotkey, mac = isMac): string {
  return hotkeyParts(hotkey, mac).join(mac ? "" : "+");
}

/** Single-key shortcuts must not fire while the user is typing text. */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  const tag = target.tagName;
  return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT";
}
