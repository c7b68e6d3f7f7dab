import { Channel } from "@tauri-apps/api/core";
import { useEffect, useId, useRef, useState, type ChangeEvent } from "react";
import { useTranslation } from "react-i18next";
import {
  commands,
  type ColumnMap,
  type FileFormat,
  type ImportCheck,
  type ImportField,
  type ImportPreview,
  type ImportProgress,
  type ImportSummary,
  type TextEncoding,
} from "../bindings";
import { customersChanged } from "../lib/events";
import { formatNumber } from "../lib/format";
import { call } from "../lib/result";
import { useRouter } from "../lib/router";
import { useToast } from "../lib/toast";
import { importOpenBytes, MAX_IMPORT_BYTES } from "./importApi";
import { fieldLabel } from "./customFields";
import { columnChoice, IGNORE, IMPORT_FIELDS, mapColumn, parseColumnChoice, sampleValues, TEXT_ENCODINGS } from "./importMapping";
import { useCustomFields } from "./useCustomFields";

const ACCEPT = ".csv,.vcf,.vcard,.txt,text/csv,text/vcard";
const MB = 1024 * 1024;
/** New companies named in the summary; the count covers the rest. */
const COMPANY_NAMES_SHOWN = 10;
const FORMAT_NAMES: Record<FileFormat, string> = { csv: "CSV", vcard: "vCard" };
/** The vCard sample's columns come from the core in English; these are the fields they show. */
const VCARD_COLUMNS: Record<string, ImportField> = { Name: "name", Company: "company", Phone: "phone", Email: "email" };

/** What the page is waiting for; while it waits, every control but Cancel is disabled. */
type Busy = "opening" | "reopening" | "checking" | "committing" | null;

/**
 * Import customers from a CSV or vCard file: pick, preview (encoding, column mapping), check
 * (counts and refused rows, nothing written), confirm (one transaction, with progress and
 * Cancel). The backend keeps the file between steps; this page only holds what it shows.
 */
function isVcard(file: File): boolean {
  return /\.(vcf|vcard)$/i.test(file.name);
}

/** Several vCard files as one: the cards back to back, each file ending on a line break. */
async function joinCards(files: File[]): Promise<ArrayBuffer> {
  const parts = await Promise.all(files.map((f) => f.arrayBuffer()));
  const newline = new Uint8Array([13, 10]);
  const size = parts.reduce((sum, p) => sum + p.byteLength + 2, 0);
  const out = new Uint8Array(size);
  let at = 0;
  for (const p of parts) {
    out.set(new Uint8Array(p), at);
    at += p.byteLength;
    out.set(newline, at);
    at += 2;
  }
  return out.buffer;
}

