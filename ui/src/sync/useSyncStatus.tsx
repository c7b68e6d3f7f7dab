/**
 * The sync status the whole window shares: fetched once, then kept current by the event the
 * background sync thread sends whenever anything about it changes (state, waiting count, progress,
 * errors). One provider listens for the window, so the indicator and the settings page never
 * disagree and a finished sync is reported once, not once per reader.
 *
 * It knows no module's records: what a sync changed here reaches the modules through the core's
 * `recordsChanged` event, which the shell relays (src/shell/recordsChanged.ts).
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from "react";
import { commands, events, type AppError, type SyncReport, type SyncStatus } from "../bindings";
import { listenTo } from "../lib/listen";
import { call } from "../lib/result";

export type SyncStatusState = {
  /** Null until the first answer. */
  status: SyncStatus | null;
  /** Why the status could not be read (the sync commands are missing or failed). */
  error: AppError | null;
  /** Shows a status a command answered with (connect, disconnect) before the event catches up. */
  update: (status: SyncStatus) => void;
};

/**
 * What names one finished sync: a new sync has a new time even when it moved the same numbers.
 * Null when no sync has finished since the app started.
 */
function reportKey(status: SyncStatus): string | null {
  const report = status.lastReport;
  if (!report) return null;
  return [status.lastSyncAt, report.pushed, report.pulled, report.applied, report.lost].join("|");
}

/**
 * Subscribes to the status: the first fetch, then every `sync-status-changed` event until
 * unmount. `onSyncFinished` hears of each sync that finishes while the window is open, once
 * (not of the one the first fetch describes: the screens loaded after it).
 */
export function useSyncStatus(onSyncFinished?: (report: SyncReport) => void): SyncStatusState {
  const [status, setStatus] = useState<SyncStatus | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  // The finished sync the screens already reflect.
  const seenReport = useRef<string | null>(null);
  // Once an event has arrived, the first fetch's answer may be older than what is shown.
  const heard = useRef(false);

  // The newest status shown: command answers and events travel separately, so an answer may
  // arrive after a newer event (its `version` is lower) and must not undo it.
  const shownVersion = useRef(-1);
  // The latest callback, so a new one never re-subscribes.
  const finished = useRef(onSyncFinished);
  useEffect(() => {
    finished.current = onSyncFinished;
  }, [onSyncFinished]);

  const apply = useCallback((next: SyncStatus, quiet: boolean) => {
    if (next.version < shownVersion.current) return;
    shownVersion.current = next.version;
    const key = reportKey(next);
    const previous = seenReport.current;
    if (key !== null) seenReport.current = key;
    setStatus(next);
    setError(null);
    const report = next.lastReport;
    if (quiet || key === null || key === previous || !report) return;
    finished.current?.(report);
  }, []);

  useEffect(() => {
    let alive = true;
    void call(commands.syncStatus()).then((result) => {
      if (!alive || heard.current) return;
      // The screens loaded after the sync this describes, so there is nothing to refresh.
      if (result.status === "ok") apply(result.data, true);
      else setError(result.error);
    });
    // Outside the Tauri window there are no events; the fetched status is all there is.
    const stop = listenTo(events.syncStatusChanged, (payload) => {
      heard.current = true;
      apply(payload, false);
    });
    return () => {
      alive = false;
      stop();
    };
  }, [apply]);

  const update = useCallback((next: SyncStatus) => apply(next, false), [apply]);
  return useMemo(() => ({ status, error, update }), [status, error, update]);
}

const SyncContext = createContext<SyncStatusState | null>(null);

/** `onSyncFinished`: see useSyncStatus (the App uses it for values that lost a concurrent edit). */
export function SyncStatusProvider({ children, onSyncFinished }: { children: ReactNode; onSyncFinished?: (report: SyncReport) => void }) {
  const value = useSyncStatus(onSyncFinished);
  return <SyncContext.Provider value={value}>{children}</SyncContext.Provider>;
}

/** The window's sync status (see `SyncStatusProvider`). */
export function useSync(): SyncStatusState {
  const sync = useContext(SyncContext);
  if (!sync) throw new Error("useSync outside SyncStatusProvider");
  return sync;
}

/**
 * The current time, rendering again every `everyMs` so "5 minutes ago" keeps telling the truth.
 * Read at each render, so a status that just arrived is never measured against an older clock.
 */
export function useNow(everyMs = 30_000): number {
  const [, setTick] = useState(0);
  useEffect(() => {
    const timer = window.setInterval(() => setTick((n) => n + 1), everyMs);
    return () => window.clearInterval(timer);
  }, [everyMs]);
  return Date.now();
}
