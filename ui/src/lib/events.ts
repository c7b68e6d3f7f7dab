/**
 * A tiny in-process signal: any screen that writes customers announces it, and lists, facets and
 * open records refetch. The core has no push channel to the UI yet, so this covers writes made in
 * this window only.
 */
type Listener = () => void;
const listeners = new Set<Listener>();

export function onCustomersChanged(listener: Listener): () => void {
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
  };
}

export function customersChanged(): void {
  for (const listener of [...listeners]) listener();
}
