/**
 * Bringing something wholly into view inside a scrolling page, clear of what sticks to the
 * page's top or foot (a form's sticky Save bar). The browser's own scrolling (focus,
 * scrollIntoView) knows nothing of those bars and happily leaves a field beneath one.
 *
 * A bar says it sticks with `data-sticky="top"` or `data-sticky="bottom"`; the bars of the
 * element's scroller are the ones taken into account.
 */

/** Room kept between the element and the scroller's edge or a bar, in px. */
const MARGIN = 8;

function scrollerOf(el: HTMLElement): HTMLElement | null {
  for (let p = el.parentElement; p; p = p.parentElement) {
    const overflow = getComputedStyle(p).overflowY;
    if (overflow === "auto" || overflow === "scroll") return p;
  }
  return null;
}

/**
 * The part of `scroller` that is really visible, as viewport coordinates: its box minus the
 * height of its sticky bars.
 */
export function clearArea(scroller: HTMLElement): { top: number; bottom: number } {
  const box = scroller.getBoundingClientRect();
  let top = box.top + scroller.clientTop;
  let bottom = top + scroller.clientHeight;
  for (const bar of scroller.querySelectorAll<HTMLElement>("[data-sticky]")) {
    const height = bar.getBoundingClientRect().height;
    if (bar.dataset.sticky === "bottom") bottom -= height;
    else if (bar.dataset.sticky === "top") top += height;
  }
  return { top, bottom };
}

type Box = { top: number; bottom: number };

function union(boxes: Box[]): Box {
  return { top: Math.min(...boxes.map((b) => b.top)), bottom: Math.max(...boxes.map((b) => b.bottom)) };
}

/**
 * Scrolls `el`'s scroller the least needed to show `el` wholly between the sticky bars. `around`
 * are what is good to show with it, most wanted first (the field's label and message, the button
 * after it): as many of them as fit are shown together with `el`.
 */
export function revealClear(el: HTMLElement, ...around: (HTMLElement | null | undefined)[]): void {
  const scroller = scrollerOf(el);
  if (!scroller) {
    el.scrollIntoView?.({ block: "nearest" });
    return;
  }
  const area = clearArea(scroller);
  const room = area.bottom - area.top - 2 * MARGIN;
  const own = el.getBoundingClientRect();
  const boxes: Box[] = [own];
  let rect: Box = own;
  for (const other of around) {
    if (!other) continue;
    const wider = union([...boxes, other.getBoundingClientRect()]);
    if (wider.bottom - wider.top > room) break;
    boxes.push(other.getBoundingClientRect());
    rect = wider;
  }
  let delta = 0;
  if (rect.top < area.top + MARGIN) delta = rect.top - (area.top + MARGIN);
  else if (rect.bottom > area.bottom - MARGIN) delta = Math.min(rect.bottom - (area.bottom - MARGIN), rect.top - (area.top + MARGIN));
  if (delta !== 0) scroller.scrollTop += delta;
}
