/**
 * Listens to a tauri-specta event until the returned function is called. Outside the Tauri
 * window (a plain browser, unit tests without the fake) there are no events: the listener is
 * simply never called, whether the event API refuses at once or through its promise.
 */
type Listenable<T> = { listen: (handler: (event: { payload: T }) => void) => Promise<() => void> };

export function listenTo<T>(event: Listenable<T>, handler: (payload: T) => void): () => void {
  let alive = true;
  let unlisten: (() => void) | null = null;
  try {
    event
      .listen((e) => {
        if (alive) handler(e.payload);
      })
      .then(
        (off) => {
          if (alive) unlisten = off;
          else off();
        },
        () => {},
      );
  } catch {
    // No event API here (see above).
  }
  return () => {
    alive = false;
    unlisten?.();
  };
}
