import { useTranslation } from "react-i18next";
import { currentLocale, isLocale, LOCALE_NAMES, LOCALES } from "../i18n";
import { changeLocale } from "../i18n/locale";

export function LanguageSwitch({ testId = "lang-switch", className = "select" }: { testId?: string; className?: string }) {
  const { t, i18n } = useTranslation();
  const value = isLocale(i18n.language) ? i18n.language : currentLocale();
  return (
    <select
      className={className}
      data-testid={testId}
      aria-label={t("settings.language")}
      title={t("settings.language")}
      value={value}
      onChange={(e) => isLocale(e.target.value) && void changeLocale(e.target.value)}
    >
      {LOCALES.map((locale) => (
        <option key={locale} value={locale}>
          {LOCALE_NAMES[locale]}
        </option>
      ))}
    </select>
  );
}
