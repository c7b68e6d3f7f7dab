import type { CustomerKind, MatchField, SortKey, Stage } from "../bindings";

/** Lifecycle order from the seed documents: 初识 → 接触 → 赢得 → 保持 → 退化, with "lead" before it. */
export const STAGES: readonly Stage[] = ["lead", "first_touch", "contacted", "won", "retained", "lapsing"];
export const KINDS: readonly CustomerKind[] = ["person", "company"];
export const SORT_KEYS: readonly SortKey[] = ["name", "company", "stage", "owner", "updated"];
export const MATCH_FIELDS: readonly MatchField[] = ["name", "company", "email", "phone", "tag", "job", "notes", "custom"];

export function isStage(value: unknown): value is Stage {
  return typeof value === "string" && (STAGES as readonly string[]).includes(value);
}

export function isKind(value: unknown): value is CustomerKind {
  return value === "person" || value === "company";
}