export function ImportPage() {
  const { t, i18n } = useTranslation();
  const { navigate } = useRouter();
  const toast = useToast();
  const fmt = (value: number) => formatNumber(value, i18n.language);

  const [busy, setBusy] = useState<Busy>(null);
  const [openingName, setOpeningName] = useState("");
  const [preview, setPreview] = useState<ImportPreview | null>(null);
  const [mapping, setMapping] = useState<ColumnMap[]>([]);
  const [check, setCheck] = useState<ImportCheck | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [progress, setProgress] = useState<ImportProgress | null>(null);
  const [cancelling, setCancelling] = useState(false);
  const [summary, setSummary] = useState<ImportSummary | null>(null);
  // A fresh file input after "Import another file", so it no longer names the last file.
  const [inputKey, setInputKey] = useState(0);
  // The commit goes on if the user leaves the page; its outcome then arrives as a toast.
  const mounted = useRef(true);
  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);

  const locked = busy !== null;
  const doneText = (s: ImportSummary) =>
    t("import.done", { created: fmt(s.created), updated: fmt(s.updated), skipped: fmt(s.skipped) });

  const startOver = () => {
    setError(null);
    setNotice(null);
    setPreview(null);
    setMapping([]);
    setCheck(null);
  };

  const showPreview = (next: ImportPreview) => {
    setPreview(next);
    setMapping(next.headers.map((_, i) => next.mapping[i] ?? IGNORE));
    setCheck(null);
  };

  const openFile = async (event: ChangeEvent<HTMLInputElement>) => {
    const files = [...(event.currentTarget.files ?? [])];
    const [first] = files;
    if (!first) return;
    startOver();
    // Several files are fine when they are all vCards (a phone's export, one card per file):
    // cards one after another are one valid vCard file.
    if (files.length > 1 && !files.every(isVcard)) {
      setError(t("import.severalFiles"));
      return;
    }
    const total = files.reduce((sum, f) => sum + f.size, 0);
    const name = files.length === 1 ? first.name : t("import.cardFiles", { count: files.length });
    // Refused before reading: a file this large would only be read to be refused. In the core's
    // words for the same refusal (FileProblem::TooLarge).
    if (total > MAX_IMPORT_BYTES) {
      setError(t("messages:file.tooLarge", { mb: fmt(Math.ceil(total / MB)), max: fmt(MAX_IMPORT_BYTES / MB) }));
      return;
    }
    setBusy("opening");
    setOpeningName(name);
    let bytes: ArrayBuffer;
    try {
      bytes = files.length === 1 ? await first.arrayBuffer() : await joinCards(files);
    } catch {
      setBusy(null);
      setError(t("import.readFailed", { name }));
      return;
    }
    const result = await call(importOpenBytes(bytes, files.length === 1 ? name : "cards.vcf"));
    setBusy(null);
    if (result.status === "error") setError(result.error.message);
    else showPreview(result.data);
  };

  const reopen = async (encoding: TextEncoding) => {
    setError(null);
    setNotice(null);
    setBusy("reopening");
    const result = await call(commands.importReopen(encoding, null));
    setBusy(null);
    // A refused encoding leaves the backend on the file as it was, and so does the page.
    if (result.status === "error") setError(result.error.message);
    else showPreview(result.data);
  };

  const remap = (index: number, choice: string) => {
    const { field, customFieldId } = parseColumnChoice(choice);
    setMapping((current) => current.map((column, i) => (i === index ? mapColumn(preview?.mapping[index], index, field, customFieldId) : column)));
    setCheck(null);
    setNotice(null);
  };

  const runCheck = async () => {
    if (!preview) return;
    setError(null);
    setNotice(null);
    setBusy("checking");
    const result = await call(commands.importCheck(preview.format === "csv" ? mapping : null));
    setBusy(null);
    if (result.status === "error") setError(result.error.message);
    else setCheck(result.data);
  };

  const commit = async () => {
    if (!check) return;
    setError(null);
    setNotice(null);
    setCancelling(false);
    setProgress({ done: 0, total: check.valid });
    setBusy("committing");
    const channel = new Channel<ImportProgress>();
    channel.onmessage = (p) => setProgress(p);
    const result = await call(commands.importCommit(channel));
    setBusy(null);
    setProgress(null);
    setCancelling(false);
    if (result.status === "ok") {
      customersChanged();
      if (!mounted.current) {
        toast.show({ message: doneText(result.data), kind: "import" });
        return;
      }
      startOver();
      setSummary(result.data);
      return;
    }
    // The backend still holds the file: the user can check again and confirm, or pick another.
    setCheck(null);
    if (result.error.code === "cancelled") setNotice(result.error.message);
    else if (mounted.current) setError(result.error.message);
    else toast.show({ message: t("import.failedToast", { message: result.error.message }), tone: "error", kind: "import" });
  };

  const cancel = async () => {
    setCancelling(true);
    const result = await call(commands.importCancel());
    if (result.status === "error") {
      setCancelling(false);
      setError(result.error.message);
    }
  };

  const another = () => {
    startOver();
    setSummary(null);
    setInputKey((k) => k + 1);
  };

  return (
    <section className="page" aria-labelledby="import-title" data-testid="import-page">
      <header className="page-header">
        <h1 id="import-title">{t("import.title")}</h1>
        <button type="button" className="btn btn-ghost" onClick={() => navigate({ name: "customers" })}>
          {t("detail.backToList")}
        </button>
      </header>
      <div className="page-body">
        <div className="import">
          {summary ? (
            <section className="card" data-testid="import-done" role="status">
              <h2>{t("import.doneTitle")}</h2>
              <p data-testid="import-done-text">{doneText(summary)}</p>
              <div className="import-actions">
                <button type="button" className="btn btn-primary" data-testid="import-go-list" onClick={() => navigate({ name: "customers" })}>
                  {t("import.goToList")}
                </button>
                <button type="button" className="btn" data-testid="import-again" onClick={another}>
                  {t("import.another")}
                </button>
              </div>
            </section>
          ) : (
            <>
              <section className="card">
                <h2>
                  <label htmlFor="import-file">{t("import.chooseFile")}</label>
                </h2>
                <p className="muted import-help">{t("import.chooseFileHelp")}</p>
                {/* The native control's button text follows the toolkit's language, not the app's:
                    a translated label styled as a button holds the real (hidden) file input, which
                    end-to-end tests still send a path to. */}
                <label className="btn" aria-disabled={locked ? "true" : undefined}>
                  {t("import.pickFile")}
                  <input
                    key={inputKey}
                    id="import-file"
                    type="file"
                    accept={ACCEPT}
                    className="visually-hidden"
                    data-testid="import-file-input"
                    multiple
                    disabled={locked}
                    // Picking the same file again (edited meanwhile) must still count as a choice.
                    onClick={(e) => {
                      e.currentTarget.value = "";
                    }}
                    onChange={(e) => void openFile(e)}
                  />
                </label>
                {busy === "opening" && (
                  <p className="muted import-help" role="status" aria-busy="true" data-testid="import-opening">
                    {t("import.reading", { name: openingName })}
                  </p>
                )}
              </section>

              {preview && (
                <PreviewCard
                  preview={preview}
                  mapping={mapping}
                  locked={locked}
                  busy={busy}
                  checked={check !== null}
                  onEncoding={(e) => void reopen(e)}
                  onMap={remap}
                  onCheck={() => void runCheck()}
                />
              )}

              {error && (
                <p className="field-error import-alert" role="alert" data-testid="import-error">
                  {error}
                </p>
              )}
              {notice && (
                <p className="banner" role="status" data-testid="import-cancelled">
                  {notice}
                </p>
              )}

              {check && (
                <CheckCard
                  check={check}
                  locked={locked}
                  progress={busy === "committing" ? progress : null}
                  cancelling={cancelling}
                  onConfirm={() => void commit()}
                  onCancel={() => void cancel()}
                />
              )}
            </>
          )}
        </div>
      </div>
    </section>
  );
}

