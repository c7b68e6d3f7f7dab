import { describe, expect, it } from "vitest";
import { ACTIVITY_KINDS } from "../customers/activities";
import { ADDRESS_PARTS, CONTACT_LABELS } from "../customers/formState";
import { IMPORT_FIELDS, NAMED_DIALECTS, TEXT_ENCODINGS } from "../customers/importMapping";
import { KINDS, MATCH_FIELDS, STAGES } from "../customers/stages";
import { SHORTCUTS } from "../lib/keys";
import { NAV_ITEMS, PLANNED_MODULES, SETTINGS_ITEM } from "../shell/modules";
import { SYNC_STATES } from "../sync/status";
import { detectLocale } from "./index";
import en from "./en.json";
import zhCN from "./zh-CN.json";

/** Flattens a catalogue to "a.b.c" → value; arrays count as objects keyed by index. */
function flatten(value: unknown, prefix = ""): Map<string, unknown> {
  const out = new Map<string, unknown>();
  if (value !== null && typeof value === "object") {
    for (const [key, child] of Object.entries(value)) {
      for (const [k, v] of flatten(child, prefix ? `${prefix}.${key}` : key)) out.set(k, v);
    }
  } else {
    out.set(prefix, value);
  }
  return out;
}

const enKeys = flatten(en);
const zhKeys = flatten(zhCN);

/** A key exists when it is a leaf, a plural family (key_one/key_other) or a subtree. */
function exists(key: string): boolean {
  if (enKeys.has(key) || enKeys.has(`${key}_other`)) return true;
  return [...enKeys.keys()].some((k) => k.startsWith(`${key}.`));
}

// Vite inlines every source file's text here, so the scan needs no file-system access.
const sources = import.meta.glob(["../**/*.ts", "../**/*.tsx", "!../**/*.test.ts", "!../**/*.test.tsx"], {
  query: "?raw",
  import: "default",
  eager: true,
}) as Record<string, string>;

describe("translation catalogues", () => {
  it("have exactly the same keys in English and Simplified Chinese", () => {
    const onlyEn = [...enKeys.keys()].filter((k) => !zhKeys.has(k));
    const onlyZh = [...zhKeys.keys()].filter((k) => !enKeys.has(k));
    expect({ onlyEn, onlyZh }).toEqual({ onlyEn: [], onlyZh: [] });
  });

  it("have no empty or non-string values", () => {
    for (const [catalogue, keys] of [["en", enKeys], ["zh-CN", zhKeys]] as const) {
      const bad = [...keys].filter(([, v]) => typeof v !== "string" || v.trim() === "").map(([k]) => `${catalogue}:${k}`);
      expect(bad).toEqual([]);
    }
  });

  it("keep the same interpolation placeholders in both languages", () => {
    const placeholders = (v: unknown) => [...String(v).matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();
    const mismatched = [...enKeys].filter(([k, v]) => JSON.stringify(placeholders(v)) !== JSON.stringify(placeholders(zhKeys.get(k))));
    expect(mismatched.map(([k]) => k)).toEqual([]);
  });

  it("contain every literal key the source code asks for", () => {
    const used = new Set<string>();
    for (const text of Object.values(sources)) {
      for (const m of text.matchAll(/\bt\(\s*"([a-zA-Z0-9_.]+)"/g)) used.add(m[1]!);
      for (const m of text.matchAll(/\?\s*"([a-z]+\.[a-zA-Z0-9_.]+)"\s*:\s*"([a-z]+\.[a-zA-Z0-9_.]+)"/g)) {
        used.add(m[1]!);
        used.add(m[2]!);
      }
    }
    expect(used.size).toBeGreaterThan(50);
    expect([...used].filter((k) => !exists(k))).toEqual([]);
  });

  it("contain every key built from a closed set of values", () => {
    const wanted = [
      ...STAGES.map((s) => `stage.${s}`),
      ...KINDS.map((k) => `kind.${k}`),
      ...ACTIVITY_KINDS.map((k) => `activityKind.${k}`),
      ...MATCH_FIELDS.map((m) => `match.${m}`),
      ...CONTACT_LABELS.map((l) => `label.${l}`),
      ...ADDRESS_PARTS.map((p) => `address.${p}`),
      ...IMPORT_FIELDS.map((f) => `importField.${f}`),
      ...TEXT_ENCODINGS.map((e) => `importEncoding.${e}`),
      ...NAMED_DIALECTS.map((d) => `importDialect.${d}`),
      ...SYNC_STATES.map((s) => `sync.state.${s}`),
      ...["team", "private"].map((v) => `visibility.${v}`),
      ...["csv", "vcard4", "vcard3"].map((f) => `export.${f}`),
      ...Object.keys(SHORTCUTS).map((s) => `shortcut.${s}`),
      ...[...NAV_ITEMS, SETTINGS_ITEM].map((n) => `nav.${n.id}`),
      ...PLANNED_MODULES.flatMap((m) => [`planned.${m}.summary`, `planned.${m}.points`]),
      ...["name", "company", "stage", "owner", "tags", "email", "phone", "updated"].map((c) => `column.${c}`),
    ];
    expect(wanted.filter((k) => !exists(k))).toEqual([]);
  });

  it("use the agreed stage names", () => {
    expect(Object.values(en.stage)).toEqual(["Lead", "First touch", "Contacted", "Won", "Retained", "Lapsing"]);
    expect(Object.values(zhCN.stage)).toEqual(["线索", "初识", "接触", "赢得", "保持", "退化"]);
  });
});

describe("detectLocale", () => {
  it("prefers a stored choice, then the system language", () => {
    expect(detectLocale("en", "zh-CN")).toBe("en");
    expect(detectLocale(null, "zh-TW")).toBe("zh-CN");
    expect(detectLocale(null, "zh")).toBe("zh-CN");
    expect(detectLocale("fr", "de-DE")).toBe("en");
    expect(detectLocale(null, undefined)).toBe("en");
  });
});
