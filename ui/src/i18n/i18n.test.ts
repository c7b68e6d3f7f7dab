import { describe, expect, it } from "vitest";
import { MODULES } from "../app/modules";
import { SHORTCUTS } from "../lib/keys";
import { addModuleTranslations, type NavItem } from "../shell/module";
import { SYNC_STATES } from "../sync/status";
import { emptyValues, flatten, hasKey, placeholderMismatches, unmatchedKeys } from "../test/catalogues";
import i18n, { detectLocale, MESSAGE_CATALOGUES } from "./index";
import en from "./en.json";
import zhCN from "./zh-CN.json";

/**
 * The shell's catalogues (src/i18n) and every registered module's (in its own folder) are checked
 * alone and merged: what the app runs with is what i18next holds once the registered modules'
 * catalogues are added, as the App does at start.
 */
addModuleTranslations(MODULES);
const merged = { en: i18n.getResourceBundle("en", "translation") as unknown, "zh-CN": i18n.getResourceBundle("zh-CN", "translation") as unknown };
const catalogues: [string, { en: unknown; "zh-CN": unknown }][] = [
  ["the shell", { en, "zh-CN": zhCN }],
  ...MODULES.flatMap((module) => (module.translations ? [[`module ${module.id}`, module.translations] as [string, { en: unknown; "zh-CN": unknown }]] : [])),
  ["all merged", merged],
];

const shellKeys = flatten(en);
const mergedKeys = flatten(merged.en);

// Vite inlines every source file's text here, so the scan needs no file-system access.
const sources = import.meta.glob(["../**/*.ts", "../**/*.tsx", "!../**/*.test.ts", "!../**/*.test.tsx"], {
  query: "?raw",
  import: "default",
  eager: true,
}) as Record<string, string>;

describe.each(catalogues)("the translation catalogues of %s", (_, catalogue) => {
  it("have exactly the same keys in English and Simplified Chinese", () => {
    expect(unmatchedKeys(catalogue.en, catalogue["zh-CN"])).toEqual({ onlyEn: [], onlyZh: [] });
  });

  it("have no empty or non-string values", () => {
    expect(emptyValues(catalogue)).toEqual([]);
  });

  it("keep the same interpolation placeholders in both languages", () => {
    expect(placeholderMismatches(catalogue.en, catalogue["zh-CN"])).toEqual([]);
  });
});

describe("translation catalogues", () => {
  it("give each key one owner: no module redefines the shell's keys or another module's", () => {
    const owners = new Map<string, string>([...shellKeys.keys()].map((k) => [k, "shell"]));
    const clashes: string[] = [];
    for (const module of MODULES) {
      for (const key of flatten(module.translations?.en ?? {}).keys()) {
        const owner = owners.get(key);
        if (owner) clashes.push(`${module.id} and ${owner}: ${key}`);
        else owners.set(key, module.id);
      }
    }
    expect(clashes).toEqual([]);
    // Nothing was lost or overwritten in the merge.
    expect([...mergedKeys.keys()].sort()).toEqual([...owners.keys()].sort());
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
    expect([...used].filter((k) => !hasKey(mergedKeys, k))).toEqual([]);
  });

  it("contain every key a registered module names in its descriptor", () => {
    const labels = (items: NavItem[]): string[] => items.flatMap((item) => [item.label, ...labels(item.children ?? [])]);
    const wanted = MODULES.flatMap((module) => [...labels(module.nav), ...(module.search ? [module.search.label] : [])]);
    expect(wanted.length).toBeGreaterThan(0);
    expect(wanted.filter((k) => !hasKey(mergedKeys, k))).toEqual([]);
  });

  it("contain the shell's keys built from a closed set of values", () => {
    const wanted = [
      ...SYNC_STATES.map((s) => `sync.state.${s}`),
      ...Object.keys(SHORTCUTS).map((s) => `shortcut.${s}`),
      "nav.label",
      "nav.settings",
    ];
    expect(wanted.filter((k) => !hasKey(shellKeys, k))).toEqual([]);
  });
});

/**
 * Chinese text and a Latin name or a number run together unreadably ("合并到Anthony Anderson"), so
 * a placeholder sits apart from Chinese characters: "合并到 {{name}}". Full-width punctuation
 * (：，（）“”。) needs no space and may touch. Only placeholders whose value is always Chinese in the
 * Chinese UI may touch a Chinese character; each is listed here with the reason.
 */
