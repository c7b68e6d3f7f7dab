/**
 * revealClear against a hand-made layout (jsdom has none): a page 400 px high scrolling a 2000 px
 * form, with a 50 px sticky Save bar at its foot.
 */
import { afterEach, describe, expect, it } from "vitest";
import { revealClear } from "./reveal";

const PAGE_TOP = 100;
const PAGE_HEIGHT = 400;

/** `top`/`height` are positions in the scrolled content; boxes move as the page scrolls. */
function layout() {
  const page = document.createElement("div");
  page.style.overflowY = "auto";
  const place = (el: HTMLElement, top: () => number, height: number) => {
    el.getBoundingClientRect = () => {
      const y = top();
      return { top: y, bottom: y + height, height, left: 0, right: 100, width: 100, x: 0, y } as DOMRect;
    };
  };
  Object.defineProperty(page, "clientHeight", { value: PAGE_HEIGHT });
  place(page, () => PAGE_TOP, PAGE_HEIGHT);
  const inContent = (top: number, height: number) => {
    const el = document.createElement("div");
    page.append(el);
    place(el, () => PAGE_TOP + top - page.scrollTop, height);
    return el;
  };
  const bar = document.createElement("div");
  bar.dataset.sticky = "bottom";
  page.append(bar);
  place(bar, () => PAGE_TOP + PAGE_HEIGHT - 50, 50);
  document.body.append(page);
  return { page, inContent };
}

afterEach(() => {
  document.body.innerHTML = "";
});

describe("revealClear", () => {
  it("scrolls a field below the fold up until it ends above the sticky bar", () => {
    const { page, inContent } = layout();
    const field = inContent(900, 30);
    revealClear(field);
    const box = field.getBoundingClientRect();
    expect(box.bottom).toBeLessThanOrEqual(PAGE_TOP + PAGE_HEIGHT - 50);
    expect(box.top).toBeGreaterThanOrEqual(PAGE_TOP);
    // The least scroll that does it: 8 px of room over the bar.
    expect(box.bottom).toBe(PAGE_TOP + PAGE_HEIGHT - 50 - 8);
    expect(page.scrollTop).toBeGreaterThan(0);
  });

  it("scrolls a field above the view down to the page's top, and leaves one in view alone", () => {
    const { page, inContent } = layout();
    page.scrollTop = 1000;
    const field = inContent(200, 30);
    revealClear(field);
    expect(field.getBoundingClientRect().top).toBe(PAGE_TOP + 8);
    const visible = inContent(page.scrollTop + 100, 30);
    const before = page.scrollTop;
    revealClear(visible);
    expect(page.scrollTop).toBe(before);
  });

  it("shows what goes with the field (its message, the next add button) when it all fits, else the field alone", () => {
    const { inContent } = layout();
    const field = inContent(900, 30);
    const message = inContent(934, 20);
    const next = inContent(1000, 30);
    revealClear(field, message, next);
    expect(next.getBoundingClientRect().bottom).toBeLessThanOrEqual(PAGE_TOP + PAGE_HEIGHT - 50);
    expect(field.getBoundingClientRect().top).toBeGreaterThanOrEqual(PAGE_TOP);

    const far = inContent(1800, 30);
    revealClear(field, far);
    // Both cannot fit between the page's top and the bar: the field is shown, whole.
    const box = field.getBoundingClientRect();
    expect(box.top).toBeGreaterThanOrEqual(PAGE_TOP);
    expect(box.bottom).toBeLessThanOrEqual(PAGE_TOP + PAGE_HEIGHT - 50);
  });
});
