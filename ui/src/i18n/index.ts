/**
 * i18next set-up. Both catalogues are bundled (the app is offline), so initialisation is
 * synchronous and the first paint is already in the right language. These are the shell's texts,
 * with those of the sections any module's record pages share (src/records/: `attachments.*`);
 * each module brings its own, which the App merges in before its first render (see
 * addModuleTranslations in shell/module.ts). Switching language (which also involves Rust) lives
 * in ./locale.ts, so this module stays free of IPC.
 *
 * The `messages` namespace is the catalogue Rust words its errors from
 * (`locales/<lang>/messages.json` at the top of the repository, owned by neither layer): an
 * AppError's `reason` is one of its keys and `params` its parameters, so
 * `t(`messages:${error.reason}`, error.params)` says the same as the core's `message`.
 */
import i18n from "i18next";
import { initReactI18next } from "react-i18next";
import type { Locale } from "../bindings";
import messagesEn from "../../../locales/en/messages.json";
import messagesZhCN from "../../../locales/zh-CN/messages.json";
import en from "./en.json";
import zhCN from "./zh-CN.json";

/** The shared catalogues of Rust's messages, as the `messages` namespace. */
export const MESSAGE_CATALOGUES: Record<Locale, Record<string, unknown>> = { en: messagesEn, "zh-CN": messagesZhCN };

export const LOCALES: readonly Locale[] = ["en", "zh-CN"];
/** Each language names itself, so a user who cannot read the current one can still find theirs. */
export const LOCALE_NAMES: Record<Locale, string> = { en: "English", "zh-CN": "简体中文" };

export const STORAGE_KEY = "satchel.locale";

export function isLocale(value: unknown): value is Locale {
  return typeof value === "string" && (LOCALES as readonly string[]).includes(value);
}

export function detectLocale(stored: string | null, browserLanguage: string | undefined): Locale {
  if (isLocale(stored)) return stored;
  return browserLanguage?.toLowerCase().startsWith("zh") ? "zh-CN" : "en";
}

function storedLocale(): string | null {
  try {
    return localStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}

export function initI18n(locale: Locale = detectLocale(storedLocale(), navigator.language)): typeof i18n {
  if (!i18n.isInitialized) {
    void i18n.use(initReactI18next).init({
      resources: {
        en: { translation: copyCatalogue(en), messages: copyCatalogue(messagesEn) },
        "zh-CN": { translation: copyCatalogue(zhCN), messages: copyCatalogue(messagesZhCN) },
      },
      ns: ["translation", "messages"],
      defaultNS: "translation",
      lng: locale,
      fallbackLng: "en",
      initAsync: false,
      interpolation: { escapeValue: false },
      returnNull: false,
    });
  }
  document.documentElement.lang = locale;
  return i18n;
}

/**
 * i18next keeps the objects it is given and merges modules' catalogues into them (see
 * addModuleTranslations in shell/module.ts); copies keep the imported JSON as written.
 */
export function copyCatalogue<T>(catalogue: T): T {
  return JSON.parse(JSON.stringify(catalogue)) as T;
}

export function currentLocale(): Locale {
  return isLocale(i18n.language) ? i18n.language : "en";
}

export default i18n;
