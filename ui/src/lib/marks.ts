/**
 * Marks on the page's clock that `make bench-app` reads to see where a start or a keystroke goes
 * (docs/benchmarks.md). Each costs one lookup; none grows with use.
 */

/** Marks `name` the first time only (a start's steps); true when this call made it. */
export function markOnce(name: string): boolean {
  if (marked(name)) return false;
  performance.mark(name);
  return true;
}

/** Marks `name`, keeping only the latest (a step of the latest search). */
export function lastMark(name: string): void {
  performance.clearMarks(name);
  performance.mark(name);
}

/** Whether `name` was marked yet. */
export function marked(name: string): boolean {
  return performance.getEntriesByName(name).length > 0;
}
