import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { BackupSection } from "../backup/BackupSection";
import { commands, type AppError, type AppInfo } from "../bindings";
import { authorName, deviceName } from "../lib/author";
import { formatNumber } from "../lib/format";
import { Kbd } from "../lib/Kbd";
import { SHORTCUTS, type ShortcutName } from "../lib/keys";
import { call } from "../lib/result";
import { LanguageSwitch } from "../shell/LanguageSwitch";
import { useModules } from "../shell/moduleContext";
import { SyncSection } from "../sync/SyncSection";

const SHORTCUT_ORDER: ShortcutName[] = ["palette", "newPerson", "newCompany", "search", "searchSlash", "save", "edit", "logActivity", "deleteRecord", "toggleSidebar", "back", "close"];

/**
 * `section` is the card to open at (the sync indicator leads to "sync"). The shell's cards frame
 * the modules' own (customers: custom fields), which follow Sync in registry order.
 */
export function SettingsPage({ section }: { section?: "sync" }) {
  const { t, i18n } = useTranslation();
  const modules = useModules();
  const [info, setInfo] = useState<AppInfo | null>(null);
  const [error, setError] = useState<AppError | null>(null);

  useEffect(() => {
    let alive = true;
    void call(commands.appInfo()).then((result) => {
      if (!alive) return;
      if (result.status === "ok") setInfo(result.data);
      else setError(result.error);
    });
    return () => {
      alive = false;
    };
  }, []);

  return (
    <section className="page" aria-labelledby="settings-title" data-testid="settings">
      <header className="page-header">
        <h1 id="settings-title">{t("nav.settings")}</h1>
      </header>
      <div className="page-body">
        <div className="settings">
          <section className="card">
            <h2>{t("settings.language")}</h2>
            <p className="muted">{t("settings.languageHelp")}</p>
            <LanguageSwitch testId="settings-lang-switch" />
          </section>

          <SyncSection focus={section === "sync"} />

          {modules.map(({ id, SettingsSection }) => SettingsSection && <SettingsSection key={id} />)}

          {/* After the modules' sections: its list arrives a moment after the page and grows it,
              which moved the sections below it under a pointer about to click (a flaky e2e). */}
          <BackupSection />

          <section className="card">
            <h2>{t("settings.about")}</h2>
            {error && (
              <p className="field-error" role="alert">
                {error.message}
              </p>
            )}
            {info ? (
              <dl className="fields" data-testid="app-info">
                <dt>{t("settings.version")}</dt>
                <dd data-testid="app-version">{info.version}</dd>
                <dt>{t("settings.records")}</dt>
                <dd data-testid="app-count">{formatNumber(info.customerCount, i18n.language)}</dd>
                <dt>{t("settings.author")}</dt>
                <dd>{authorName(info.author, t)}</dd>
                <dt>{t("settings.device")}</dt>
                <dd>{deviceName(info.device, t)}</dd>
                <dt>{t("settings.database")}</dt>
                <dd className="mono" data-testid="app-db-path">
                  {info.dbPath}
                </dd>
                <dt>{t("settings.siteId")}</dt>
                <dd className="mono">{info.siteId}</dd>
              </dl>
            ) : (
              !error && <p className="muted">{t("common.loading")}</p>
            )}
          </section>

          <section className="card">
            <h2>{t("settings.shortcuts")}</h2>
            <dl className="shortcut-list">
              {SHORTCUT_ORDER.map((name) => (
                <div key={name} style={{ display: "contents" }}>
                  <dt>{t(`shortcut.${name}`)}</dt>
                  <dd>
                    <Kbd hotkey={SHORTCUTS[name]} />
                  </dd>
                </div>
              ))}
            </dl>
          </section>
        </div>
      </div>
    </section>
  );
}
