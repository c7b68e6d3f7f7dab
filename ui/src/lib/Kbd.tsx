import { hotkeyParts, type Hotkey } from "./keys";

export function Kbd({ hotkey }: { hotkey: Hotkey }) {
  return (
    <span className="kbd-group" aria-hidden="true">
      {hotkeyParts(hotkey).map((part) => (
        <kbd key={part} className="kbd">
          {part}
        </kbd>
      ))}
    </span>
  );
}
