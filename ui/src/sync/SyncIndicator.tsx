import { useTranslation } from "react-i18next";
import { useRouter } from "../lib/router";
import { describeStatus } from "./status";
import { useNow, useSync } from "./useSyncStatus";

/**
 * The sync status at the bottom of the sidebar: a dot, the status line and one detail (how long
 * ago, how many changes wait, how far a running sync is, with a thin bar). It is a button to the
 * sync settings, where the user connects, syncs now, logs in again or reads the whole error.
 */
export function SyncIndicator() {
  const { t, i18n } = useTranslation();
  const { navigate } = useRouter();
  const { status } = useSync();
  const now = useNow();
  if (!status) return null;

  const line = describeStatus(status, t, i18n.language, now);
  // Offline says why on hover; the other states already say all they know.
  const hover = status.state === "offline" && status.error ? status.error : [line.label, line.detail].filter(Boolean).join(" · ");

  return (
    <button
      type="button"
      className={`sync-indicator sync-tone-${line.tone}${line.needsAttention ? " sync-attention" : ""}`}
      data-testid="sync-indicator"
      data-state={status.state}
      // End-to-end tests tell a sync that finished after their click from one that was already done.
      data-last-sync={status.lastSyncAt ?? ""}
      title={`${hover}\n${t("sync.openSettings")}`}
      onClick={() => navigate({ name: "settings", section: "sync" })}
    >
      <span className="sync-dot" aria-hidden="true" />
      <span className="sync-text">
        <span className="sync-label">{line.label}</span>
        {line.detail && <span className="sync-detail">{line.detail}</span>}
        {line.percent !== null && (
          <span
            className="sync-bar"
            role="progressbar"
            data-testid="sync-progress"
            aria-label={t("sync.progressLabel")}
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={line.percent}
          >
            <span className="sync-bar-fill" style={{ width: `${line.percent}%` }} />
          </span>
        )}
      </span>
    </button>
  );
}
