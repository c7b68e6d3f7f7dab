import { useCallback, useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { commands, type AppError, type BackupInfo, type Backups } from "../bindings";
import { ConfirmDialog } from "../lib/ConfirmDialog";
import { formatDateTime, formatNumber } from "../lib/format";
import { call } from "../lib/result";

/** "12.3 MB", "840 KB": sizes as a file manager shows them. */
export function formatSize(bytes: number, locale: string): string {
  if (bytes >= 1024 * 1024) return `${formatNumber(Math.round((bytes / (1024 * 1024)) * 10) / 10, locale)} MB`;
  return `${formatNumber(Math.max(1, Math.round(bytes / 1024)), locale)} KB`;
}

/**
 * Settings → Backups: "Back up now", the backups the app keeps (one a day, for `keepDays` days)
 * with their date and size, and restoring one after a confirmation. Restoring restarts the app:
 * the book is replaced before it is opened again (see `src-tauri/src/commands/backup.rs`).
 * "Encrypt this book" works the same way: asked first, noted, the app restarts and encrypts the
 * book before opening it (`docs/encryption.md`); an encrypted book says so instead.
 */
export function BackupSection() {
  const { t, i18n } = useTranslation();
  const [data, setData] = useState<Backups | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const [busy, setBusy] = useState(false);
  const [made, setMade] = useState<BackupInfo | null>(null);
  const [restoring, setRestoring] = useState<BackupInfo | null>(null);
  const [restartingFor, setRestartingFor] = useState<string | null>(null);
  const [encrypting, setEncrypting] = useState(false);
  const [encryptBusy, setEncryptBusy] = useState(false);

  const load = useCallback(async () => {
    const result = await call(commands.listBackups());
    if (result.status === "ok") setData(result.data);
    else setError(result.error);
  }, []);

  useEffect(() => {
    void load();
  }, [load]);

  const backUpNow = async () => {
    setBusy(true);
    setError(null);
    const result = await call(commands.backupNow());
    setBusy(false);
    if (result.status === "ok") {
      setMade(result.data);
      await load();
    } else setError(result.error);
  };

  const changeKeepDays = async (days: number) => {
    const result = await call(commands.setBackupKeepDays(days));
    if (result.status === "error") setError(result.error);
    await load();
  };

  const restore = async (b: BackupInfo) => {
    setRestartingFor(b.name);
    const result = await call(commands.restoreBackup(b.name));
    // On success the app restarts and this window goes away.
    if (result.status === "error") {
      setRestartingFor(null);
      setRestoring(null);
      setError(result.error);
    }
  };

  const encrypt = async () => {
    setEncryptBusy(true);
    const result = await call(commands.encryptBook());
    // On success the app restarts and this window goes away.
    if (result.status === "error") {
      setEncryptBusy(false);
      setEncrypting(false);
      setError(result.error);
    }
  };

  return (
    <section className="card" aria-labelledby="backup-title" data-testid="backup-section">
      <h2 id="backup-title">{t("backup.title")}</h2>
      <p className="muted">{t("backup.help", { days: data?.keepDays ?? 14 })}</p>
      {error && (
        <p className="field-error" role="alert" data-testid="backup-error">
          {error.message}
        </p>
      )}
      {/* Not `row`: that is the virtual list's absolutely placed row, which laid this bar over
          the window's top bar and took its clicks (the end-to-end tests caught it). */}
      <div className="backup-actions">
        <button type="button" className="btn btn-primary" data-testid="backup-now" disabled={busy} aria-busy={busy} onClick={() => void backUpNow()}>
          {busy ? t("backup.working") : t("backup.now")}
        </button>
        {made && (
          <span className="muted" role="status" data-testid="backup-made">
            {t("backup.made", { name: made.name })}
          </span>
        )}
      </div>
      {data && (
        <label className="form-field backup-keep">
          <span className="form-label">{t("backup.keepDays")}</span>
          <input
            type="number"
            min={1}
            max={3650}
            data-testid="backup-keep-days"
            defaultValue={data.keepDays}
            key={data.keepDays}
            onBlur={(e) => {
              const days = Number(e.currentTarget.value);
              if (days !== data.keepDays) void changeKeepDays(days);
            }}
          />
        </label>
      )}
      {data && data.backups.length === 0 && <p className="muted">{t("backup.none")}</p>}
      {data && data.backups.length > 0 && (
        <table className="backup-list" data-testid="backup-list">
          <thead>
            <tr>
              <th>{t("backup.date")}</th>
              <th>{t("backup.size")}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {data.backups.map((b) => (
              <tr key={b.name} data-testid="backup-row">
                <td>{formatDateTime(b.createdAt, i18n.language)}</td>
                <td>{formatSize(b.size, i18n.language)}</td>
                <td>
                  <button type="button" className="btn" data-testid="backup-restore" onClick={() => setRestoring(b)}>
                    {t("backup.restore")}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {data && <p className="muted mono">{data.folder}</p>}
      {data &&
        (data.encrypted ? (
          <p className="muted" data-testid="book-encrypted">
            {t("backup.encrypted")}
          </p>
        ) : (
          <div className="backup-actions">
            <button type="button" className="btn" data-testid="book-encrypt" onClick={() => setEncrypting(true)}>
              {t("backup.encrypt")}
            </button>
          </div>
        ))}
      {encrypting && (
        <ConfirmDialog
          testId="book-encrypt-dialog"
          title={t("backup.encryptTitle")}
          body={t("backup.encryptBody")}
          confirm={t("backup.encryptConfirm")}
          busy={encryptBusy}
          onCancel={() => setEncrypting(false)}
          onConfirm={() => void encrypt()}
        />
      )}
      {restoring && (
        <ConfirmDialog
          testId="backup-restore-dialog"
          title={t("backup.restoreTitle", { when: formatDateTime(restoring.createdAt, i18n.language) })}
          body={t("backup.restoreBody")}
          confirm={t("backup.restoreConfirm")}
          busy={restartingFor !== null}
          onCancel={() => setRestoring(null)}
          onConfirm={() => void restore(restoring)}
        />
      )}
    </section>
  );
}
