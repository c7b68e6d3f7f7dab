/**
 * Who made a change and on which computer, as the core signs it: the OS user and host names, or,
 * when the system has none, the English words "me" and "this computer" (Profile::from_env in
 * crates/core/src/store/mod.rs). Those two are words, not names, so they are shown in the UI's
 * language ("我", "本机"); real names are shown as they are.
 */
type T = (key: string, options?: Record<string, unknown>) => string;

/** The core's author when the OS names no user. */
export const SELF_AUTHOR = "me";
/** The core's device when the OS names no host. */
export const SELF_DEVICE = "this computer";

/** Whether `author` is the core's word for the local user, not somebody's name. */
export function isSelfAuthor(author: string | null | undefined): boolean {
  return author?.trim() === SELF_AUTHOR;
}

/** The author to show: "me" in the UI's language, else the name; "" stays "" (the caller says "Someone"). */
export function authorName(author: string | null | undefined, t: T): string {
  if (!author) return "";
  return isSelfAuthor(author) ? t("common.me") : author;
}

/** The device to show: "this computer" in the UI's language, else its host name. */
export function deviceName(device: string | null | undefined, t: T): string {
  if (!device) return "";
  return device.trim() === SELF_DEVICE ? t("common.thisComputer") : device;
}
