import { useCallback } from "react";
import { useTranslation } from "react-i18next";
import i18n, { LOCALES } from "../i18n";
import { canonicalLabel, CONTACT_LABELS, type ContactLabel } from "./formState";

function isContactLabel(value: string): value is ContactLabel {
  return (CONTACT_LABELS as readonly string[]).includes(value);
}

/** Every language's word for each standard label, so "手机" and "Mobile" both store "mobile". */
function allTranslations(): Record<ContactLabel, string[]> {
  const result = {} as Record<ContactLabel, string[]>;
  for (const key of CONTACT_LABELS) {
    result[key] = LOCALES.map((locale) => i18n.getFixedT(locale)(`label.${key}`));
  }
  return result;
}

export function useContactLabels() {
  const { t } = useTranslation();
  const display = useCallback(
    (label: string) => {
      const lower = label.trim().toLowerCase();
      return isContactLabel(lower) ? t(`label.${lower}`) : label;
    },
    [t],
  );
  const canonical = useCallback((text: string) => canonicalLabel(text, allTranslations()), []);
  const suggestions = CONTACT_LABELS.map((key) => t(`label.${key}`));
  return { display, canonical, suggestions };
}
