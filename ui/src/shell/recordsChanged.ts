/**
 * What changed underneath the window reaches the modules through the shell: one listener for the
 * core's `recordsChanged` event (sent whenever a sync page applied changes from another device),
 * which hands each notice to every registered module (`UiModule.onRecordsChanged`). The sync
 * status hook knows nothing of any module's records.
 */
import { useCallback, useEffect } from "react";
import { events, type SyncReport } from "../bindings";
import { listenTo } from "../lib/listen";
import { tellModules, type UiModule } from "./module";

/** Listens to `recordsChanged` while mounted (once for the window: the App mounts it once). */
export function useRecordsChanged(modules: readonly UiModule[]): void {
  useEffect(() => listenTo(events.recordsChanged, (payload) => tellModules(modules, payload)), [modules]);
}

/**
 * What the shell does when a sync finishes (SyncStatusProvider's `onSyncFinished`). Values from
 * another device that lost a concurrent edit change no row; the core names their tables in
 * `recordsChanged` too (they show in history, with a way to restore them). This second path
 * tells every module to look again once per such sync, so a screen opened between the pages
 * still catches up; it costs one refetch.
 */
export function useOnSyncFinished(modules: readonly UiModule[]): (report: SyncReport) => void {
  return useCallback(
    (report: SyncReport) => {
      if (report.lost > 0) tellModules(modules, { modules: modules.map((module) => module.id), tables: [] });
    },
    [modules],
  );
}
