import { useEffect, useRef } from "react";
import { matches, type Hotkey } from "./keys";

/** Binds a window-level shortcut for as long as the calling component is mounted. */
export function useHotkey(hotkey: Hotkey | Hotkey[], handler: (event: KeyboardEvent) => void, enabled = true): void {
  // The handler changes every render; keeping it in a ref avoids re-binding the listener.
  const handlerRef = useRef(handler);
  handlerRef.current = handler;
  const hotkeys = Array.isArray(hotkey) ? hotkey : [hotkey];
  const signature = JSON.stringify(hotkeys);

  useEffect(() => {
    if (!enabled) return;
    const list = JSON.parse(signature) as Hotkey[];
    const onKeyDown = (event: KeyboardEvent) => {
      if (list.some((h) => matches(event, h))) handlerRef.current(event);
    };
    window.addEventListener("keydown", onKeyDown);
    return () => window.removeEventListener("keydown", onKeyDown);
  }, [signature, enabled]);
}
