/**
 * The shared scenarios (tests/scenarios/*.json) against the UI's in-memory fake of the commands:
 * the TypeScript twin of the Rust runner that holds the same files to the real commands
 * (src-tauri/tests/commands.rs, `shared_scenarios_hold_for_the_real_commands` and `mod scenario`).
 * A step the fake answers differently from the core fails here, naming the file, the step and
 * the path inside the answer. The language is described in tests/scenarios/README.md.
 */
import { describe, expect, it } from "vitest";
import { FakeBackend } from "./fakeBackend";

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };
type Step = { call: string; args?: Json; save?: string; expect?: Json; error?: Json };
type Scenario = { name: string; templates?: JsonObject; steps: Step[] };

// Vite reads the files in at transform time, so the runner needs no file-system access.
const files = import.meta.glob<Scenario>("../../../tests/scenarios/*.json", { eager: true, import: "default" });
const scenarios: [string, Scenario][] = Object.entries(files)
  .map(([path, scenario]): [string, Scenario] => [path.replace(/^(\.\.\/)+/, ""), scenario])
  .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

const isObject = (v: Json | undefined): v is JsonObject => typeof v === "object" && v !== null && !Array.isArray(v);

/** `{"$template": name, ...}` becomes the template with the other keys over it. */
function expand(v: Json, templates: JsonObject): Json {
  if (Array.isArray(v)) return v.map((x) => expand(x, templates));
  if (!isObject(v)) return v;
  const name = v.$template;
  const base = typeof name === "string" && isObject(templates[name]) ? { ...templates[name] } : {};
  for (const [k, x] of Object.entries(v)) if (k !== "$template") base[k] = expand(x, templates);
  return base;
}

/** A string `$name.path` is the saved result's value at that path (object keys only, as in Rust). */
function resolve(v: Json, saved: Map<string, Json>, at: string): Json {
  if (typeof v === "string" && v.startsWith("$")) {
    const [name = "", ...path] = v.slice(1).split(".");
    if (!saved.has(name)) throw new Error(`${at}: nothing saved as ${v}`);
    return path.reduce<Json>((value, key) => (isObject(value) ? (value[key] ?? null) : null), saved.get(name)!);
  }
  if (Array.isArray(v)) return v.map((x) => resolve(x, saved, at));
  if (isObject(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, resolve(x, saved, at)]));
  return v;
}

const show = (v: Json) => JSON.stringify(v);

/** Objects: the wanted keys, in depth; arrays: the same length, element by element; else equal. Null when it holds. */
function mismatch(got: Json, want: Json, at: string): string | null {
  if (isObject(got) && isObject(want)) {
    for (const [k, w] of Object.entries(want)) {
      const found = mismatch(got[k] ?? null, w, `${at}.${k}`);
      if (found) return found;
    }
    return null;
  }
  if (Array.isArray(got) && Array.isArray(want)) {
    if (got.length !== want.length) return `${at}: ${got.length} items, expected ${want.length}`;
    for (const [i, w] of want.entries()) {
      const found = mismatch(got[i]!, w, `${at}[${i}]`);
      if (found) return found;
    }
    return null;
  }
  return show(got) === show(want) ? null : `${at}: ${show(got)} where ${show(want)} was expected`;
}

/** What crossed IPC: JSON, so `undefined` fields are absent, as a serialised answer would have them. */
function asJson(value: unknown): Json {
  return value === undefined ? null : (JSON.parse(JSON.stringify(value)) as Json);
}

/** Runs one scenario against a fresh fake, as the Rust runner does against a fresh database. */
async function run(file: string, scenario: Scenario): Promise<void> {
  const backend = new FakeBackend();
  const templates = scenario.templates ?? {};
  const saved = new Map<string, Json>();
  for (const [i, step] of scenario.steps.entries()) {
    const at = `${file} step ${i} (${step.call})`;
    const args = resolve(expand(step.args ?? null, templates), saved, at);
    let outcome: { ok: true; value: Json } | { ok: false; error: Json };
    try {
      outcome = { ok: true, value: asJson(await backend.invoke(step.call, isObject(args) ? args : {})) };
    } catch (e) {
      // A thrown Error is a bug in the fake, not a refusal the core would give.
      if (e instanceof Error) throw new Error(`${at}: the fake threw ${e.stack ?? e.message}`);
      outcome = { ok: false, error: asJson(e) };
    }
    if (outcome.ok) {
      if (step.error !== undefined) throw new Error(`${at}: expected a refusal, got ${show(outcome.value)}`);
      if (step.expect !== undefined) {
        const found = mismatch(outcome.value, resolve(step.expect, saved, at), at);
        if (found) throw new Error(`${found}\ngot: ${show(outcome.value)}`);
      }
      if (step.save) saved.set(step.save, outcome.value);
    } else {
      if (step.error === undefined) throw new Error(`${at}: refused: ${show(outcome.error)}`);
      const found = mismatch(outcome.error, resolve(step.error, saved, at), at);
      if (found) throw new Error(`${found}\ngot: ${show(outcome.error)}`);
    }
  }
}

describe("the shared scenarios", () => {
  it("are found", () => {
    expect(scenarios.map(([file]) => file)).toContain("tests/scenarios/customers.json");
  });

  it.each(scenarios)("hold for the fake backend: %s", async (file, scenario) => {
    expect(scenario.steps.length).toBeGreaterThan(0);
    await run(file, scenario);
  });
});

describe("the scenario runner", () => {
  const at = "f.json step 3 (get_customer)";

  it("expands templates and resolves saved values", () => {
    const templates = { person: { kind: "person", name: "", tags: [] } };
    expect(expand({ input: { $template: "person", name: "王芳" } }, templates)).toEqual({ input: { kind: "person", name: "王芳", tags: [] } });
    const saved = new Map<string, Json>([["co", { id: "c1", phones: [{ value: "1" }] }]]);
    expect(resolve({ id: "$co.id", all: ["$co"], none: "$co.nothing" }, saved, at)).toEqual({ id: "c1", all: [{ id: "c1", phones: [{ value: "1" }] }], none: null });
    expect(() => resolve("$nobody.id", saved, at)).toThrow(`${at}: nothing saved as $nobody.id`);
  });

  it("matches objects by the wanted keys, arrays item by item, and names the path that differs", () => {
    const got = { name: "Li", phones: [{ value: "1", label: "Work" }], deletedAt: null };
    expect(mismatch(got, { name: "Li", phones: [{ value: "1" }] }, at)).toBeNull();
    expect(mismatch(got, { deletedAt: null, missing: null }, at)).toBeNull();
    expect(mismatch(got, { phones: [{ value: "2" }] }, at)).toBe(`${at}.phones[0].value: "1" where "2" was expected`);
    expect(mismatch(got, { phones: [] }, at)).toBe(`${at}.phones: 1 items, expected 0`);
    expect(mismatch(got, { name: { first: "Li" } }, at)).toBe(`${at}.name: "Li" where {"first":"Li"} was expected`);
  });
});
