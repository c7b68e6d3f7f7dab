import type { Action } from "./pageActions";

/**
 * Every word typed must appear somewhere in the action's label, group or keywords; earlier and
 * label matches rank higher. Substring (not fuzzy) matching keeps Chinese labels predictable.
 */
export function filterActions(actions: readonly Action[], query: string): Action[] {
  const words = query.trim().toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return [...actions];
  const scored: { action: Action; score: number; order: number }[] = [];
  actions.forEach((action, order) => {
    const label = action.label.toLowerCase();
    const haystack = `${label} ${action.group.toLowerCase()} ${(action.keywords ?? "").toLowerCase()}`;
    if (!words.every((word) => haystack.includes(word))) return;
    const at = label.indexOf(words[0]!);
    const score = at === 0 ? 0 : at > 0 ? 1 : 2;
    scored.push({ action, score, order });
  });
  return scored.sort((a, b) => a.score - b.score || a.order - b.order).map((s) => s.action);
}
