import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { commands, type SyncProblem } from "../bindings";
import { formatDateTime } from "../lib/format";
import { call } from "../lib/result";

/**
 * Changes sync set aside: received ones this computer cannot hold (a teammate's broken app sent a
 * null name, say) and this computer's own ones the server refused (a record made private since).
 * Listed so nothing is lost without a word, while sync goes on. Reloaded after each sync
 * (`version` of the status changes).
 */
export function SyncProblems({ version }: { version: number }) {
  const { t, i18n } = useTranslation();
  const [problems, setProblems] = useState<SyncProblem[]>([]);

  useEffect(() => {
    let live = true;
    void call(commands.syncProblems()).then((result) => {
      if (live && result.status === "ok") setProblems(result.data);
    });
    return () => {
      live = false;
    };
  }, [version]);

  if (problems.length === 0) return null;
  return (
    <div className="sync-problems" data-testid="sync-problems">
      <h3>{t("sync.problemsTitle", { count: problems.length })}</h3>
      <p className="muted">{t("sync.problemsHelp")}</p>
      <ul>
        {problems.map((p) => (
          <li key={`${p.direction}-${p.fromSite ?? ""}-${p.table}-${p.rowId}-${p.at}`} data-testid="sync-problem">
            <div>
              <span className="muted">{formatDateTime(p.at, i18n.language)}</span>{" "}
              <strong>{t(p.direction === "push" ? "sync.problemsPush" : "sync.problemsPull")}</strong>{" "}
              {t("sync.problemsWhat", { table: p.table, row: p.rowId, changes: p.changes })}
            </div>
            <div className="muted">{t("sync.problemsWhy", { reason: p.reason })}</div>
          </li>
        ))}
      </ul>
    </div>
  );
}
