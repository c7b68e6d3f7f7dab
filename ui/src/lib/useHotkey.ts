import { useLayoutEffect, useRef } from "react";
import { matches, type Hotkey } from "./keys";

/** Binds a window-level shortcut for as long as the calling component is mounted. */
export function useHotkey(hotkey: Hotkey | Hotkey[], handler: (event: KeyboardEvent) => void, enabled = true): void {
  // The handler changes every render; keeping it in a ref avoids re-binding the listener.
  const handlerRef = useRef(handler);
  handlerRef.current = handler;
  const hotkeys = Array.isArray(hotkey) ? hotkey : [hotkey];
  const signature = JSON.stringify(hotkeys);

  // Bound before the page is painted (a layout effect): a shortcut pressed the moment the page
  // shows (Ctrl+L right after a save lands on the customer's page) must not be lost in the gap
  // between painting and a passive effect running, which grows with the page's size and load.
  useLayoutEffect(() => {
    if (!enabled) return;
    const list = JSON.parse(signature) as Hotkey[];
    const onKeyDown = (event: KeyboardEvent) => {
      if (list.some((h) => matches(event, h))) handlerRef.current(event);
    };
    window.addEventListener("keydown", onKeyDown);
    return () => window.removeEventListener("keydown", onKeyDown);
  }, [signature, enabled]);
}
