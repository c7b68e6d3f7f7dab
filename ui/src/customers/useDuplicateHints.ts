import { useEffect, useRef, useState } from "react";
import { commands, type CustomerId, type CustomerInput, type DuplicateHint } from "../bindings";
import { call } from "../lib/result";

export const DUPLICATE_DEBOUNCE_MS = 250;
export const MAX_DUPLICATE_HINTS = 5;

/**
 * Existing records that look like the one being typed. Only name, company, kind, emails and phones
 * can make a duplicate, so only they restart the wait; typing notes or an address asks nothing.
 * Only the answer to the latest input is kept: a slow reply for "1380013" must not overwrite the
 * reply for "13800138000" that came back first.
 */
export function useDuplicateHints(input: CustomerInput, editing: CustomerId | null): DuplicateHint[] {
  const [hints, setHints] = useState<DuplicateHint[]>([]);
  const latest = useRef(0);

  const emails = input.emails.map((e) => e.value);
  const phones = input.phones.map((p) => p.value);
  const key = JSON.stringify([input.kind, input.name, input.companyId, emails, phones]);
  const inputRef = useRef(input);
  inputRef.current = input;

  useEffect(() => {
    const ticket = ++latest.current;
    // A blank form looks like nothing; asking would only list noise.
    if (input.name === "" && emails.length === 0 && phones.length === 0) {
      setHints([]);
      return;
    }
    const timer = window.setTimeout(async () => {
      const result = await call(commands.possibleDuplicates(inputRef.current, editing));
      if (ticket !== latest.current) return;
      // The warning is advice: when the check itself fails, saying nothing beats a scary error.
      setHints(result.status === "ok" ? result.data.slice(0, MAX_DUPLICATE_HINTS) : []);
    }, DUPLICATE_DEBOUNCE_MS);
    return () => window.clearTimeout(timer);
    // `key` stands for exactly the fields that matter; the rest of `input` is read when sending.
  }, [key, editing]);

  return hints;
}
