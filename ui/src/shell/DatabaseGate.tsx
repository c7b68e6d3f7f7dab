import { useEffect, useState, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { commands, type AppError } from "../bindings";
import { call } from "../lib/result";
import { LanguageSwitch } from "./LanguageSwitch";

/**
 * The database may be unusable before the first screen: written by a newer Satchel, read-only,
 * or not a database at all. Rust refuses to touch it and every command answers with the reason;
 * this shows that reason (in the chosen language) instead of an app full of failing pages.
 */
const UNOPENABLE: AppError["code"][] = ["schema_too_new", "read_only", "in_use", "corrupt", "storage", "internal"];

export function DatabaseGate({ children }: { children: ReactNode }) {
  const { t, i18n } = useTranslation();
  // Optimistic: the app renders at once and is replaced only if the database turns out unusable.
  const [error, setError] = useState<AppError | null>(null);

  useEffect(() => {
    let live = true;
    void call(commands.appInfo()).then((r) => {
      if (!live) return;
      setError(r.status === "error" && UNOPENABLE.includes(r.error.code) ? r.error : null);
    });
    return () => {
      live = false;
    };
    // Asked again after a language switch so the reason reads in the new language.
  }, [i18n.language]);

  if (!error) return <>{children}</>;
  return (
    <main className="db-gate" role="alert" data-testid="db-error">
      <div className="db-gate-card">
        <h1>{t("dbError.title")}</h1>
        <p data-testid="db-error-message">{error.message}</p>
        <p className="db-gate-hint">{t("dbError.hint")}</p>
        <LanguageSwitch />
      </div>
    </main>
  );
}
