/**
 * Switching language at run time. The chosen locale is also sent to Rust, which translates its
 * own error messages, so a refused save explains itself in the language on screen.
 */
import { commands, type Locale } from "../bindings";
import { call } from "../lib/result";
import i18n, { currentLocale, STORAGE_KEY } from "./index";

/** Tells Rust which language to write error messages in; failure only means English errors. */
export async function syncLocaleToCore(locale: Locale = currentLocale()): Promise<void> {
  await call(commands.setLocale(locale));
}

export async function changeLocale(locale: Locale): Promise<void> {
  try {
    localStorage.setItem(STORAGE_KEY, locale);
  } catch {
    // Private mode or a full disk: the switch still works for this session.
  }
  // Rust first: anything the UI asks after the switch should already answer in the new language.
  await syncLocaleToCore(locale);
  document.documentElement.lang = locale;
  await i18n.changeLanguage(locale);
}

