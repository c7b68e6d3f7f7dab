/**
 * Where keyboard focus goes when the user comes back to a customer list, so they go on from the
 * row they were at instead of from the top of the window. The list (CustomerTable) notes the row
 * a record was opened from; the detail page notes a record it deleted; the list, shown again, asks
 * once what to focus. Held by the customers' provider, above the pages: the list is unmounted
 * while a record is open.
 */
import { createContext, useContext, useState, type ReactNode } from "react";
import type { CustomerId } from "../bindings";

/** Which list: the live one or the trash, as CustomerTable keys its scroll offsets. */
export type ListKey = "live" | "trash";

/**
 * What the list should focus on its return: the row at `index` if it still holds `id`; after a
 * delete, the row now at `index` (the one that took the deleted record's place), or the list itself
 * when none did or the record was not opened from the list (`index` null).
 */
export type ListReturn = { id: CustomerId; index: number | null; deleted: boolean };

export class ListFocus {
  private opened = new Map<ListKey, { id: CustomerId; index: number }>();
  private deleted: CustomerId | null = null;

  /** A row of `list` was opened (clicked, or Enter). */
  noteOpened(list: ListKey, id: CustomerId, index: number): void {
    this.opened.set(list, { id, index });
    this.deleted = null;
  }

  /** The detail page moved `id` to the trash and is going back to the live list. */
  noteDeleted(id: CustomerId): void {
    this.deleted = id;
  }

  /** What `list` should focus now that it is shown again, if anything; it stays until `forget`. */
  returnTo(list: ListKey): ListReturn | null {
    const from = this.opened.get(list) ?? null;
    if (list === "live" && this.deleted !== null) {
      return { id: this.deleted, index: from?.id === this.deleted ? from.index : null, deleted: true };
    }
    return from ? { ...from, deleted: false } : null;
  }

  /** The list has used (or passed up) its return: the next visit starts afresh. */
  forget(list: ListKey): void {
    this.opened.delete(list);
    if (list === "live") this.deleted = null;
  }
}

const ListFocusContext = createContext<ListFocus | null>(null);

export function ListFocusProvider({ children }: { children: ReactNode }) {
  const [store] = useState(() => new ListFocus());
  return <ListFocusContext.Provider value={store}>{children}</ListFocusContext.Provider>;
}

/** Outside the provider (a list rendered on its own, in a test) nothing is remembered. */
const NOWHERE = new (class extends ListFocus {
  override noteOpened(): void {}
  override noteDeleted(): void {}
})();

export function useListFocus(): ListFocus {
  return useContext(ListFocusContext) ?? NOWHERE;
}

/**
 * Focus was on something that is gone (the page just left) or nowhere: only then may a page take
 * it on arriving. Focus still somewhere, such as the search box a hit was opened from or the
 * sidebar link just clicked, stays where the user put it.
 */
export function focusIsLost(): boolean {
  const el = document.activeElement;
  return el === null || el === document.body || !el.isConnected;
}
