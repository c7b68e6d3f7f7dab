/** Helpers for the translation tests (the shell's and each module's). */

/** Flattens a catalogue to "a.b.c" → value; arrays count as objects keyed by index. */
export function flatten(value: unknown, prefix = ""): Map<string, unknown> {
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

/** A key exists when it is a leaf, a plural family (key_one/key_other) or a subtree. */
export function hasKey(keys: Map<string, unknown>, key: string): boolean {
  if (keys.has(key) || keys.has(`${key}_other`)) return true;
  return [...keys.keys()].some((k) => k.startsWith(`${key}.`));
}

/** Keys only one of the languages has. */
export function unmatchedKeys(en: unknown, zhCN: unknown): { onlyEn: string[]; onlyZh: string[] } {
  const enKeys = flatten(en);
  const zhKeys = flatten(zhCN);
  return {
    onlyEn: [...enKeys.keys()].filter((k) => !zhKeys.has(k)),
    onlyZh: [...zhKeys.keys()].filter((k) => !enKeys.has(k)),
  };
}

/** Leaves that are not a non-empty string, as "language:key". */
export function emptyValues(catalogues: Record<string, unknown>): string[] {
  return Object.entries(catalogues).flatMap(([language, catalogue]) =>
    [...flatten(catalogue)].filter(([, v]) => typeof v !== "string" || v.trim() === "").map(([k]) => `${language}:${k}`),
  );
}

/** Keys whose {{placeholders}} differ between the languages. */
export function placeholderMismatches(en: unknown, zhCN: unknown): string[] {
  const zhKeys = flatten(zhCN);
  const placeholders = (v: unknown) => JSON.stringify([...String(v).matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort());
  return [...flatten(en)].filter(([k, v]) => placeholders(v) !== placeholders(zhKeys.get(k))).map(([k]) => k);
}