const MAY_TOUCH_CHINESE: Record<string, string> = {
  // The module's name, itself from the zh-CN catalogue (nav.customers, nav.settings): "前往客户".
  "palette.goTo": "module",
  // Intl's zh-CN relative time or date ("5分钟前", "2025年3月1日") or sync.justNow ("刚刚").
  "sync.syncedWhen": "when",
  // A column name from the zh-CN catalogue (column.*): "按公司排序".
  "list.sortBy": "column",
};

/** "key: 字{{name}}" for each placeholder that touches a Chinese character, save the allowed ones. */
function placeholdersTouchingChinese(catalogue: unknown): string[] {
  const han = /\p{Script=Han}/u;
  const found: string[] = [];
  for (const [key, value] of flatten(catalogue)) {
    const text = String(value);
    for (const m of text.matchAll(/\{\{(\w+)\}\}/g)) {
      const before = [...text.slice(0, m.index)].at(-1) ?? "";
      const after = [...text.slice(m.index + m[0].length)][0] ?? "";
      if (!han.test(before) && !han.test(after)) continue;
      if (MAY_TOUCH_CHINESE[key] === m[1]) continue;
      found.push(`${key}: ${before}${m[0]}${after}`);
    }
  }
  return found;
}

describe("the Chinese texts", () => {
  it("keep every placeholder apart from Chinese characters, so a Latin name or a number reads apart", () => {
    expect(placeholdersTouchingChinese(merged["zh-CN"])).toEqual([]);
    expect(placeholdersTouchingChinese(MESSAGE_CATALOGUES["zh-CN"])).toEqual([]);
  });

  it("are checked by a test that catches a placeholder touching Chinese on either side", () => {
    expect(placeholdersTouchingChinese({ a: "合并到{{name}}", b: "{{name}}在回收站中", c: "合并到 {{name}}", d: "{{field}}：已清除" })).toEqual([
      "a: 到{{name}}",
      "b: {{name}}在",
    ]);
  });

  it("allow only placeholders that exist, so the allow-list cannot go stale", () => {
    const zh = flatten(merged["zh-CN"]);
    for (const [key, placeholder] of Object.entries(MAY_TOUCH_CHINESE)) expect(String(zh.get(key))).toContain(`{{${placeholder}}}`);
  });

  it("read a Latin name apart from the Chinese around it", () => {
    const zh = i18n.getFixedT("zh-CN");
    expect(zh("merge.confirm", { name: "Anthony Anderson" })).toBe("合并到 Anthony Anderson");
    expect(zh("customFields.removedToast", { label: "Industry" })).toBe("已移除字段 Industry");
  });
});

/**
 * Rust's messages (locales/<lang>/messages.json, shared with the core) are the `messages`
 * namespace: the UI words an error's `reason` with the core's own words. The core holds the files
 * to the same rules (crates/core/src/i18n.rs); these hold the UI's copy of them.
 */
describe("the shared messages catalogue", () => {
  const messages = MESSAGE_CATALOGUES;

  it("is loaded as the messages namespace and says what the core says, in both languages", () => {
    expect(i18n.t("messages:invalid.tooLong", { max: 80 })).toBe("is too long (at most 80 characters)");
    expect(i18n.t("messages:invalid.tooLong", { max: 80, lng: "zh-CN" })).toBe("太长（最多 80 个字符）");
    expect(i18n.getFixedT("zh-CN", "messages")("error.fieldMessage", { field: "名称", reason: "不能为空" })).toBe("名称：不能为空");
    // Keys of the shell's own catalogue still need no namespace.
    expect(i18n.t("nav.settings")).toBe(i18n.t("translation:nav.settings"));
  });

  it("has the same keys and the same {{params}} per key in both languages", () => {
    expect(flatten(messages.en).size).toBeGreaterThan(50);
    expect(unmatchedKeys(messages.en, messages["zh-CN"])).toEqual({ onlyEn: [], onlyZh: [] });
    expect(placeholderMismatches(messages.en, messages["zh-CN"])).toEqual([]);
    expect(emptyValues(messages)).toEqual([]);
  });

  it("has every key the source code asks for", () => {
    const keys = flatten(messages.en);
    const used = new Set<string>();
    for (const text of Object.values(sources)) {
      for (const m of text.matchAll(/"messages:([a-zA-Z0-9_.]+)"/g)) used.add(m[1]!);
    }
    expect([...used].filter((k) => !keys.has(k))).toEqual([]);
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
