import { useCallback, useEffect, useRef, useState, type ChangeEvent } from "react";
import { useTranslation } from "react-i18next";
import { commands, type Attachment, type RecordKey } from "../bindings";
import { isSelfAuthor } from "../lib/author";
import { formatDateTime } from "../lib/format";
import { call } from "../lib/result";
import { useToast } from "../lib/toast";
import { Icon } from "../shell/Icon";
import { attachFile, MAX_ATTACHMENT_BYTES } from "./attachmentsApi";
import "./attachments.css";

type Translate = (key: string, options?: Record<string, unknown>) => string;

const KB = 1024;
const MB = 1024 * 1024;
const sizeFormats = new Map<string, Intl.NumberFormat>();

function sizeNumber(value: number, locale: string): string {
  let format = sizeFormats.get(locale);
  if (!format) {
    format = new Intl.NumberFormat(locale, { maximumFractionDigits: 1 });
    sizeFormats.set(locale, format);
  }
  return format.format(value);
}

/** A file's size for people: bytes under 1 KB, then KB, then MB (binary units, one decimal). */
export function formatFileSize(bytes: number, locale: string, t: Translate): string {
  if (bytes < KB) return t("attachments.sizeBytes", { count: bytes, formatted: sizeNumber(bytes, locale) });
  // Chosen after rounding, so 1,023.96 KB reads "1 MB", not "1,024 KB".
  if (Math.round((bytes / KB) * 10) / 10 < KB) return t("attachments.sizeKB", { size: sizeNumber(bytes / KB, locale) });
  return t("attachments.sizeMB", { size: sizeNumber(bytes / MB, locale) });
}

/** Newest first, as the core lists them (ids are time-ordered, so they break ties). */
function newestFirst(list: Attachment[]): Attachment[] {
  return [...list].sort((a, b) => b.addedAt.localeCompare(a.addedAt) || b.id.localeCompare(a.id));
}

type Busy = { name: string; current: number; total: number };

type Props = {
  /** The record the files belong to, as the core names it: `{ recordType: "customer", id }`. */
  record: RecordKey;
  /** A trashed record takes no new files; those it has can still be opened. */
  readOnly: boolean;
  /**
   * Called after each write made here (files added, one deleted, one restored by Undo), so the
   * owning module can announce it: its record's timeline records attachments and reloads.
   */
  onChanged?: () => void;
  /**
   * The owning module's change signal (the customers' `onCustomersChanged`), answering the
   * unsubscribe: the list reloads when it fires, so another device's files show once synced.
   * Taken when the record is shown, so a fresh function on every render costs nothing.
   */
  subscribe?: (listener: () => void) => () => void;
};

/**
 * The files attached to a record of any type (a customer's quotes, signed forms, photos): add
 * several at once, open one in the system's viewer, delete with Undo. It knows no module: the
 * caller says which record, and how its module announces and hears changes (`onChanged`,
 * `subscribe`), since writes here show in that module's timeline.
 */
