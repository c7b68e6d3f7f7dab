import { commands, type AppError, type Everything } from "../bindings";
import { call } from "../lib/result";

type Answer = { status: "ok"; data: Everything } | { status: "error"; error: AppError };

/** The question on its way, shared by every module's `find` for the same text and limit. */
let current: { key: string; answer: Promise<Answer> } | null = null;

/**
 * The global search's one call (`search_everything`): customers and every other module's records
 * answered together by the core. Each module's `find` picks its own part; the modules asked for
 * the same text in the same moment share one IPC call, so a keystroke costs one round trip, not
 * one per module. An answer is forgotten once it arrives: the next keystroke asks afresh.
 */
export function searchEverything(text: string, limit: number): Promise<Answer> {
  const key = `${limit}\u0000${text}`;
  if (current?.key === key) return current.answer;
  const answer = call(commands.searchEverything(text, limit));
  const mine = { key, answer };
  current = mine;
  void answer.finally(() => {
    if (current === mine) current = null;
  });
  return answer;
}
