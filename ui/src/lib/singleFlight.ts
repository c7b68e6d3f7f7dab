/**
 * At most one question on its way at a time, and only the newest one waiting: how a search box
 * asks while the user types.
 *
 * Why not a debounce: a pause after each keystroke is latency on every keystroke (80 ms was most
 * of the global search's p95 in `make bench-app`). Asked at once, a quick answer paints within the
 * frame; while a slow one is on its way, the keystrokes typed meanwhile wait, and only the last of
 * them is asked next, so a slow backend never gets a pile of questions nobody reads.
 */
export class SingleFlight {
  private running = false;
  private next: (() => Promise<void>) | null = null;

  /** Runs `task` now, or after the one running (replacing any task already waiting). */
  run(task: () => Promise<void>): void {
    if (this.running) {
      this.next = task;
      return;
    }
    this.running = true;
    void this.drain(task);
  }

  private async drain(first: () => Promise<void>): Promise<void> {
    let task: (() => Promise<void>) | null = first;
    while (task) {
      try {
        await task();
      } catch {
        // A task reports its own failure; one that throws must not stop the ones after it.
      }
      task = this.next;
      this.next = null;
    }
    this.running = false;
  }
}