type PreviewProps = {
  preview: ImportPreview;
  mapping: ColumnMap[];
  locked: boolean;
  busy: Busy;
  checked: boolean;
  onEncoding: (encoding: TextEncoding) => void;
  /** `choice` is a field, or "custom:<field id>". */
  onMap: (index: number, choice: string) => void;
  onCheck: () => void;
};

function PreviewCard({ preview, mapping, locked, busy, checked, onEncoding, onMap, onCheck }: PreviewProps) {
  const { t, i18n } = useTranslation();
  const encodingId = useId();
  const formatted = formatNumber(preview.rows, i18n.language);
  const csv = preview.format === "csv";
  // Said before the import, not found missing after it: the columns with values that map to
  // nothing ("Not imported: Job Title, Department"), and how many empty ones are folded away.
  const column = (i: number) => preview.headers[i] || t("import.untitledColumn", { number: i + 1 });
  const ignored = (i: number) => (mapping[i]?.field ?? "ignore") === "ignore";
  const emptyColumns = preview.headers.filter((_, i) => preview.empty[i] && ignored(i)).length;
  const notImported = preview.headers.flatMap((_, i) => (ignored(i) && !preview.empty[i] ? [column(i)] : []));
  const { fields: customFields } = useCustomFields();
  // Custom fields the mapping names but that are not live (any more) stay selectable.
  const customChoices = [
    ...customFields.map((field) => ({ id: field.id, label: fieldLabel(field, i18n.language) })),
    ...mapping
      .filter((m) => m.field === "custom" && !customFields.some((f) => f.id === m.label))
      .map((m) => ({ id: m.label, label: m.label })),
  ].filter((choice, i, all) => all.findIndex((c) => c.id === choice.id) === i);

  return (
    <section className="card" data-testid="import-preview" aria-labelledby="import-file-name">
      <h2 id="import-file-name" data-testid="import-file-name">
        {preview.name}
      </h2>
      <dl className="fields import-facts">
        <dt>{t("import.format")}</dt>
        <dd data-testid="import-format">{FORMAT_NAMES[preview.format]}</dd>
        <dt>{t("import.size")}</dt>
        <dd data-testid="import-rows">
          {csv ? t("import.rows", { count: preview.rows, formatted }) : t("import.cards", { count: preview.rows, formatted })}
        </dd>
        <dt>
          <label htmlFor={encodingId}>{t("import.encoding")}</label>
        </dt>
        <dd className="import-encoding">
          <select
            id={encodingId}
            className="select"
            data-testid="import-encoding"
            value={preview.encoding}
            disabled={locked}
            aria-busy={busy === "reopening"}
            onChange={(e) => onEncoding(e.target.value as TextEncoding)}
          >
            {TEXT_ENCODINGS.map((encoding) => (
              <option key={encoding} value={encoding}>
                {t(`importEncoding.${encoding}`)}
              </option>
            ))}
          </select>
          <span className="muted">{t("import.encodingHelp")}</span>
        </dd>
        {preview.dialect !== "other" && (
          <>
            <dt>{t("import.recognized")}</dt>
            <dd data-testid="import-dialect" data-dialect={preview.dialect}>
              {t(`importDialect.${preview.dialect}`)}
            </dd>
          </>
        )}
      </dl>

      {csv ? (
        <div className="import-table-scroll">
          <table className="import-table" data-testid="import-mapping">
            <thead>
              <tr>
                <th scope="col">{t("import.columnInFile")}</th>
                <th scope="col">{t("import.becomes")}</th>
                <th scope="col">{t("import.examples")}</th>
              </tr>
            </thead>
            <tbody>
              {preview.headers.map((header, i) => {
                const field = mapping[i]?.field ?? "ignore";
                const choice = columnChoice(mapping[i]);
                const name = header || t("import.untitledColumn", { number: i + 1 });
                // A column no row fills (an Outlook export has dozens) is folded away unless it was
                // mapped; its select keeps its number, so the others' testids do not move.
                if (preview.empty[i] && field === "ignore") return null;
                return (
                  <tr key={i} className={field === "ignore" ? "import-ignored" : undefined} data-testid="import-map-row">
                    <th scope="row">{name}</th>
                    <td>
                      <select
                        className="select"
                        data-testid={`import-map-${i}`}
                        aria-label={t("import.mapColumn", { column: name })}
                        value={choice}
                        disabled={locked}
                        onChange={(e) => onMap(i, e.target.value)}
                      >
                        {IMPORT_FIELDS.filter((f) => f !== "custom").map((f) => (
                          <option key={f} value={f}>
                            {t(`importField.${f}`)}
                          </option>
                        ))}
                        {customChoices.length > 0 && (
                          <optgroup label={t("importField.custom")}>
                            {customChoices.map((c) => (
                              <option key={c.id} value={`custom:${c.id}`}>
                                {c.label}
                              </option>
                            ))}
                          </optgroup>
                        )}
                      </select>
                    </td>
                    <td>
                      <div className="import-samples">
                        {sampleValues(preview.sample, i).map((value, k) => (
                          <span key={k} className={value ? "import-sample" : "import-sample faint"} title={value}>
                            {value || "—"}
                          </span>
                        ))}
                      </div>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          {emptyColumns > 0 && (
            <p className="muted" data-testid="import-empty-columns">
              {t("import.emptyColumns", { count: emptyColumns, formatted: formatNumber(emptyColumns, i18n.language) })}
            </p>
          )}
          {notImported.length > 0 && (
            <p data-testid="import-not-imported">{t("import.notImported", { columns: notImported.join(t("import.listJoin")) })}</p>
          )}
        </div>
      ) : (
        <div className="import-table-scroll">
          <table className="import-table" data-testid="import-sample">
            <thead>
              <tr>
                {preview.headers.map((header, i) => (
                  <th key={i} scope="col">
                    {VCARD_COLUMNS[header] ? t(`importField.${VCARD_COLUMNS[header]}`) : header}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {preview.sample.map((row, r) => (
                <tr key={r}>
                  {preview.headers.map((_, c) => (
                    <td key={c}>{row[c] ?? ""}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      <div className="import-actions">
        <button
          type="button"
          className={checked ? "btn" : "btn btn-primary"}
          data-testid="import-check"
          disabled={locked}
          aria-busy={busy === "checking"}
          onClick={onCheck}
        >
          {busy === "checking" ? t("import.checking") : t("import.check")}
        </button>
        <span className="muted">{t("import.checkHelp")}</span>
      </div>
    </section>
  );
}

type CheckProps = {
  check: ImportCheck;
  locked: boolean;
  /** Set while the commit runs. */
  progress: ImportProgress | null;
  cancelling: boolean;
  onConfirm: () => void;
  onCancel: () => void;
};

function CheckCard({ check, locked, progress, cancelling, onConfirm, onCancel }: CheckProps) {
  // Scrolled into view once, as the import starts: the bar and Cancel sit below the confirm
  // button, often under the fold after a long check result.
  const progressRef = useRef<HTMLDivElement>(null);
  const running = progress !== null;
  useEffect(() => {
    if (running) progressRef.current?.scrollIntoView({ block: "nearest" });
  }, [running]);
  const { t, i18n } = useTranslation();
  const fmt = (value: number) => formatNumber(value, i18n.language);

  const names = check.newCompanies;
  const shown = names.slice(0, COMPANY_NAMES_SHOWN).join(t("import.nameSeparator"));
  const hidden = names.length - COMPANY_NAMES_SHOWN;
  const companies =
    names.length === 0
      ? t("import.noNewCompanies")
      : t("import.newCompanies", {
          count: names.length,
          formatted: fmt(names.length),
          names: hidden > 0 ? t("import.namesAndMore", { names: shown, formatted: fmt(hidden) }) : shown,
        });
  const unshownErrors = check.errorCount - check.errors.length;
  // What the file holds, apart from what its company column makes: "1,001 people, plus 940 new
  // companies from their company column", never one total the file does not show.
  const count = (key: string, n: number) => t(key, { count: n, formatted: fmt(n) });
  const held = [count("import.holdsPeople", check.people), ...(check.companies > 0 ? [count("import.holdsCompanies", check.companies)] : [])];
  const made = names.length > 0 ? [count("import.newCompanyCount", names.length)] : [];
  const holds = t("import.holds", {
    what: held.join(t("import.listJoin")),
    plus: names.length > 0 ? count("import.plusNewCompanies", names.length) : "",
  });

  return (
    <section className="card" aria-labelledby="import-check-title">
      <h2 id="import-check-title">{t("import.checkTitle")}</h2>
      <div data-testid="import-summary" role="status">
        <p data-testid="import-holds">{holds}</p>
        <p>{t("import.summary", { create: fmt(check.create), update: fmt(check.update), companies })}</p>
        {check.errorCount > 0 ? (
          <p className="import-skipped">{t("import.skipped", { count: check.errorCount, formatted: fmt(check.errorCount) })}</p>
        ) : (
          <p className="muted">{t("import.noProblems")}</p>
        )}
        {check.valid === 0 && <p className="muted">{t("import.nothingToImport")}</p>}
      </div>

      {check.errors.length > 0 && (
        <div className="import-table-scroll">
          <table className="import-table" data-testid="import-errors">
            <thead>
              <tr>
                <th scope="col">{t("import.errorRow")}</th>
                <th scope="col">{t("import.errorColumn")}</th>
                <th scope="col">{t("import.errorProblem")}</th>
              </tr>
            </thead>
            <tbody>
              {check.errors.map((e, k) => (
                <tr key={k} data-testid="import-error-row" data-row={e.row}>
                  <td className="import-row-number">{fmt(e.row)}</td>
                  <td>{e.column || <span className="faint">—</span>}</td>
                  <td>{e.message}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {unshownErrors > 0 && (
        <p className="muted" data-testid="import-errors-more">
          {t("import.moreErrors", { formatted: fmt(unshownErrors) })}
        </p>
      )}

      <div className="import-actions">
        <button type="button" className="btn btn-primary" data-testid="import-confirm" disabled={locked || check.valid === 0} onClick={onConfirm}>
          {t("import.confirmWhat", { what: [...held, ...made].join(t("import.listJoin")) })}
        </button>
        {!progress && <span className="muted">{t("import.confirmHelp")}</span>}
      </div>

      {progress && (
        <div className="import-progress" ref={progressRef}>
          <progress
            data-testid="import-progress"
            max={Math.max(1, progress.total)}
            value={progress.done}
            aria-label={t("import.importing")}
          />
          <span data-testid="import-progress-text">
            {t("import.progress", { done: fmt(progress.done), total: fmt(progress.total) })}
          </span>
          <button type="button" className="btn" data-testid="import-cancel" disabled={cancelling} onClick={onCancel}>
            {cancelling ? t("import.cancelling") : t("action.cancel")}
          </button>
        </div>
      )}
    </section>
  );
}
