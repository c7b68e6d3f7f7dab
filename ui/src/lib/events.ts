/**
 * Tiny in-process signals: any screen that writes customers (or custom field definitions)
 * announces it, and lists, facets, forms and open records refetch. Changes that arrive from other
 * devices are announced the same way, by the customers module when the shell hands it the core's
 * `recordsChanged` notice (see `onRecordsChanged` in src/customers/module.tsx).
 */
type Listener = () => void;

/** A listener set: `on` returns the way to stop listening, `emit` calls every listener. */
export function signal() {
  const listeners = new Set<Listener>();
  return {
    on(listener: Listener): () => void {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    emit(): void {
      for (const listener of [...listeners]) listener();
    },
  };
}

const customers = signal();
const customFields = signal();

export function onCustomersChanged(listener: Listener): () => void {
  return customers.on(listener);
}

export function customersChanged(): void {
  customers.emit();
}

/** Custom field definitions were added, changed, removed or restored. */
export function onCustomFieldsChanged(listener: Listener): () => void {
  return customFields.on(listener);
}

export function customFieldsChanged(): void {
  customFields.emit();
}
