import { describe, expect, it } from "vitest";
import { SingleFlight } from "./singleFlight";

/** A task that records its start and finishes when told. */
function gate(log: string[], name: string) {
  let open!: () => void;
  const done = new Promise<void>((resolve) => (open = resolve));
  return {
    task: async () => {
      log.push(`start ${name}`);
      await done;
      log.push(`end ${name}`);
    },
    open: () => open(),
  };
}

const settle = () => new Promise((r) => setTimeout(r, 0));

describe("SingleFlight", () => {
  it("runs a task at once when nothing is on its way", async () => {
    const log: string[] = [];
    const f = new SingleFlight();
    const a = gate(log, "a");
    f.run(a.task);
    expect(log).toEqual(["start a"]);
    a.open();
    await settle();
    expect(log).toEqual(["start a", "end a"]);
  });

  it("keeps only the newest task waiting, and runs it after the one on its way", async () => {
    const log: string[] = [];
    const f = new SingleFlight();
    const [a, b, c] = [gate(log, "a"), gate(log, "b"), gate(log, "c")];
    f.run(a.task);
    f.run(b.task);
    f.run(c.task);
    expect(log).toEqual(["start a"]);
    a.open();
    await settle();
    expect(log).toEqual(["start a", "end a", "start c"]);
    c.open();
    await settle();
    expect(log).toEqual(["start a", "end a", "start c", "end c"]);
    // b was replaced: never started.
    b.open();
    await settle();
    expect(log).not.toContain("start b");
  });

  it("goes on after a task that throws", async () => {
    const log: string[] = [];
    const f = new SingleFlight();
    f.run(async () => {
      log.push("boom");
      throw new Error("boom");
    });
    await settle();
    f.run(async () => void log.push("after"));
    await settle();
    expect(log).toEqual(["boom", "after"]);
  });
});
