import { useTranslation } from "react-i18next";

/**
 * `npm run dev` in a plain browser has no Tauri bridge, so every command would throw. Saying so
 * beats a blank page or a stack trace.
 */
export function NotInTauri() {
  const { t } = useTranslation();
  return (
    <div className="not-in-tauri">
      <div className="banner" role="alert" data-testid="not-in-tauri">
        <div>
          <strong>{t("notInTauri.title")}</strong>
          <div>{t("notInTauri.body")}</div>
        </div>
      </div>
    </div>
  );
}
