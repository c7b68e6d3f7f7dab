import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from "react";
import { commands, type Segment, type SegmentId } from "../bindings";
import { onCustomersChanged, onCustomFieldsChanged } from "../lib/events";
import { call } from "../lib/result";

type SegmentsState = {
  /** The saved segments with their live counts; empty until loaded (or when loading failed). */
  segments: Segment[];
  loaded: boolean;
  /** Asks again (after a segment was created, changed, deleted or restored); resolves once answered. */
  refresh: () => Promise<void>;
};

const SegmentsContext = createContext<SegmentsState | null>(null);

/**
 * The saved segments, shared by the sidebar (names and counts) and the customer list (the open
 * segment's name and filters). Counts are the core's, so they are asked for again whenever
 * customers or custom fields change in this window, and after every segment write.
 */
export function SegmentsProvider({ children }: { children: ReactNode }) {
  const [segments, setSegments] = useState<Segment[]>([]);
  const [loaded, setLoaded] = useState(false);
  const alive = useRef(true);
  // Answers to an older request that arrive after a newer one are dropped.
  const ticket = useRef(0);

  const refresh = useCallback(async () => {
    const mine = ++ticket.current;
    const result = await call(commands.segments());
    if (!alive.current || mine !== ticket.current) return;
    if (result.status === "ok") setSegments(result.data);
    setLoaded(true);
  }, []);

  useEffect(() => {
    alive.current = true;
    void refresh();
    const offCustomers = onCustomersChanged(() => void refresh());
    const offFields = onCustomFieldsChanged(() => void refresh());
    return () => {
      alive.current = false;
      offCustomers();
      offFields();
    };
  }, [refresh]);

  const value = useMemo<SegmentsState>(() => ({ segments, loaded, refresh }), [segments, loaded, refresh]);
  return <SegmentsContext.Provider value={value}>{children}</SegmentsContext.Provider>;
}

export function useSegments(): SegmentsState {
  const state = useContext(SegmentsContext);
  if (!state) throw new Error("useSegments outside SegmentsProvider");
  return state;
}

export function findSegment(segments: Segment[], id: SegmentId | undefined): Segment | null {
  return id === undefined ? null : (segments.find((s) => s.id === id) ?? null);
}