export function Attachments({ record, readOnly, onChanged, subscribe }: Props) {
  const { t, i18n } = useTranslation();
  const toast = useToast();
  const locale = i18n.language;
  const [items, setItems] = useState<Attachment[]>([]);
  const [loaded, setLoaded] = useState(false);
  const [errors, setErrors] = useState<string[]>([]);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [busy, setBusy] = useState<Busy | null>(null);
  const [opening, setOpening] = useState<string | null>(null);
  // Bumped by every reload and by every change made here; an answer for an older one is stale.
  const generation = useRef(0);
  const mounted = useRef(true);
  // The latest callbacks, read when used: callers may pass fresh functions on every render, and
  // an Undo may run after this has unmounted (its module still wants to hear of it).
  const callbacks = useRef({ onChanged, subscribe });
  callbacks.current = { onChanged, subscribe };
  // The record's parts, not the object: callers pass a fresh literal on every render, which must
  // not refetch the list each time.
  const { recordType, id } = record;
  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);

  const reload = useCallback(async () => {
    const mine = ++generation.current;
    const result = await call(commands.recordAttachments({ recordType, id }));
    if (mine !== generation.current || !mounted.current) return;
    setLoaded(true);
    if (result.status === "error") {
      setLoadError(result.error.message);
      return;
    }
    setLoadError(null);
    setItems(result.data);
  }, [recordType, id]);

  useEffect(() => {
    setItems([]);
    setLoaded(false);
    setErrors([]);
    setLoadError(null);
    void reload();
    return callbacks.current.subscribe?.(() => void reload());
  }, [reload]);

  /** Shows a change made here at once; a reload already on its way would undo it, so drop it. */
  const change = (update: (current: Attachment[]) => Attachment[]) => {
    generation.current++;
    setLoaded(true);
    setItems((current) => newestFirst(update(current)));
  };

  const addFiles = async (event: ChangeEvent<HTMLInputElement>) => {
    const input = event.currentTarget;
    const files = [...(input.files ?? [])];
    // Picking the same file again (edited meanwhile) must still count as a choice.
    input.value = "";
    if (files.length === 0) return;
    setErrors([]);
    const failed: string[] = [];
    let added = 0;
    for (const [index, file] of files.entries()) {
      if (mounted.current) setBusy({ name: file.name, current: index + 1, total: files.length });
      const result = await call(attachFile({ recordType, id }, file));
      if (result.status === "error") {
        failed.push(t("attachments.fileFailed", { name: file.name, message: result.error.message }));
        if (mounted.current) setErrors([...failed]);
        continue;
      }
      added++;
      const attachment = result.data;
      if (mounted.current) change((current) => [attachment, ...current.filter((a) => a.id !== attachment.id)]);
    }
    if (mounted.current) setBusy(null);
    // The timeline records each file; one announcement (so one reload) for the whole batch.
    if (added > 0) callbacks.current.onChanged?.();
  };

  const open = async (attachment: Attachment) => {
    setErrors([]);
    setOpening(attachment.id);
    const result = await call(commands.openAttachment(attachment.id));
    if (!mounted.current) return;
    setOpening(null);
    if (result.status === "error") setErrors([result.error.message]);
  };

  const remove = async (attachment: Attachment) => {
    setErrors([]);
    const result = await call(commands.deleteAttachment(attachment.id));
    if (!mounted.current) return;
    if (result.status === "error") {
      setErrors([result.error.message]);
      return;
    }
    change((current) => current.filter((a) => a.id !== attachment.id));
    callbacks.current.onChanged?.();
    toast.show({
      message: t("attachments.deletedToast", { name: attachment.name }),
      kind: "attachment-deleted",
      action: {
        label: t("common.undo"),
        testId: "undo",
        // Undo clears the tombstone: the same attachment (id, file, who added it) comes back.
        run: async () => {
          const again = await call(commands.restoreAttachment(attachment.id));
          if (again.status === "error") {
            if (mounted.current) setErrors([again.error.message]);
            else toast.show({ message: again.error.message, tone: "error" });
            return;
          }
          const restored = again.data;
          if (mounted.current) change((current) => [restored, ...current.filter((a) => a.id !== restored.id)]);
          callbacks.current.onChanged?.();
        },
      },
    });
  };

  const maxMb = sizeNumber(MAX_ATTACHMENT_BYTES / MB, locale);

  return (
    <section className="attachments" aria-labelledby="attachments-title" data-testid="attachments" aria-busy={busy !== null || !loaded}>
      <div className="attachments-header">
        <h2 id="attachments-title">{t("attachments.title")}</h2>
        {!readOnly && (
          // A real file input (end-to-end tests send it a path), hidden inside a label styled as a button.
          <label className="btn btn-small attachment-add" aria-disabled={busy !== null ? "true" : undefined} title={t("attachments.addHint", { max: maxMb })}>
            <Icon name="plus" size={12} /> {t("attachments.add")}
            <input
              type="file"
              multiple
              className="visually-hidden"
              data-testid="attachment-input"
              disabled={busy !== null}
              onChange={(e) => void addFiles(e)}
            />
          </label>
        )}
      </div>

      {busy && (
        <p className="muted attachments-busy" role="status" aria-busy="true" data-testid="attachment-busy">
          {busy.total > 1
            ? t("attachments.addingMany", { name: busy.name, current: sizeNumber(busy.current, locale), total: sizeNumber(busy.total, locale) })
            : t("attachments.adding", { name: busy.name })}
        </p>
      )}

      {(errors.length > 0 || loadError !== null) && (
        <div className="field-error attachments-error" role="alert" data-testid="attachment-error">
          {loadError !== null && (
            <p>
              {t("attachments.loadFailed", { message: loadError })}{" "}
              <button type="button" className="btn btn-small" onClick={() => void reload()}>
                {t("common.retry")}
              </button>
            </p>
          )}
          {errors.map((message, i) => (
            <p key={i}>{message}</p>
          ))}
        </div>
      )}

      {!loaded ? (
        <p className="muted">{t("common.loading")}</p>
      ) : items.length === 0 ? (
        loadError === null && (
          <p className="muted" data-testid="attachments-empty">
            {readOnly ? t("attachments.emptyReadOnly") : t("attachments.empty", { max: maxMb })}
          </p>
        )
      ) : (
        <ul className="attachment-list">
          {items.map((attachment) => (
            <li key={attachment.id} className="attachment-row" data-testid="attachment-row" data-id={attachment.id}>
              <Icon name="file" size={16} />
              <div className="attachment-main">
                <button
                  type="button"
                  className="link-button attachment-name"
                  data-testid="attachment-name"
                  title={t("attachments.openTitle", { name: attachment.name })}
                  onClick={() => void open(attachment)}
                >
                  {attachment.name}
                </button>
                <div className="attachment-meta">
                  <span data-testid="attachment-size">{formatFileSize(attachment.size, locale, t)}</span>
                  {" · "}
                  {isSelfAuthor(attachment.addedBy)
                    ? t("attachments.addedByMe", { date: formatDateTime(attachment.addedAt, locale) })
                    : t("attachments.addedBy", {
                        name: attachment.addedBy || t("attachments.unknownAuthor"),
                        date: formatDateTime(attachment.addedAt, locale),
                      })}
                </div>
              </div>
              <button
                type="button"
                className="btn btn-small"
                data-testid="attachment-open"
                disabled={opening === attachment.id}
                aria-busy={opening === attachment.id}
                title={t("attachments.openTitle", { name: attachment.name })}
                onClick={() => void open(attachment)}
              >
                {t("attachments.open")}
              </button>
              {!readOnly && (
                <button
                  type="button"
                  className="btn btn-small btn-ghost btn-danger"
                  data-testid="attachment-delete"
                  title={t("attachments.deleteTitle", { name: attachment.name })}
                  onClick={() => void remove(attachment)}
                >
                  {t("attachments.delete")}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
