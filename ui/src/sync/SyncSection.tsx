import { useEffect, useId, useRef, useState, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { commands, type AppError, type SyncStatus } from "../bindings";
import { formatDateTime, formatNumber } from "../lib/format";
import { ConfirmDialog } from "../lib/ConfirmDialog";
import { call } from "../lib/result";
import { useKeepClearOfToasts, useToast } from "../lib/toast";
import { describeStatus, syncedWhen, waitingText } from "./status";
import { FetchAhead } from "./FetchAhead";
import { SyncProblems } from "./SyncProblems";
import { useNow, useSync } from "./useSyncStatus";

/** The inputs of the connect form; "form" is the top of it, for errors that name none. */
const INPUTS = ["server", "email", "password"] as const;
type Input = (typeof INPUTS)[number];
type Anchor = Input | "form";
type Values = Record<Input, string>;

const isInput = (field: string | null): field is Input => (INPUTS as readonly (string | null)[]).includes(field);

/**
 * Settings → Sync: connect this computer to the team's server (once: the server hands back a
 * device token, the password is never stored), then see how syncing goes, sync now, or
 * disconnect. Disconnecting only stops syncing; every record stays on this computer.
 */
export function SyncSection({ focus = false }: { focus?: boolean }) {
  const { t, i18n } = useTranslation();
  const toast = useToast();
  const { status, error, update } = useSync();
  const now = useNow();
  const locale = i18n.language;
  const cardRef = useRef<HTMLElement>(null);
  const [nowBusy, setNowBusy] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [disconnecting, setDisconnecting] = useState(false);
  // Once the server refused the token, the log-in form stays while the worker retries in the
  // background (each retry passes through "syncing"), so nothing typed into it disappears.
  const [relogin, setRelogin] = useState(false);
  const state = status?.state;

  useEffect(() => {
    if (state === "needs_login") setRelogin(true);
    else if (state === "synced" || state === "off") setRelogin(false);
  }, [state]);

  // Opened from the indicator: bring the card into view and put the cursor where it is needed.
  const focused = useRef(false);
  useEffect(() => {
    if (!focus || !status || focused.current) return;
    focused.current = true;
    const card = cardRef.current;
    if (!card) return;
    card.scrollIntoView({ block: "start" });
    const empty = [...card.querySelectorAll<HTMLInputElement>("form input")].find((input) => input.value === "");
    (empty ?? card.querySelector<HTMLElement>("h2"))?.focus();
  }, [focus, status]);

  const syncNow = async () => {
    if (nowBusy) return;
    setNowBusy(true);
    const result = await call(commands.syncNow());
    setNowBusy(false);
    if (result.status === "error") toast.show({ message: result.error.message, tone: "error" });
  };

  const disconnect = async () => {
    setDisconnecting(true);
    const result = await call(commands.syncDisconnect());
    setDisconnecting(false);
    setConfirming(false);
    if (result.status === "error") {
      toast.show({ message: result.error.message, tone: "error" });
      return;
    }
    update(result.data);
    toast.show({ message: t("sync.disconnectedToast") });
  };

  const connected = (next: SyncStatus) => {
    setRelogin(false);
    update(next);
    toast.show({ message: t("sync.connectedToast", { server: next.server ?? "" }) });
  };

  let body: ReactNode;
  if (!status) {
    body = !error && <p className="muted">{t("common.loading")}</p>;
  } else {
    const line = describeStatus(status, t, locale, now);
    const showForm = status.state === "off" || status.state === "needs_login" || relogin;
    // The status line's second line here: why it is offline, or how far a sync is.
    const detail = status.state === "offline" ? status.error : status.state === "syncing" && line.percent !== null ? line.detail : null;
    const report = status.lastReport;
    body = (
      <>
        <div className="sync-status">
          <span className={`sync-dot sync-tone-${line.tone}`} aria-hidden="true" />
          <div className="sync-status-text">
            <div className="sync-status-line" data-testid="sync-state" data-state={status.state} role={line.needsAttention ? "alert" : undefined}>
              {line.label}
            </div>
            {detail && <div className="muted">{detail}</div>}
            {line.percent !== null && (
              <div
                className="sync-bar"
                role="progressbar"
                aria-label={t("sync.progressLabel")}
                aria-valuemin={0}
                aria-valuemax={100}
                aria-valuenow={line.percent}
              >
                <span className="sync-bar-fill" style={{ width: `${line.percent}%` }} />
              </div>
            )}
          </div>
        </div>

        {status.state !== "off" && (
          <dl className="fields" data-testid="sync-details">
            <dt>{t("sync.server")}</dt>
            <dd className="mono" data-testid="sync-details-server">
              {status.server}
            </dd>
            <dt>{t("sync.account")}</dt>
            <dd data-testid="sync-details-email">{status.email}</dd>
            <dt>{t("sync.lastSync")}</dt>
            <dd data-testid="sync-last">
              {status.lastSyncAt ? (
                <time dateTime={status.lastSyncAt} title={formatDateTime(status.lastSyncAt, locale)}>
                  {formatDateTime(status.lastSyncAt, locale)} ({syncedWhen(status.lastSyncAt, t, locale, now)})
                </time>
              ) : (
                <span className="faint">{t("sync.never")}</span>
              )}
            </dd>
            {status.tokenPlace && (
              <>
                <dt>{t("sync.tokenLabel")}</dt>
                <dd data-testid="sync-token-place" data-place={status.tokenPlace}>
                  {t(status.tokenPlace === "keyring" ? "sync.tokenInKeyring" : "sync.tokenInFile")}
                </dd>
              </>
            )}
            <dt>{t("sync.waitingLabel")}</dt>
            <dd data-testid="sync-pending">{status.pending > 0 ? waitingText(status.pending, t, locale) : <span className="faint">{t("sync.nothingWaiting")}</span>}</dd>
            {report && (
              <>
                <dt>{t("sync.lastReport")}</dt>
                <dd>
                  {t("sync.report", { pushed: formatNumber(report.pushed, locale), pulled: formatNumber(report.pulled, locale) })}
                  {(report.uploaded ?? 0) + (report.fetched ?? 0) > 0 && (
                    <div className="muted" data-testid="sync-report-files">
                      {t("sync.reportFiles", { sent: formatNumber(report.uploaded ?? 0, locale), fetched: formatNumber(report.fetched ?? 0, locale) })}
                    </div>
                  )}
                  {report.lost > 0 && (
                    <div className="muted">{t("sync.reportLost", { count: report.lost, formatted: formatNumber(report.lost, locale) })}</div>
                  )}
                </dd>
              </>
            )}
          </dl>
        )}

        {showForm && (
          <ConnectForm
            key={status.state === "off" ? "connect" : "relogin"}
            relogin={status.state !== "off"}
            initial={{ server: status.server ?? "", email: status.email ?? "", password: "" }}
            onConnected={connected}
          />
        )}

        {status.state !== "off" && <FetchAhead />}

        {status.state !== "off" && (
          <div className="sync-actions">
            <button
              type="button"
              className="btn btn-primary"
              data-testid="sync-now"
              aria-busy={nowBusy || status.state === "syncing"}
              disabled={nowBusy}
              onClick={() => void syncNow()}
            >
              {t("sync.syncNow")}
            </button>
            <button type="button" className="btn btn-danger" data-testid="sync-disconnect" onClick={() => setConfirming(true)}>
              {t("sync.disconnect")}
            </button>
          </div>
        )}
      </>
    );
  }

  return (
    <section className="card" id="settings-sync" data-testid="sync-section" aria-labelledby="sync-title" ref={cardRef}>
      <h2 id="sync-title" tabIndex={-1}>
        {t("sync.title")}
      </h2>
      <p className="muted">{t("sync.help")}</p>
      {error && (
        <p className="field-error" role="alert">
          {t("sync.loadFailed", { message: error.message })}
        </p>
      )}
      {body}
      {status && <SyncProblems version={status.version} />}
      <p className="muted sync-note">{t("sync.tokenNote")}</p>
      {confirming && status && (
        <DisconnectDialog
          server={status.server ?? ""}
          busy={disconnecting}
          onCancel={() => setConfirming(false)}
          onConfirm={() => void disconnect()}
        />
      )}
    </section>
  );
}

/**
 * Server, email and password. Rust checks them (empty fields by name, plain http to another
 * computer, a wrong password) and its message, already in the user's language, shows under the
 * input it names; everything typed stays.
 */
function ConnectForm({ initial, relogin, onConnected }: { initial: Values; relogin: boolean; onConnected: (status: SyncStatus) => void }) {
  const { t } = useTranslation();
  const keepClearOfToasts = useKeepClearOfToasts();
  const formId = useId();
  const [values, setValues] = useState<Values>(initial);
  const [errors, setErrors] = useState<Partial<Record<Anchor, AppError>>>({});
  const [busy, setBusy] = useState(false);
  const idOf = (anchor: Anchor) => `${formId}-${anchor}`;

  const change = (input: Input, value: string) => {
    setValues((v) => ({ ...v, [input]: value }));
    setErrors((current) => {
      if (!(input in current) && !("form" in current)) return current;
      const { [input]: _input, form: _form, ...rest } = current;
      return rest;
    });
  };

  const connect = async () => {
    if (busy) return;
    setBusy(true);
    const result = await call(commands.syncConnect(values.server.trim(), values.email.trim(), values.password));
    setBusy(false);
    if (result.status === "ok") {
      onConnected(result.data);
      return;
    }
    const anchor: Anchor = isInput(result.error.field) ? result.error.field : "form";
    setErrors({ [anchor]: result.error });
    requestAnimationFrame(() => document.getElementById(idOf(anchor === "form" ? "server" : anchor))?.focus());
  };

  const errorFor = (anchor: Anchor): ReactNode => {
    const error = errors[anchor];
    if (!error) return null;
    return (
      <div className="field-error" id={`${idOf(anchor)}-error`} data-error-for={anchor} role="alert">
        {error.message}
      </div>
    );
  };

  const field = (input: Input, label: string, props: { type: string; autoComplete: string; placeholder?: string }) => (
    <div className="form-field">
      <label htmlFor={idOf(input)}>{label}</label>
      <input
        {...props}
        id={idOf(input)}
        className="input"
        data-testid={`sync-${input}`}
        value={values[input]}
        spellCheck={false}
        autoCapitalize="off"
        aria-invalid={errors[input] ? true : undefined}
        aria-describedby={errors[input] ? `${idOf(input)}-error` : undefined}
        onChange={(e) => change(input, e.target.value)}
      />
      {errorFor(input)}
    </div>
  );

  return (
    <form
      className="form sync-form"
      noValidate
      data-testid="sync-form"
      aria-label={relogin ? t("sync.loginAgain") : t("sync.connectTitle")}
      aria-busy={busy}
      onSubmit={(event) => {
        event.preventDefault();
        void connect();
      }}
    >
      {relogin && <p className="muted">{t("sync.loginAgainHelp")}</p>}
      {errors.form && <div className="banner">{errorFor("form")}</div>}
      {field("server", t("sync.server"), { type: "url", autoComplete: "url", placeholder: "https://crm.example.com" })}
      <div className="form-row">
        {field("email", t("sync.email"), { type: "email", autoComplete: "username" })}
        {field("password", t("sync.password"), { type: "password", autoComplete: "current-password" })}
      </div>
      {/* Toasts ("Stopped syncing") move up rather than cover Connect. */}
      <div ref={keepClearOfToasts}>
        <button type="submit" className="btn btn-primary" data-testid="sync-connect" disabled={busy} aria-busy={busy}>
          {busy ? t("sync.connecting") : relogin ? t("sync.login") : t("sync.connect")}
        </button>
      </div>
    </form>
  );
}

function DisconnectDialog({ server, busy, onCancel, onConfirm }: { server: string; busy: boolean; onCancel: () => void; onConfirm: () => void }) {
  const { t } = useTranslation();
  return (
    <ConfirmDialog
      testId="sync-disconnect-dialog"
      title={t("sync.disconnectTitle", { server })}
      body={t("sync.disconnectBody")}
      confirm={t("sync.disconnectConfirm")}
      busy={busy}
      onCancel={onCancel}
      onConfirm={onConfirm}
    />
  );
}
