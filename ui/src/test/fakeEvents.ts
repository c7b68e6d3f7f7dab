import { act } from "@testing-library/react";
/**
 * A stand-in for Tauri's event channel, for UI tests only. Tests mock `@tauri-apps/api/event`
 * with `{ listen }` from here (the `vi.mock` call stays in each test file, as Vitest hoists it per
 * file), then `emit` plays what Rust would send: the generated `events.*.listen` runs unchanged.
 */
type Handler = (event: { event: string; id: number; payload: unknown }) => void;

const handlers = new Map<string, Set<Handler>>();
let nextId = 1;

/** The `listen` of @tauri-apps/api/event: resolves with the function that stops listening. */
export async function listen(name: string, handler: Handler): Promise<() => void> {
  const set = handlers.get(name) ?? new Set<Handler>();
  set.add(handler);
  handlers.set(name, set);
  return () => {
    set.delete(handler);
  };
}

/** Sends an event to every listener of `name`, inside act() so React settles. */
export async function emit(name: string, payload: unknown): Promise<void> {
  await act(async () => {
    for (const handler of [...(handlers.get(name) ?? [])]) handler({ event: name, id: nextId++, payload });
  });
}

/** How many listeners `name` has: 0 once every screen that listened has unmounted. */
export function listenerCount(name: string): number {
  return handlers.get(name)?.size ?? 0;
}
