/**
 * What a sync status says to the user, as plain data: the indicator and the settings page show
 * the same words. Pure, so each state's wording is tested without rendering.
 */
import type { SyncState, SyncStatus } from "../bindings";
import { formatNumber, formatRelativeTime } from "../lib/format";

export const SYNC_STATES: readonly SyncState[] = ["off", "synced", "syncing", "offline", "needs_login", "error"];

/** How the state looks: a colour for the dot, calm to alarming. */
export type SyncTone = "off" | "ok" | "busy" | "warn" | "error";

export type StatusLine = {
  /** The status line itself: the state in a word or two, or the reason a sync failed. */
  label: string;
  /** The line under it: how long ago, how many changes wait, how far a sync is. */
  detail: string | null;
  tone: SyncTone;
  /** How far a running sync is, 0 to 100, when it knows its total. */
  percent: number | null;
  /** Whether the user has to act (log in again, look at an error): the indicator stands out. */
  needsAttention: boolean;
};

type T = (key: string, options?: Record<string, unknown>) => string;

/** "5 minutes ago", or "just now" under a minute. */
export function syncedWhen(iso: string, t: T, locale: string, now: number): string {
  return formatRelativeTime(iso, locale, now) ?? t("sync.justNow");
}

export function waitingText(pending: number, t: T, locale: string): string {
  return t("sync.waiting", { count: pending, formatted: formatNumber(pending, locale) });
}

export function describeStatus(status: SyncStatus, t: T, locale: string, now: number = Date.now()): StatusLine {
  const waiting = status.pending > 0 ? waitingText(status.pending, t, locale) : null;
  const when = status.lastSyncAt ? syncedWhen(status.lastSyncAt, t, locale, now) : null;
  const line = (label: string, detail: string | null, tone: SyncTone, needsAttention = false): StatusLine => ({ label, detail, tone, percent: null, needsAttention });

  switch (status.state) {
    case "off":
      return line(t("sync.state.off"), null, "off");
    case "synced":
      // Changes made since the last sync wait for the next one, a few seconds away.
      return waiting ? line(waiting, when && t("sync.syncedWhen", { when }), "ok") : line(t("sync.state.synced"), when, "ok");
    case "syncing": {
      const progress = status.progress;
      if (progress && progress.total > 0) {
        const done = Math.min(progress.done, progress.total);
        const detail = t(progress.phase === "push" ? "sync.progressPush" : "sync.progressPull", {
          done: formatNumber(done, locale),
          total: formatNumber(progress.total, locale),
        });
        return { ...line(t("sync.state.syncing"), detail, "busy"), percent: Math.round((done / progress.total) * 100) };
      }
      return line(t("sync.state.syncing"), waiting, "busy");
    }
    case "offline":
      // Without a reason it has not been tried yet (just connected): waiting, not failing.
      return status.error ? line(t("sync.state.offline"), waiting, "warn") : line(t("sync.state.waiting"), waiting, "busy");
    case "needs_login":
      return line(status.error || t("sync.state.needs_login"), waiting, "error", true);
    case "error":
      return line(status.error || t("sync.state.error"), waiting, "error", true);
  }
}
