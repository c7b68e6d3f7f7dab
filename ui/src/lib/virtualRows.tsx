import { useVirtualizer, type VirtualItem } from "@tanstack/react-virtual";
import type { RefObject } from "react";

/**
 * The rows of a long table drawn only as they scroll into view, between two spacer rows that keep
 * the table its full height (so the scrollbar is true, and the table keeps its own columns).
 * Why: the quotes of a large book drew 45,000 elements, which the web engine held as 300 MB and
 * laid out on every change; a screen of rows is a few hundred (docs/benchmarks.md).
 *
 * `scrollRef`: the element that scrolls; mark it `data-virtual-rows` (the tests give such boxes a
 * height, jsdom having no layout). Rows may differ in height: each is measured once drawn (give
 * it `ref={measure}` and `data-index`).
 */
export function useVirtualRows(count: number, scrollRef: RefObject<HTMLElement | null>, rowHeight: number) {
  const virtualizer = useVirtualizer({ count, getScrollElement: () => scrollRef.current, estimateSize: () => rowHeight, overscan: 12 });
  const rows: VirtualItem[] = virtualizer.getVirtualItems();
  const before = rows.length > 0 ? rows[0]!.start : 0;
  const after = rows.length > 0 ? Math.max(0, virtualizer.getTotalSize() - rows[rows.length - 1]!.end) : 0;
  return { rows, before, after, measure: virtualizer.measureElement };
}

/** A spacer row standing in for the rows not drawn (none when there are none). */
export function Spacer({ height, columns }: { height: number; columns: number }) {
  if (height <= 0) return null;
  return (
    <tr aria-hidden="true" className="virtual-spacer">
      <td colSpan={columns} style={{ height, padding: 0, border: 0 }} />
    </tr>
  );
}
