import { act } from "@testing-library/react";
import { afterEach, beforeEach, type Mock } from "vitest";
import i18n from "../i18n";
import { FakeSales } from "./fakeSales";
import { FakeService } from "./fakeService";
/**
 * An in-memory stand-in for the Rust commands, for UI tests only (never bundled: nothing outside
 * tests imports it). It answers `invoke(command, args)` with the shapes in bindings.ts and follows
 * the core's rules simply: enough to drive screens, not a copy of the core. Where it answers, it
 * answers as the core does: the shared scenarios (tests/scenarios/*.json) hold it to the real
 * commands (scenarios.test.ts here, src-tauri/tests/commands.rs there), and its refusals are the
 * core's (`reason`, `params`, and the words of the shared `messages` catalogue). The real IPC is
 * tested end-to-end against the Tauri window elsewhere.
 */
import type {
  Activity,
  ActivityInput,
  AppError,
  AppInfo,
  Attachment,
  ChangeGroup,
  ChoiceOption,
  ColumnMap,
  CsvDialect,
  Customer,
  CustomerKind,
  CustomField,
  CustomFieldInput,
  CustomValue,
  CustomerInput,
  Everything,
  IndexMode,
  RecordHit,
  FieldError,
  CustomerRow,
  DuplicateHint,
  DuplicatePair,
  ExportFormat,
  ExportResult,
  FileFormat,
  HistoryEntry,
  ImportCheck,
  ImportField,
  ImportPreview,
  ImportProgress,
  ImportSummary,
  ListPage,
  ListQuery,
  Locale,
  MatchField,
  MergeChoices,
  MergeOutcome,
  Pick,
  RecordKey,
  RowError,
  SearchHit,
  Segment,
  SegmentFilter,
  SyncProblem,
  SyncStatus,
  TextEncoding,
  TimelineItem,
  TimelinePage,
} from "../bindings";

/**
 * The fake's words are the core's: the shared catalogue (locales/<lang>/messages.json, the
 * `messages` namespace), in the language the UI last told it (set_locale), whatever i18next shows.
 */
function catalogue(locale: Locale) {
  // Keys are written "messages:<key>": the namespace on each, as the UI's own calls write it.
  return { t: i18n.getFixedT(locale), has: (key: string) => i18n.exists(key, { lng: locale }) };
}

/**
 * The core's field_label: "emails.1.value" reads "Email 2", "addresses.0.postalCode" "Address 1
 * postal code"; a field without words in the catalogue (`field.<name>`) is named as it is.
 */
function fieldLabel(field: string, locale: Locale): string {
  const { t, has } = catalogue(locale);
  const [head = field, second, sub] = field.split(".");
  const index = second !== undefined && /^\d+$/.test(second) ? Number(second) : null;
  const base = has(`messages:field.${head}`) ? t(`messages:field.${head}`) : head;
  const part = sub !== undefined && has(`messages:fieldPart.${sub}`) ? t(`messages:fieldPart.${sub}`) : "";
  return index === null ? base : t("messages:field.numbered", { base, n: index + 1, part });
}

/** Where the fake's log would be: the core names it in its storage and internal errors (`{{log}}`). */
const FAKE_LOG = "/home/user/.local/share/app.satchel.desktop/logs/satchel.log";

/** An AppError as the core builds one: its words from the catalogue, its reason and params for the UI. */
function coreError(locale: Locale, code: AppError["code"], reason: string, params: Record<string, string> = {}, field: string | null = null): AppError {
  if ((reason === "error.storage" || reason === "error.internal") && params.log === undefined) params = { ...params, log: FAKE_LOG };
  return { code, message: catalogue(locale).t(`messages:${reason}`, params), field, reason, params, fields: [] };
}

/** A refused value as the core words it: "Field: reason", the field named by `label` when given (a custom field's own label). */
function fieldError(locale: Locale, field: string, reason: string, params: Record<string, string> = {}, label?: string): FieldError {
  const { t } = catalogue(locale);
  const message = t("messages:error.fieldMessage", { field: label ?? fieldLabel(field, locale), reason: t(`messages:${reason}`, params) });
  return { field, message, reason, params };
}

/**
 * A refused form as the core answers it: every problem in `fields`, in the form's order, the
 * first also as the error's own `field`, `message`, `reason` and `params`.
 */
function validationError(problems: [FieldError, ...FieldError[]]): AppError {
  const [{ field, message, reason, params }] = problems;
  return { code: "validation", message, field, reason, params, fields: problems };
}

/** A single refused value: one entry in `fields`. */
function invalidError(locale: Locale, field: string, reason: string, params: Record<string, string> = {}, label?: string): AppError {
  return validationError([fieldError(locale, field, reason, params, label)]);
}

/** Whether a thrown value is a refusal of values (an AppError of code "validation"), not a bug. */
const isValidation = (e: unknown): e is AppError => typeof e === "object" && e !== null && !(e instanceof Error) && (e as AppError).code === "validation";

/** RFC 3339 with an explicit offset ("Z" or ±hh:mm), as the core requires. */
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const DURATION_MAX = 7 * 24 * 60;

/**
 * The core's split_extension: the number, and what follows the first extension marker people
 * write (转, 分机, ext, ext., extension, x, #); null without one.
 */
function splitExtension(s: string): [string, string | null] {
  const lower = s.toLowerCase();
  let best: [number, number] | null = null;
  for (const marker of ["分机", "转", "extension", "ext.", "ext", "x", "#"]) {
    const at = lower.indexOf(marker);
    if (at >= 0 && (best === null || at < best[0] || (at === best[0] && marker.length > best[1]))) best = [at, marker.length];
  }
  if (best === null) return [s, null];
  return [s.slice(0, best[0]).trimEnd(), s.slice(best[0] + best[1]).replace(/^[.:：\s]+/, "").trim()];
}

/**
 * A phone as the core compares it: the number without its extension, digits only, an
 * international 00 dropped, China's +86 folded into the national form (as normalize_phone).
 */
function phoneDigits(phone: string): string {
  const d = splitExtension(phone)[0].replace(/\D/g, "").replace(/^00/, "");
  if (!d.startsWith("86")) return d;
  const national = d.slice(2);
  if (national.length === 11 && national.startsWith("1")) return national;
  if (national.length >= 9 && national.length <= 11 && !national.startsWith("0")) return `0${national}`;
  return d;
}

/**
 * The core's email check (validate.rs), simply: no spaces, one "@" with something before it (no
 * dot first, last or twice), and after it a domain of two or more labels of letters, digits and
 * inner hyphens. So `a@@example.com`, `two words@example.com` and `name@` are refused.
 */
function isValidEmail(s: string): boolean {
  if (/\s/u.test(s) || s.length > 254) return false;
  const parts = s.split("@");
  if (parts.length !== 2) return false;
  const [local = "", domain = ""] = parts;
  if (local === "" || local.length > 64 || local.startsWith(".") || local.endsWith(".") || local.includes("..")) return false;
  const labels = domain.split(".");
  return labels.length >= 2 && labels.every((l) => l.length > 0 && l.length <= 63 && !l.startsWith("-") && !l.endsWith("-") && /^[\p{L}\p{N}-]+$/u.test(l));
}

/** The core's phone check: digits and the separators people type, 5 to 20 digits, an optional extension of 1 to 8 digits. */
function isValidPhone(s: string): boolean {
  const [main, ext] = splitExtension(s);
  const extOk = ext === null || /^\d{1,8}$/.test(ext);
  const charsOk = /^[\d +\-().\/]*$/.test(main);
  const plusOk = !main.trimStart().slice(1).includes("+");
  const digits = main.replace(/\D/g, "").length;
  return extOk && charsOk && plusOk && digits >= 5 && digits <= 20;
}

/** Search's phone matching: only the digits, whatever separators were typed. */
const digitsOf = (s: string) => s.replace(/\D/g, "");

const DECODERS: Record<TextEncoding, string> = { utf8: "utf-8", gbk: "gbk", gb18030: "gb18030", utf16: "utf-16le" };
/** How the core names an encoding in its messages (TextEncoding::label). */
const ENCODING_LABELS: Record<TextEncoding, string> = { utf8: "UTF-8", gbk: "GBK", gb18030: "GB18030", utf16: "UTF-16" };
/** The core's vCard preview columns, and what each becomes. */
const VCARD_COLUMNS: ColumnMap[] = (["name", "company", "phone", "email"] as const).map((field, i) => ({ field, group: i, label: "" }));

/** Header words the fake recognises, loosely like the core's guesses. */
function suggestColumn(header: string, index: number): ColumnMap {
  const plain = (field: ImportField): ColumnMap => ({ field, group: 0, label: "" });
  switch (header.trim().toLowerCase()) {
    case "id":
      return plain("id");
    case "name":
    case "姓名":
      return plain("name");
    case "given name":
      return plain("given_name");
    case "family name":
      return plain("family_name");
    case "company":
    case "公司":
      return plain("company");
    case "stage":
      return plain("stage");
    // As the core's csv.rs names them (Outlook, Google, Chinese spreadsheets).
    case "job title":
    case "organization title":
    case "position":
    case "职位":
    case "职务":
    case "岗位":
    case "头衔":
      return plain("job_title");
    case "department":
    case "organization department":
    case "部门":
    case "所属部门":
      return plain("department");
    case "phone":
    case "电话":
      return { field: "phone", group: 100 + index, label: "work" };
    case "mobile":
    case "手机":
      return { field: "phone", group: 100 + index, label: "mobile" };
    case "email":
    case "邮箱":
      return { field: "email", group: 100 + index, label: "" };
    case "city":
      return { field: "city", group: 1, label: "" };
    default:
      return plain("ignore");
  }
}

type FakeImportFile = {
  name: string;
  bytes: Uint8Array;
  format: FileFormat;
  encoding: TextEncoding;
  headers: string[];
  rows: string[][];
  mapping: ColumnMap[];
  dialect: CsvDialect;
};
/** The single-valued columns a merge writes on the survivor. */
type MergedColumns = { [K in "name" | "companyId" | "owner" | "stage" | "source" | "jobTitle" | "department" | "birthday" | "notes"]: Customer[K] };
/** What undo_merge needs: both records as they were, the columns the merge set, and what moved. */
type FakeMerge = {
  keep: Customer;
  other: Customer;
  set: MergedColumns;
  moved: { phones: Customer["phones"]; emails: Customer["emails"]; addresses: Customer["addresses"]; tags: string[]; custom: CustomValue[] };
  activities: string[];
  people: string[];
  attachments: string[];
};

type FakeImportPlan = {
  records: { input: CustomerInput; company: string | null; existing: string | null }[];
  companies: string[];
  errorCount: number;
};

/** A custom field as the fake stores it: removed ones stay, hidden. */
/** A field of customers (no `recordType`) or of another record type (deals, quotes, contracts). */
type FakeField = CustomField & { deleted: boolean; recordType?: string };

export class FakeBackend {
  customers = new Map<string, Customer>();
  /** Every custom field ever made, removed ones included; their values stay on the customers. */
  fields: FakeField[] = [];
  history: (HistoryEntry & { id: string })[] = [];
  activities = new Map<string, Activity & { deleted: boolean }>();
  /** Saved segments, deleted ones included (restore_segment brings them back). */
  segments = new Map<string, { id: string; name: string; filter: SegmentFilter; deleted: boolean }>();
  /** Every attachment ever added, deleted ones included; `gone` ones have lost their file. */
  attachments = new Map<string, Attachment & { deleted: boolean; gone: boolean }>();
  locale: Locale = "en";
  /**
   * Who signs this window's changes, as the core's profile: the OS user and host, or the core's
   * words "me" and "this computer" when the system names neither.
   */
  author = "Tester";
  device = "test-laptop";
  /** What sync_problems answers: changes sync set aside (tests set them directly). */
  syncProblems: SyncProblem[] = [];
  /** Whether attachments' files are fetched ahead at each sync (Settings → Sync). */
  fetchAhead = false;
  /** What `customer_index_mode` answers: the core's lean mode is tested in Rust (`tests/core/lean.rs`). */
  indexMode: IndexMode = { mode: "inMemory" };
  /** What sync_status answers; connect and disconnect change it, tests set it directly. */
  sync: SyncStatus = { state: "off", server: null, email: null, pending: 0, lastSyncAt: null, error: null, progress: null, lastReport: null, tokenPlace: null, version: 0 };
  /** The password sync_connect accepts. */
  syncPassword = "secret";
  /** Values from another device that lost a concurrent edit, by restore token. */
  lostValues = new Map<string, { customerId: string; field: string; value: string }>();
  calls: { command: string; args: Record<string, unknown> }[] = [];
  /** The sales module's records and settings (fakeSales.ts). */
  sales = new FakeSales();
  /** The service module's tickets, articles and settings (fakeService.ts). */
  service = new FakeService();
  /** How many refused rows import_check returns (the core's ERRORS_SHOWN); errorCount has all. */
  importErrorsShown = 1000;
  private importFile: FakeImportFile | null = null;
  private importPlan: FakeImportPlan | null = null;
  private importCancelled = false;
  private commitGate: { promise: Promise<void>; release: () => void } | null = null;
  private merges = new Map<string, FakeMerge>();
  private clock = Date.parse("2025-03-01T08:00:00Z");
  private seq = 0;

  private now(): string {
    this.clock += 60_000;
    return new Date(this.clock).toISOString();
  }

  /** Refuses as the core does for anything but a field's value: `reason` a key of the shared catalogue. */
  private fail(code: AppError["code"], reason: string, params: Record<string, string> = {}): never {
    throw coreError(this.locale, code, reason, params);
  }

  /** Refuses a field's value as the core does: "Name: is required", the reason alone in `reason`. */
  private invalid(field: string, reason: string, params: Record<string, string> = {}, label?: string): never {
    throw invalidError(this.locale, field, reason, params, label);
  }

  /** The core's NotFound, whatever was not found. */
  private notFound(): never {
    return this.fail("not_found", "error.notFound");
  }

  seed(input: Partial<CustomerInput> & { name: string }): Customer {
    return this.create({
      kind: "person",
      companyId: null,
      owner: "",
      stage: "lead",
      source: "",
      notes: "",
      birthday: null,
      tags: [],
      phones: [],
      emails: [],
      addresses: [],
      ...input,
    });
  }

  /** Adds a custom field straight to the store (as the editor would create it). */
  seedField(input: Partial<CustomFieldInput> & { labelEn: string }): CustomField {
    return this.createField({ scope: "both", kind: "text", labelZh: "", options: [], ...input });
  }

  private liveFields(recordType = "customer"): CustomField[] {
    return this.fields.filter((f) => !f.deleted && (f.recordType ?? "customer") === recordType).map(({ deleted: _deleted, recordType: _type, ...field }) => field);
  }

  private field(id: string): FakeField {
    return this.fields.find((f) => f.id === id && !f.deleted) ?? this.notFound();
  }

  /** The core's rules for the editor, simply: a label, the kind fixed, options for choices. */
  private checkFieldInput(input: CustomFieldInput, existing?: FakeField): CustomFieldInput {
    const labelEn = input.labelEn.trim();
    const labelZh = input.labelZh.trim();
    if (labelEn === "" && labelZh === "") this.invalid("labelEn", "invalid.required");
    for (const [key, label] of [["labelEn", labelEn], ["labelZh", labelZh]] as const) {
      if ([...label].length > 60) this.invalid(key, "invalid.tooLong", { max: "60" });
    }
    // Like the core: changing the kind would reinterpret every stored value.
    if (existing && existing.kind !== input.kind) this.invalid("kind", "invalid.oneOf", { value: input.kind, allowed: existing.kind });
    const options: ChoiceOption[] = [];
    if (input.kind === "choice" || input.kind === "multi") {
      let next = Math.max(0, ...(existing?.options ?? []).map((o) => Number(o.key.slice(1)) || 0)) + 1;
      input.options.forEach((o, i) => {
        const [en, zh] = [o.en.trim(), o.zh.trim()];
        if (en === "" && zh === "") return;
        if (options.some((x) => (en !== "" && x.en === en) || (zh !== "" && x.zh === zh))) this.invalid(`options.${i}`, "invalid.duplicate");
        const key = o.key !== "" && existing?.options.some((x) => x.key === o.key) ? o.key : `o${next++}`;
        options.push({ key, en, zh });
      });
      // Like the core: options are never dropped, only renamed.
      for (const old of existing?.options ?? []) if (!options.some((o) => o.key === old.key)) options.push(old);
      if (options.length === 0) this.invalid("options", "invalid.required");
    }
    return { scope: input.scope, kind: input.kind, labelEn, labelZh, options };
  }

  private createField(input: CustomFieldInput, recordType?: string): CustomField {
    const clean = this.checkFieldInput(input);
    const field: FakeField = { id: `f${++this.seq}`, position: this.fields.length + 1, deleted: false, ...clean, ...(recordType && recordType !== "customer" ? { recordType } : {}) };
    this.fields.push(field);
    const { deleted: _deleted, recordType: _type, ...out } = field;
    return out;
  }

  private updateField(id: string, input: CustomFieldInput): CustomField {
    const existing = this.field(id);
    Object.assign(existing, this.checkFieldInput(input, existing));
    const { deleted: _deleted, recordType: _type, ...out } = existing;
    return out;
  }

  /** The core's Invalid::InField: the field named by its own label in the user's language (else the other). */
  private fieldMessage(field: CustomField, reason: string, params: Record<string, string> = {}): never {
    const [mine, other] = this.locale === "zh-CN" ? [field.labelZh, field.labelEn] : [field.labelEn, field.labelZh];
    return this.invalid(`custom.${field.id}`, reason, params, mine || other);
  }

  /** What a choice field accepts, as the core lists it: "English / 中文" per option. */
  private optionsText(field: CustomField): string {
    return field.options.map((o) => (o.zh === "" || o.zh === o.en ? o.en : `${o.en} / ${o.zh}`)).join(", ");
  }

  /** A value in stored form, or null when empty; refuses what the field cannot hold. */
  private cleanValue(field: CustomField, raw: string): string | null {
    const v = raw.trim();
    if (v === "") return null;
    const option = (text: string) => field.options.find((o) => o.key === text || o.en.toLowerCase() === text.toLowerCase() || o.zh === text);
    switch (field.kind) {
      case "number": {
        const plain = v.replace(/[,，\s]/g, "");
        if (!/^[+-]?(\d+\.?\d*|\.\d+)$/.test(plain)) this.fieldMessage(field, "invalid.number");
        return plain.replace(/^\+/, "");
      }
      case "date":
        if (!/^\d{4}-\d{2}-\d{2}$/.test(v) || Number.isNaN(Date.parse(`${v}T00:00:00Z`))) this.fieldMessage(field, "invalid.date");
        return v;
      case "choice":
        return (option(v) ?? this.fieldMessage(field, "invalid.oneOf", { value: v, allowed: this.optionsText(field) })).key;
      case "multi": {
        const keys = v.split(/[,;，；、]/).map((p) => p.trim()).filter(Boolean).map((p) => (option(p) ?? this.fieldMessage(field, "invalid.oneOf", { value: p, allowed: this.optionsText(field) })).key);
        const ordered = field.options.filter((o) => keys.includes(o.key)).map((o) => o.key);
        return ordered.length ? ordered.join(",") : null;
      }
      default:
        if ([...v].length > 2000) this.fieldMessage(field, "invalid.tooLong", { max: "2000" });
        return v;
    }
  }

  /**
   * The values a record keeps after a save: each live field that applies to its kind, checked;
   * values of removed fields are left as they were (they come back with the field).
   */
  private cleanCustom(kind: CustomerKind, values: CustomValue[] | undefined, before: CustomValue[] = []): CustomValue[] {
    const live = this.liveFields();
    const kept = before.filter((v) => !live.some((f) => f.id === v.fieldId));
    for (const field of live) {
      if (field.scope !== "both" && field.scope !== kind) continue;
      const given = [...(values ?? [])].reverse().find((v) => v.fieldId === field.id);
      const clean = given ? this.cleanValue(field, given.value) : null;
      if (clean !== null) kept.push({ fieldId: field.id, value: clean });
    }
    return kept;
  }

  /** Values of live fields only, as the core returns them. */
  private visibleCustom(c: Customer): CustomValue[] {
    const live = new Set(this.fields.filter((f) => !f.deleted).map((f) => f.id));
    return (c.custom ?? []).filter((v) => live.has(v.fieldId));
  }

  /** A stored customer as the commands return it. */
  /**
   * A record as get_customer answers it: a person's company named even when it is in the trash,
   * and marked deleted then (the link stays until the company is restored).
   */
  private out(c: Customer): Customer {
    const company = c.companyId ? this.customers.get(c.companyId) : undefined;
    return { ...c, custom: this.visibleCustom(c), companyName: company ? company.name : c.companyName, companyDeleted: Boolean(company?.deletedAt) };
  }

  private recordCustom(id: string, at: string, before: CustomValue[], after: CustomValue[]): void {
    const push = (field: string, oldValue: string | null, newValue: string | null) =>
      this.history.push({ id, at, author: this.author, device: this.device, field, oldValue, newValue, restore: null });
    for (const fieldId of new Set([...before, ...after].map((v) => v.fieldId))) {
      const old = before.find((v) => v.fieldId === fieldId)?.value ?? null;
      const now = after.find((v) => v.fieldId === fieldId)?.value ?? null;
      if (old === now) continue;
      if (now === null) push(`custom.${fieldId}.deleted_at`, null, at);
      else push(`custom.${fieldId}`, old, now);
    }
  }

  private usage(id: string): number {
    this.field(id);
    return [...this.customers.values()].filter((c) => !c.deletedAt && (c.custom ?? []).some((v) => v.fieldId === id)).length;
  }

  /**
   * Adds a value that came from another device and lost a concurrent edit of `field` (a plain
   * column of the customer, such as "stage" or "owner"): a history entry with a restore token.
   */
  seedLost(customerId: string, field: string, value: string, from: { author?: string; device?: string; at?: string } = {}): string {
    this.get(customerId);
    const token = `customers|${customerId}|${field}|${++this.seq}|site-2`;
    this.lostValues.set(token, { customerId, field, value });
    const at = from.at ?? this.now();
    this.history.push({ id: customerId, at, author: from.author ?? "Li Lei", device: from.device ?? "li-desktop", field, oldValue: null, newValue: value, restore: token });
    return token;
  }

  /** Restoring writes the lost value as an ordinary edit, logged like any other. */
  private restoreLost(token: string): null {
    const lost = this.lostValues.get(token) ?? this.notFound();
    const current = this.get(lost.customerId);
    const at = this.now();
    const before = current as unknown as Record<string, unknown>;
    this.record(current.id, at, { [lost.field]: before[lost.field] }, { [lost.field]: lost.value });
    this.customers.set(current.id, { ...current, [lost.field]: lost.value, updatedAt: at });
    return null;
  }

  /**
   * A failed connect as the desktop words it (commands/sync.rs, connect_error): the sync error's
   * own words under the field it concerns, with no params (the `why` is in the words only).
   */
  private syncFail(reason: string, field: "server" | "password", why?: string): never {
    const message = catalogue(this.locale).t(`messages:${reason}`, why === undefined ? {} : { why });
    throw { code: "sync", message, field, reason, params: {}, fields: [] } satisfies AppError;
  }

  /**
   * The core's connect, simply: empty fields refused by name, plain http only to this computer,
   * a host named "unreachable" cannot be reached, one password works. Like the core it answers
   * with the status as stored: connected, not synced yet.
   */
  private syncConnect(server: string, email: string, password: string): SyncStatus {
    for (const [field, value] of [["server", server], ["email", email], ["password", password]] as const) {
      if (value.trim() === "") this.invalid(field, "invalid.required");
    }
    const address = server.trim().replace(/\/+$/, "");
    const url = /^(https?):\/\/([^/:?]+)/.exec(address);
    if (!url) this.syncFail("sync.insecure", "server", `${address} is not a web address (https://...)`);
    if (url[1] === "http" && !["localhost", "127.0.0.1", "[::1]"].includes(url[2]!) && !url[2]!.startsWith("127.")) {
      this.syncFail("sync.insecure", "server", `${address} is plain HTTP; use https:// (plain http is only accepted for this computer)`);
    }
    if (url[2]!.includes("unreachable")) this.syncFail("sync.offline", "server");
    if (password !== this.syncPassword) this.syncFail("sync.wrongPassword", "password");
    this.sync = { ...this.sync, state: "offline", server: server.trim(), email: email.trim(), error: null, progress: null, tokenPlace: "keyring" };
    return this.sync;
  }

  /** Adds an activity straight to the store (its time as given, UTC), skipping the form. */
  seedActivity(customerId: string, input: Partial<ActivityInput> & { occurredAt: string }): Activity {
    return this.logActivity(customerId, { kind: "note", durationMinutes: null, outcome: "", body: "", ...input });
  }

  private logActivity(customerId: string, input: ActivityInput): Activity {
    const customer = this.get(customerId);
    if (customer.deletedAt) this.notFound();
    const activity: Activity = { id: `a${++this.seq}`, customerId, loggedBy: this.author, ...this.validActivity(input) };
    this.activities.set(activity.id, { ...activity, deleted: false });
    return activity;
  }

  private validActivity(input: ActivityInput): ActivityInput {
    if (!RFC3339.test(input.occurredAt.trim())) this.invalid("occurredAt", "invalid.dateTime");
    const minutes = input.durationMinutes;
    if (minutes !== null && (minutes < 0 || minutes > DURATION_MAX)) this.invalid("durationMinutes", "invalid.outOfRange", { min: "0", max: String(DURATION_MAX) });
    const [outcome, body] = [input.outcome.trim(), input.body.trimEnd()];
    if ([...outcome].length > 200) this.invalid("outcome", "invalid.tooLong", { max: "200" });
    if ([...body].length > 20_000) this.invalid("body", "invalid.tooLong", { max: "20000" });
    return { ...input, occurredAt: new Date(input.occurredAt).toISOString(), outcome, body };
  }

  private activity(id: string): Activity & { deleted: boolean } {
    const found = this.activities.get(id);
    return found && !found.deleted ? found : this.notFound();
  }

  /** The core's paging: items strictly older than `before`; a page never splits one instant. */
  private timeline(id: string, before: string | null, limit: number): TimelinePage {
    const groups = new Map<string, ChangeGroup>();
    for (const { id: owner, ...entry } of this.history) {
      if (owner !== id) continue;
      const key = `${entry.at}|${entry.author}|${entry.device}`;
      const group = groups.get(key) ?? { at: entry.at, author: entry.author, device: entry.device, entries: [] };
      group.entries.push(entry);
      groups.set(key, group);
    }
    const at = (item: TimelineItem) => (item.type === "activity" ? item.activity.occurredAt : item.changes.at);
    const items: TimelineItem[] = [
      ...[...this.activities.values()]
        .filter((a) => a.customerId === id && !a.deleted)
        .map(({ deleted: _deleted, ...activity }): TimelineItem => ({ type: "activity", activity })),
      ...[...groups.values()].map((changes): TimelineItem => ({ type: "changes", changes })),
    ]
      .filter((item) => before === null || at(item) < before)
      .sort((a, b) => at(b).localeCompare(at(a)));
    if (items.length <= limit) return { items, nextBefore: null };
    const edge = at(items[limit - 1]!);
    // Sorted newest first, so "at or after the edge" is a prefix: the page plus any ties.
    return { items: items.filter((item) => at(item) >= edge), nextBefore: edge };
  }

  /**
   * The core's form check (validate.rs `clean`, then the custom values and the company check in
   * repo.rs `checked`), simply: the input cleaned (trimmed; empty phone, email and address rows
   * and empty or repeated tags dropped) or refused naming every problem at once, in the core's
   * order, each under its field as the form shows it (`emails.1.value`).
   */
  private validate(input: CustomerInput, self: string | null = null): CustomerInput {
    const problems: FieldError[] = [];
    const add = (field: string, reason: string, params: Record<string, string> = {}) => problems.push(fieldError(this.locale, field, reason, params));
    const tooLong = (value: string, max: number) => [...value].length > max;
    const name = input.name.trim();
    if (name === "") add("name", "invalid.required");
    if (tooLong(name, 200)) add("name", "invalid.tooLong", { max: "200" });
    if (input.kind === "company" && input.companyId !== null) add("companyId", "invalid.onlyPeopleHaveACompany");
    const short = (field: string, value: string | undefined) => {
      const clean = (value ?? "").trim();
      if (tooLong(clean, 100)) add(field, "invalid.tooLong", { max: "100" });
      return clean;
    };
    const owner = short("owner", input.owner);
    const source = short("source", input.source);
    const jobTitle = short("jobTitle", input.jobTitle);
    const department = short("department", input.department);
    const notes = input.notes.trimEnd();
    if (tooLong(notes, 20_000)) add("notes", "invalid.tooLong", { max: "20000" });
    // As the core (validate.rs, time.rs parse_date): `YYYY-MM-DD` (or unpadded), a real day, not
    // after today; stored padded.
    let birthday = input.birthday?.trim() || null;
    if (birthday !== null) {
      const m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(birthday);
      const day = m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : null;
      if (!m || !day || day.getUTCMonth() !== Number(m[2]) - 1 || day.getUTCDate() !== Number(m[3])) add("birthday", "invalid.date");
      else if (day.toISOString().slice(0, 10) > new Date().toISOString().slice(0, 10)) add("birthday", "invalid.futureDate");
      else birthday = day.toISOString().slice(0, 10);
    }
    if (input.tags.length > 50) add("tags", "invalid.tooMany", { max: "50" });
    const tags: string[] = [];
    input.tags.forEach((raw, i) => {
      const tag = raw.trim();
      if (tag === "") return;
      if (tooLong(tag, 40)) add(`tags.${i}`, "invalid.tooLong", { max: "40" });
      if (!tags.includes(tag)) tags.push(tag);
    });
    const points = (field: "phones" | "emails", check: (value: string) => boolean, bad: string, max: number) => {
      const rows = input[field];
      if (rows.length > 20) add(field, "invalid.tooMany", { max: "20" });
      return rows.flatMap((row, i) => {
        const [value, label] = [row.value.trim(), row.label.trim()];
        if (value === "" && label === "") return []; // an empty row the form left behind
        if (value === "") add(`${field}.${i}.value`, "invalid.required");
        else if (tooLong(value, max)) add(`${field}.${i}.value`, "invalid.tooLong", { max: String(max) });
        else if (!check(value)) add(`${field}.${i}.value`, bad);
        if (tooLong(label, 40)) add(`${field}.${i}.label`, "invalid.tooLong", { max: "40" });
        return [{ ...row, value, label }];
      });
    };
    const phones = points("phones", isValidPhone, "invalid.phone", 40);
    const emails = points("emails", isValidEmail, "invalid.email", 254);
    if (input.addresses.length > 20) add("addresses", "invalid.tooMany", { max: "20" });
    const addresses = input.addresses.flatMap((a, i) => {
      const clean = { ...a, label: a.label.trim(), street: a.street.trim(), city: a.city.trim(), region: a.region.trim(), postalCode: a.postalCode.trim(), country: a.country.trim() };
      if ([clean.street, clean.city, clean.region, clean.postalCode, clean.country].every((part) => part === "")) return [];
      for (const part of ["label", "street", "city", "region", "postalCode", "country"] as const) {
        const max = part === "label" ? 40 : 200;
        if (tooLong(clean[part], max)) add(`addresses.${i}.${part}`, "invalid.tooLong", { max: String(max) });
      }
      return [clean];
    });
    // Then what needs the store, gathered too: the custom values (the first refused one, as the
    // core's clean_values), and the company.
    const gather = (check: () => unknown) => {
      try {
        check();
      } catch (e) {
        if (!isValidation(e)) throw e;
        problems.push(...e.fields);
      }
    };
    gather(() => this.cleanCustom(input.kind, input.custom));
    if (input.companyId !== null) {
      const company = this.customers.get(input.companyId);
      // As the core: an edit keeping the company the person already has passes, even one in the trash.
      const kept = self !== null && this.customers.get(self)?.companyId === input.companyId && company?.kind === "company";
      if (input.companyId === self) add("companyId", "invalid.notACompany");
      else if (kept) {
        // the link stays
      } else if (!company || company.deletedAt) add("companyId", "invalid.unknownCompany");
      else if (company.kind !== "company") add("companyId", "invalid.notACompany");
    }
    const [first, ...rest] = problems;
    if (first) throw validationError([first, ...rest]);
    return { ...input, name, owner, source, jobTitle, department, notes, birthday, tags, phones, emails, addresses };
  }

  private record(id: string, at: string, before: Partial<Record<string, unknown>>, after: Record<string, unknown>): void {
    for (const [field, value] of Object.entries(after)) {
      const old = before[field];
      const oldValue = old === undefined || old === null ? null : String(old);
      const newValue = value === null || value === undefined ? null : String(value);
      if (oldValue !== newValue) this.history.push({ id, at, author: this.author, device: this.device, field, oldValue, newValue, restore: null });
    }
  }

  private create(form: CustomerInput): Customer {
    const input = this.validate(form);
    const at = this.now();
    const id = `c${++this.seq}`;
    const customer: Customer = {
      ...input,
      jobTitle: input.jobTitle ?? "",
      department: input.department ?? "",
      custom: this.cleanCustom(input.kind, input.custom),
      private: input.private ?? false,
      id,
      companyName: input.companyId ? (this.customers.get(input.companyId)?.name ?? null) : null,
      companyDeleted: false,
      createdAt: at,
      updatedAt: at,
      deletedAt: null,
    };
    this.customers.set(id, customer);
    // As the core logs a creation: every column it set, empty text too (a NULL birthday is not set).
    this.record(id, at, {}, {
      name: input.name,
      kind: input.kind,
      stage: input.stage,
      owner: input.owner,
      source: input.source,
      notes: input.notes,
      birthday: input.birthday,
      job_title: customer.jobTitle,
      department: customer.department,
    });
    this.recordCustom(id, at, [], customer.custom);
    return this.out(customer);
  }

  private get(id: string): Customer {
    return this.customers.get(id) ?? this.notFound();
  }

  private row(c: Customer): CustomerRow {
    return {
      id: c.id,
      kind: c.kind,
      name: c.name,
      companyName: c.companyName,
      stage: c.stage,
      owner: c.owner,
      jobTitle: c.jobTitle,
      department: c.department,
      tags: c.tags,
      email: c.emails[0]?.value ?? null,
      phone: c.phones[0]?.value ?? null,
      updatedAt: c.updatedAt,
      deletedAt: c.deletedAt,
      custom: this.visibleCustom(c),
    };
  }

  /** The core's custom filters (ListQuery.custom): a multi choice holding the key, else an equal value. */
  private customMatches(c: Customer, filters: CustomValue[] | undefined): boolean {
    const values = this.visibleCustom(c);
    return (filters ?? []).every((f) => {
      const want = f.value.trim();
      if (want === "") return true;
      const field = this.fields.find((d) => d.id === f.fieldId);
      const value = values.find((v) => v.fieldId === f.fieldId)?.value;
      if (!field || value === undefined) return false;
      return value === want || (field.kind === "multi" && value.split(",").includes(want));
    });
  }

  /**
   * "No activity in N days": no live activity at or after now minus N days, where now is the
   * fake's clock (so seeded dates are relative to 2025-03-01); never contacted counts as inactive.
   */
  private inactiveMatches(c: Customer, days: number | null): boolean {
    if (days === null) return true;
    const since = new Date(this.clock - days * 86_400_000).toISOString();
    return ![...this.activities.values()].some((a) => a.customerId === c.id && !a.deleted && a.occurredAt >= since);
  }

  /** Adds a segment straight to the store, as create_segment would. */
  seedSegment(name: string, filter: SegmentFilter = {}): Segment {
    return this.saveSegment(null, name, filter);
  }

  /** The core's checks, simply: a name of 1 to 60 characters, 1 to 3650 days; counts from the list's filter. */
  private saveSegment(id: string | null, name: string, filter: SegmentFilter): Segment {
    const clean = name.trim();
    if (clean === "") this.invalid("name", "invalid.required");
    if ([...clean].length > 60) this.invalid("name", "invalid.tooLong", { max: "60" });
    const days = filter.inactiveDays ?? null;
    if (days !== null && (!Number.isInteger(days) || days < 1 || days > 3650)) this.invalid("inactiveDays", "invalid.outOfRange", { min: "1", max: "3650" });
    const stored: SegmentFilter = {
      stage: filter.stage ?? null,
      tag: filter.tag ?? null,
      owner: filter.owner ?? null,
      kind: filter.kind ?? null,
      custom: (filter.custom ?? []).filter((v) => v.value.trim() !== ""),
      inactiveDays: days,
    };
    if (id !== null) this.segment(id);
    const segment = { id: id ?? `s${++this.seq}`, name: clean, filter: stored, deleted: false };
    this.segments.set(segment.id, segment);
    return this.segmentOut(segment);
  }

  private segment(id: string): { id: string; name: string; filter: SegmentFilter; deleted: boolean } {
    const found = this.segments.get(id);
    return found && !found.deleted ? found : this.notFound();
  }

  private segmentOut({ id, name, filter }: { id: string; name: string; filter: SegmentFilter }): Segment {
    const query: ListQuery = { sort: "name", descending: false, stage: null, tag: null, owner: null, kind: null, ...filter, trash: false, offset: 0, limit: 0 };
    return { id, name, filter, count: this.list(query).total };
  }

  private list(q: ListQuery): ListPage {
    const key = (c: Customer): string =>
      ({ name: c.name, company: c.companyName ?? "", stage: c.stage, owner: c.owner, updated: c.updatedAt })[q.sort];
    const rows = [...this.customers.values()]
      .filter((c) => (q.trash ? c.deletedAt !== null : c.deletedAt === null))
      .filter((c) => (q.stage ? c.stage === q.stage : true))
      .filter((c) => (q.tag ? c.tags.includes(q.tag) : true))
      .filter((c) => (q.owner ? c.owner === q.owner : true))
      .filter((c) => (q.kind ? c.kind === q.kind : true))
      .filter((c) => this.customMatches(c, q.custom))
      .filter((c) => this.inactiveMatches(c, q.inactiveDays ?? null))

      .sort((a, b) => key(a).localeCompare(key(b)) * (q.descending ? -1 : 1));
    return { total: rows.length, offset: q.offset, rows: rows.slice(q.offset, q.offset + q.limit).map((c) => this.row(c)) };
  }

  /**
   * The core's search (index.rs), without its index: the best field each live record matches, in
   * the core's ranking (exact name, name prefix, name contains, then company, email, phone, tag,
   * notes, text custom fields), ties by shorter name, then name. A person is found by their
   * company's name; a query of digits and separators finds phones whatever separators they hold.
   */
  private search(text: string, kind: string | null, limit: number): SearchHit[] {
    const q = text.trim().toLowerCase();
    if (q === "" || limit === 0) return [];
    const digits = digitsOf(q);
    const phoneLike = digits.length >= 3 && /^[\d +\-().]*$/.test(q);
    const textFields = new Set(this.liveFields().filter((f) => f.kind === "text").map((f) => f.id));
    const fields: [MatchField, (c: Customer) => string[]][] = [
      ["company", (c) => {
        const company = c.companyId ? this.customers.get(c.companyId) : undefined;
        return company && !company.deletedAt ? [company.name] : [];
      }],
      ["email", (c) => c.emails.map((e) => e.value)],
      ["phone", (c) => c.phones.map((p) => digitsOf(p.value))],
      ["tag", (c) => c.tags],
      ["job", (c) => [c.jobTitle, c.department]],
      ["notes", (c) => [c.notes]],
      ["custom", (c) => (c.custom ?? []).filter((v) => textFields.has(v.fieldId)).map((v) => v.value)],
    ];
    const ranked: { tier: number; c: Customer; matched: MatchField }[] = [];
    for (const c of this.customers.values()) {
      if (c.deletedAt || (kind && c.kind !== kind)) continue;
      const name = c.name.toLowerCase();
      let best: { tier: number; matched: MatchField } | null =
        name === q ? { tier: 0, matched: "name" } : name.startsWith(q) ? { tier: 1, matched: "name" } : name.includes(q) ? { tier: 2, matched: "name" } : null;
      for (const [i, [field, values]] of fields.entries()) {
        if (best) break;
        const needle = field === "phone" && phoneLike ? digits : q;
        if (values(c).some((v) => v.toLowerCase().includes(needle))) best = { tier: 3 + i, matched: field };
      }
      // As the core: several words, each somewhere (a word of digits also in the phones' digits);
      // shown by the first field other than the name that holds one.
      const words = q.split(/\s+/);
      if (!best && words.length > 1) {
        const holder = (word: string): MatchField | null => {
          if (name.includes(word)) return "name";
          const wordDigits = digitsOf(word);
          const phoneWord = wordDigits.length >= 3 && /^[\d+\-().]*$/.test(word) ? wordDigits : word;
          const found = fields.find(([field, values]) => values(c).some((v) => v.toLowerCase().includes(field === "phone" ? phoneWord : word)));
          return found ? found[0] : null;
        };
        const holders = words.map(holder);
        if (holders.every((h) => h !== null)) best = { tier: 3 + fields.length, matched: holders.find((h) => h !== "name") ?? "name" };
      }
      if (best) ranked.push({ ...best, c });
    }
    const nameKey = (c: Customer) => [[...c.name].length, c.name.toLowerCase()] as const;
    ranked.sort((a, b) => {
      const [la, na] = nameKey(a.c);
      const [lb, nb] = nameKey(b.c);
      return a.tier - b.tier || la - lb || (na < nb ? -1 : na > nb ? 1 : 0) || (a.c.id < b.c.id ? -1 : 1);
    });
    return ranked.slice(0, limit).map(({ c, matched }) => ({ row: this.row(c), matched }));
  }

  /**
   * The core's three duplicate rules, simply: the same email (case aside), the same phone digits
   * (a 13-digit number's leading 86, or 0086, is the country code), the same name at the same
   * company (or among companies). A record is never its own duplicate.
   */
  private possibleDuplicates(input: CustomerInput, editing: string | null): DuplicateHint[] {
    const name = input.name.trim().toLowerCase();
    const hints: DuplicateHint[] = [];
    for (const c of this.customers.values()) {
      if (c.deletedAt || c.id === editing) continue;
      // Like the core, `matched` is the value as typed, not as stored.
      const email = input.emails.find((i) => c.emails.some((e) => i.value.toLowerCase() === e.value.toLowerCase()));
      const phone = input.phones.find((i) => phoneDigits(i.value) !== "" && c.phones.some((p) => phoneDigits(i.value) === phoneDigits(p.value)));
      const sameCompany = input.kind === "company" ? c.kind === "company" : input.companyId !== null && c.companyId === input.companyId;
      if (email) hints.push({ row: this.row(c), reason: "same_email", matched: email.value });
      else if (phone) hints.push({ row: this.row(c), reason: "same_phone", matched: phone.value });
      else if (name !== "" && sameCompany && c.name.toLowerCase() === name) hints.push({ row: this.row(c), reason: "similar_name", matched: c.name });
    }
    return hints;
  }

  /**
   * The "find duplicates" scan, simply: live records sharing an email (case aside) or phone digits,
   * each pair once (older record first) with its strongest reason, email before phone. Names are
   * left out; the form's hints cover them.
   */
  private duplicatePairs(limit: number): DuplicatePair[] {
    const live = [...this.customers.values()].filter((c) => !c.deletedAt);
    const pairs: DuplicatePair[] = [];
    for (const [i, a] of live.entries()) {
      for (const b of live.slice(i + 1)) {
        const email = a.emails.find((e) => b.emails.some((f) => e.value.toLowerCase() === f.value.toLowerCase()));
        const phone = a.phones.find((p) => phoneDigits(p.value) !== "" && b.phones.some((q) => phoneDigits(p.value) === phoneDigits(q.value)));
        // As the core: `matched` is the value as compared (the email in lower case, the phone's
        // normalised digits); aShared/bShared each side's own writing of it.
        if (email) {
          const key = email.value.toLowerCase();
          const own = (c: Customer) => c.emails.find((e) => e.value.toLowerCase() === key)?.value ?? key;
          pairs.push({ a: this.row(a), b: this.row(b), reason: "same_email", matched: key, aShared: own(a), bShared: own(b) });
        } else if (phone) {
          const key = phoneDigits(phone.value);
          const own = (c: Customer) => c.phones.find((p) => phoneDigits(p.value) === key)?.value ?? key;
          pairs.push({ a: this.row(a), b: this.row(b), reason: "same_phone", matched: key, aShared: own(a), bShared: own(b) });
        }
      }
    }
    return pairs.slice(0, limit);
  }

  /**
   * The core's merge, simply: single-valued fields from the side picked, the survivor's phones,
   * emails, addresses and tags then the other's not already there (phones by digits, emails case
   * aside), activities, attachments and people moved over. The absorbed record is hidden (in
   * neither the list nor the trash); the token undoes it (see undoMerge).
   */
  private merge(keepId: string, otherId: string, choices: MergeChoices): MergeOutcome {
    if (keepId === otherId) this.invalid("other", "invalid.duplicate");
    const keep = this.get(keepId);
    const other = this.get(otherId);
    if (keep.deletedAt || other.deletedAt) this.notFound();
    if (keep.kind !== other.kind) this.invalid("kind", "invalid.oneOf", { value: other.kind, allowed: keep.kind });
    const from = (pick: Pick) => (pick === "keep" ? keep : other);
    /** The other's items the survivor lacks (by `key`), which move over. */
    const extra = <T>(mine: T[], theirs: T[], key: (item: T) => string): T[] => {
      const seen = new Set(mine.map(key));
      const out: T[] = [];
      for (const item of theirs) {
        if (seen.has(key(item))) continue;
        seen.add(key(item));
        out.push(item);
      }
      return out;
    };
    const companyId = [keepId, otherId].includes(from(choices.companyId).companyId ?? "") ? null : from(choices.companyId).companyId;
    const set: MergedColumns = {
      name: from(choices.name).name,
      companyId,
      owner: from(choices.owner).owner,
      stage: from(choices.stage).stage,
      source: from(choices.source).source,
      // Added in 0.3: a choice that leaves them out keeps the kept record's.
      jobTitle: from(choices.jobTitle ?? "keep").jobTitle,
      department: from(choices.department ?? "keep").department,
      birthday: from(choices.birthday).birthday,
      notes: from(choices.notes).notes,
    };
    const moved: FakeMerge["moved"] = {
      phones: extra(keep.phones, other.phones, (p) => phoneDigits(p.value)),
      emails: extra(keep.emails, other.emails, (e) => e.value.toLowerCase()),
      addresses: extra(keep.addresses, other.addresses, (a) => [a.street, a.city, a.region, a.postalCode, a.country].join("|").toLowerCase()),
      tags: extra(keep.tags, other.tags, (tag) => tag),
      custom: extra(keep.custom ?? [], other.custom ?? [], (v) => v.fieldId),
    };
    const at = this.now();
    const survivor: Customer = {
      ...keep,
      ...set,
      companyName: companyId ? (this.customers.get(companyId)?.name ?? null) : null,
      phones: [...keep.phones, ...moved.phones],
      emails: [...keep.emails, ...moved.emails],
      addresses: [...keep.addresses, ...moved.addresses],
      tags: [...keep.tags, ...moved.tags],
      custom: [...(keep.custom ?? []), ...moved.custom],
      updatedAt: at,
    };
    this.record(keep.id, at, { ...keep, job_title: keep.jobTitle }, {
      name: survivor.name,
      stage: survivor.stage,
      owner: survivor.owner,
      source: survivor.source,
      notes: survivor.notes,
      job_title: survivor.jobTitle,
      department: survivor.department,
    });
    this.customers.set(keep.id, survivor);
    this.customers.delete(other.id);
    const activities = [...this.activities.values()].filter((a) => a.customerId === other.id && !a.deleted).map((a) => a.id);
    for (const id of activities) this.activities.set(id, { ...this.activities.get(id)!, customerId: keep.id });
    const people = [...this.customers.values()].filter((c) => c.companyId === other.id && !c.deletedAt).map((c) => c.id);
    for (const id of people) this.customers.set(id, { ...this.customers.get(id)!, companyId: keep.id, companyName: survivor.name });
    const attachments = [...this.attachments.values()].filter((a) => a.recordId === other.id && !a.deleted).map((a) => a.id);
    for (const id of attachments) this.attachments.get(id)!.recordId = keep.id;
    const undoToken = `merge:${++this.seq}`;
    this.merges.set(undoToken, { keep, other, set, moved, activities, people, attachments });
    return { survivor: this.out(survivor), undoToken, movedActivities: activities.length, movedPeople: people.length };
  }

  /**
   * The core's undo (a revert of the merge's write): each column the merge set gets its old value
   * back unless it changed since (the fake compares values where the core compares clocks), what
   * moved over moves back unless it moved again, and the absorbed record returns as it was.
   * Later edits of the survivor stay.
   */
  private undoMerge(token: string): null {
    const merge = this.merges.get(token) ?? this.notFound();
    this.merges.delete(token);
    const { keep, other, set, moved } = merge;
    const current = this.get(keep.id);
    const at = this.now();
    const columns = Object.keys(set) as (keyof MergedColumns)[];
    const reverted = Object.fromEntries(columns.filter((c) => current[c] === set[c]).map((c) => [c, keep[c]])) as Partial<MergedColumns>;
    const stays = <T>(items: T[], gone: T[]) => items.filter((item) => !gone.some((g) => JSON.stringify(g) === JSON.stringify(item)));
    const companyId = "companyId" in reverted ? (reverted.companyId ?? null) : current.companyId;
    const next: Customer = {
      ...current,
      ...reverted,
      companyName: companyId ? (this.customers.get(companyId)?.name ?? null) : null,
      phones: stays(current.phones, moved.phones),
      emails: stays(current.emails, moved.emails),
      addresses: stays(current.addresses, moved.addresses),
      tags: stays(current.tags, moved.tags),
      custom: stays(current.custom ?? [], moved.custom),
      updatedAt: at,
    };
    this.record(keep.id, at, { ...current, job_title: current.jobTitle }, {
      name: next.name,
      stage: next.stage,
      owner: next.owner,
      source: next.source,
      notes: next.notes,
      job_title: next.jobTitle,
      department: next.department,
    });
    this.customers.set(keep.id, next);
    this.customers.set(other.id, other);
    for (const id of merge.activities) {
      const activity = this.activities.get(id)!;
      if (activity.customerId === keep.id) this.activities.set(id, { ...activity, customerId: other.id });
    }
    for (const id of merge.people) {
      const person = this.customers.get(id)!;
      if (person.companyId === keep.id) this.customers.set(id, { ...person, companyId: other.id, companyName: other.name });
    }
    for (const id of merge.attachments) {
      const attachment = this.attachments.get(id)!;
      if (attachment.recordId === keep.id) attachment.recordId = other.id;
    }
    return null;
  }

  /** Adds an attachment straight to the store, as attach_file would; `gone` makes opening it fail. */
  seedAttachment(customerId: string, name: string, size: number, options: { gone?: boolean } = {}): Attachment {
    const attachment = this.attach(customerId, name, size);
    this.attachments.get(attachment.id)!.gone = options.gone ?? false;
    return attachment;
  }

  /**
   * The customer a RecordKey names, as the core's RecordKey::checked: customers are the only record
   * type so far, so any other type is refused naming the field (an id naming nothing is left to
   * `get`, which says it is not found, as the core does).
   */
  private customerOf(record: RecordKey): string {
    if (record.recordType !== "customer") this.invalid("recordType", "invalid.oneOf", { value: record.recordType, allowed: "customer" });
    return record.id.trim();
  }

  /** The core's attachments, simply: a live customer, a name, at most 100 MB; history as the core logs it. */
  private attach(customerId: string, name: string, size: number): Attachment {
    const customer = this.get(customerId);
    if (customer.deletedAt) this.notFound();
    const clean = name.split(/[\\/]/).pop()!.trim();
    if (clean === "" || clean === "." || clean === "..") this.invalid("name", "invalid.required");
    if ([...clean].length > 255) this.invalid("name", "invalid.tooLong", { max: "255" });
    const MB = 1024 * 1024;
    if (size > 100 * MB) this.fail("bad_file", "file.tooLarge", { mb: String(Math.round(size / MB)), max: "100" });
    const at = this.now();
    const attachment: Attachment = {
      id: `att${++this.seq}`,
      recordType: "customer",
      recordId: customerId,
      name: clean,
      size,
      addedBy: this.author,
      addedAt: at,
    };
    this.attachments.set(attachment.id, { ...attachment, deleted: false, gone: false });
    this.record(customerId, at, {}, { "attachments.name": clean });
    return attachment;
  }

  private attachment(id: string): Attachment & { deleted: boolean; gone: boolean } {
    return this.attachments.get(id) ?? this.notFound();
  }

  private setAttachmentDeleted(id: string, deleted: boolean): Attachment {
    const current = this.attachment(id);
    if (current.deleted !== deleted) {
      const at = this.now();
      this.record(current.recordId, at, { "attachments.deleted_at": deleted ? null : at }, { "attachments.deleted_at": deleted ? at : null });
      current.deleted = deleted;
    }
    const { deleted: _deleted, gone: _gone, ...attachment } = current;
    return attachment;
  }

  /**
   * Holds the next import commit after its first progress report, until the returned function
   * is called or import_cancel arrives (which then makes the commit fail as cancelled).
   */
  holdImportCommit(): () => void {
    let release = () => {};
    const promise = new Promise<void>((resolve) => (release = resolve));
    this.commitGate = { promise, release };
    return release;
  }

  /** Reads the file: UTF-8 (or GBK when that fails) unless told; a CSV split on commas, or vCards. */
  private openImport(name: string, bytes: Uint8Array, encoding: TextEncoding | null, format: FileFormat | null): ImportPreview {
    if (bytes.byteLength === 0) this.fail("bad_file", "file.empty");
    let decoded: { text: string; encoding: TextEncoding } | null = null;
    for (const candidate of encoding ? [encoding] : (["utf8", "gbk"] as const)) {
      try {
        decoded = { text: new TextDecoder(DECODERS[candidate], { fatal: true }).decode(bytes), encoding: candidate };
        break;
      } catch {
        // try the next one
      }
    }
    // Like the core: an encoding the user chose that does not fit is named; a guess that failed asks for one.
    if (!decoded) return encoding ? this.fail("bad_file", "file.notEncoding", { encoding: ENCODING_LABELS[encoding] }) : this.fail("bad_file", "file.unknownEncoding");
    const text = decoded.text.replace(/^\uFEFF/, "");
    const vcard = format ? format === "vcard" : /\.(vcf|vcard)$/i.test(name) || /^BEGIN:VCARD/i.test(text.trim());
    let file: FakeImportFile;
    if (vcard) {
      const rows = text
        .split(/BEGIN:VCARD/i)
        .slice(1)
        .map((card) => {
          const get = (prop: string) => new RegExp(`^${prop}[^:\\n]*:(.*)$`, "im").exec(card)?.[1]?.trim() ?? "";
          return [get("FN"), get("ORG").split(";")[0] ?? "", get("TEL"), get("EMAIL")];
        });
      file = { name, bytes, format: "vcard", encoding: decoded.encoding, headers: ["Name", "Company", "Phone", "Email"], rows, mapping: [], dialect: "other" };
    } else {
      const [header = "", ...lines] = text.split(/\r?\n/).filter((line) => line.trim() !== "");
      const headers = header.split(",").map((h) => h.trim());
      // Like the core, a header that is a live custom field's label maps to that field.
      const mapping = headers.map((header, i): ColumnMap => {
        const field = this.liveFields().find((f) => [f.labelEn, f.labelZh].includes(header));
        return field ? { field: "custom", group: 0, label: field.id } : suggestColumn(header, i);
      });
      const dialect = mapping.some((m) => m.field === "id") && mapping.some((m) => m.field === "stage") ? "satchel" : "other";
      file = { name, bytes, format: "csv", encoding: decoded.encoding, headers, rows: lines.map((l) => l.split(",")), mapping, dialect };
    }
    this.importFile = file;
    this.importPlan = null;
    const { headers, rows, mapping, dialect } = file;
    // As the core: a column no row fills is marked empty (CSV only).
    const empty = file.format === "csv" ? headers.map((_, i) => rows.every((r) => (r[i] ?? "").trim() === "")) : [];
    return { name, format: file.format, encoding: file.encoding, headers, sample: rows.slice(0, 20), rows: rows.length, mapping, dialect, empty };
  }

  private importCheck(mapping: ColumnMap[] | null): ImportCheck {
    const file = this.importFile ?? this.fail("internal", "error.internal");
    const maps = file.format === "vcard" ? VCARD_COLUMNS : (mapping ?? file.mapping);
    const live = [...this.customers.values()].filter((c) => !c.deletedAt);
    const plan: FakeImportPlan = { records: [], companies: [], errorCount: 0 };
    const errors: RowError[] = [];
    file.rows.forEach((cells, index) => {
      const row = file.format === "csv" ? index + 2 : index + 1;
      const input: CustomerInput = { kind: "person", name: "", companyId: null, owner: "", stage: "lead", source: "", notes: "", birthday: null, tags: [], phones: [], emails: [], addresses: [] };
      let company: string | null = null;
      let id: string | null = null;
      const names: string[] = [];
      // The column each phone and email came from, to name it in a refusal.
      const columns: Record<"phones" | "emails", string[]> = { phones: [], emails: [] };
      for (const [i, m] of maps.entries()) {
        const cell = (cells[i] ?? "").trim();
        if (cell === "") continue;
        if (m.field === "name") input.name = cell;
        else if (m.field === "given_name" || m.field === "family_name") names.push(cell);
        else if (m.field === "company") company = cell;
        else if (m.field === "job_title") input.jobTitle = cell;
        else if (m.field === "department") input.department = cell;
        else if (m.field === "id") id = cell;
        else if (m.field === "custom") (input.custom ??= []).push({ fieldId: m.label, value: cell });
        else if (m.field === "phone" || m.field === "email") {
          const list = m.field === "phone" ? "phones" : "emails";
          input[list].push({ id: null, label: m.label, value: cell });
          columns[list].push(file.headers[i] ?? "");
        }
      }
      input.name ||= names.join(" ");
      if (input.name === "" && company) [input.kind, input.name, company] = ["company", company, null];
      // Each row is held to the form's rules, and refused in the core's words.
      try {
        this.validate(input);
      } catch (e) {
        const error = e as AppError;
        const [list, index] = (error.field ?? "").split(".");
        const column = list === "phones" || list === "emails" ? (columns[list][Number(index)] ?? "") : "";
        errors.push({ row, column, message: error.message });
        return;
      }
      const sameEmail = live.find((c) => c.emails.some((e) => input.emails.some((i) => i.value.toLowerCase() === e.value.toLowerCase())));
      const existing = id && this.customers.has(id) ? id : (sameEmail?.id ?? null);
      plan.records.push({ input, company, existing });
      if (company && !plan.companies.includes(company) && !live.some((c) => c.kind === "company" && c.name === company)) plan.companies.push(company);
    });
    plan.errorCount = errors.length;
    this.importPlan = plan;
    // Like the core, the companies to create are rows of the plan too.
    const update = plan.records.filter((r) => r.existing).length;
    const valid = plan.records.length + plan.companies.length;
    const people = plan.records.filter((r) => r.input.kind === "person").length;
    return {
      valid,
      create: valid - update,
      update,
      people,
      companies: plan.records.length - people,
      newCompanies: plan.companies,
      errors: errors.slice(0, this.importErrorsShown),
      errorCount: errors.length,
    };
  }

  /** Writes the plan all at once, or (cancelled) not at all. */
  private async importCommit(channel: { onmessage?: (progress: ImportProgress) => void }): Promise<ImportSummary> {
    const plan = this.importPlan ?? this.fail("internal", "error.internal");
    const total = plan.records.length + plan.companies.length;
    this.importCancelled = false;
    channel.onmessage?.({ done: 0, total });
    if (this.commitGate) await this.commitGate.promise;
    this.commitGate = null;
    if (this.importCancelled) this.fail("cancelled", "error.cancelled");
    const companyIds = new Map(plan.companies.map((name) => [name, this.seed({ kind: "company", name }).id]));
    const summary: ImportSummary = { created: companyIds.size, updated: 0, skipped: plan.errorCount };
    for (const { input, company, existing } of plan.records) {
      const companyId = company ? (companyIds.get(company) ?? [...this.customers.values()].find((c) => c.kind === "company" && c.name === company)?.id ?? null) : null;
      const current = existing ? this.customers.get(existing) : undefined;
      if (current) {
        const custom = input.custom ? this.cleanCustom(input.kind, input.custom, current.custom) : current.custom;
        this.customers.set(current.id, { ...current, ...input, custom, companyId, private: input.private ?? current.private, updatedAt: this.now() });
        summary.updated++;
      } else {
        this.create({ ...input, companyId });
        summary.created++;
      }
    }
    channel.onmessage?.({ done: total, total });
    this.importFile = null;
    this.importPlan = null;
    return summary;
  }

  /** The `invoke` replacement: resolves with data or rejects with an AppError, as Tauri does. */
  invoke = async (
    command: string,
    args: Record<string, unknown> = {},
    options?: { headers?: Record<string, string> },
  ): Promise<unknown> => {
    if (command === "import_open_bytes") {
      // The one command with a raw body: the bytes are the args, the name is a header.
      const bytes = args as unknown as Uint8Array;
      const name = decodeURIComponent(options?.headers?.["x-file-name"] ?? "");
      this.calls.push({ command, args: { fileName: name, size: bytes.byteLength } });
      return this.openImport(name, bytes, null, null);
    }
    if (command === "attach_file") {
      // Raw body too: the bytes are the args; the record (its type and id) and the file name are headers.
      const bytes = args as unknown as Uint8Array;
      const record: RecordKey = { recordType: options?.headers?.["x-record-type"] ?? "", id: options?.headers?.["x-record-id"] ?? "" };
      const name = decodeURIComponent(options?.headers?.["x-file-name"] ?? "");
      this.calls.push({ command, args: { record, fileName: name, size: bytes.byteLength } });
      return this.attach(this.customerOf(record), name, bytes.byteLength);
    }
    const salesHelp = {
      fail: (reason: string): never => this.fail("not_found", reason),
      invalid: (problems: FieldError[]): never => {
        throw validationError(problems as [FieldError, ...FieldError[]]);
      },
      field: (field: string, reason: string, params: Record<string, string> = {}) => fieldError(this.locale, field, reason, params),
      customerName: (id: string | null) => (id ? (this.customers.get(id)?.name ?? "") : ""),
    };
    if (args instanceof Uint8Array) {
      // The sales module's raw-body commands (logo, catalogue CSV, lines file; the PDF's bytes answer).
      this.calls.push({ command, args: { size: args.byteLength, headers: options?.headers ?? {} } });
      const answer = this.sales.handleRaw(command, args, salesHelp) ?? this.service.handleRaw(command, args, salesHelp);
      if (answer !== undefined) return answer;
    }
    this.calls.push({ command, args });
    if (command === "document_pdf") return this.sales.handleRaw(command, new Uint8Array(), salesHelp);
    const sales = this.sales.handle(command, args, salesHelp);
    if (sales !== undefined) return sales;
    const service = this.service.handle(command, args, salesHelp);
    if (service !== undefined) return service;
    switch (command) {
      case "app_info":
        return {
          version: "0.1.0",
          dbPath: "/home/test/.local/share/satchel/satchel.db",
          siteId: "site-1",
          author: this.author,
          device: this.device,
          locale: this.locale,
          customerCount: this.customers.size,
        } satisfies AppInfo;
      case "set_locale":
        this.locale = args.locale as Locale;
        return null;
      case "list_customers":
        return this.list(args.query as ListQuery);
      case "search_everything": {
        // As the core (Satchel::search_everything): each module's part, at most `limit` each; the
        // other modules' parts are this fake's own answers to their searches (events: none).
        const text = String(args.text);
        const limit = Math.min(Number(args.limit), 200);
        const sales = (this.sales.handle("sales_search", { text, limit }, salesHelp) as RecordHit[]).slice(0, limit);
        const tickets = this.service.handle("ticket_queue", { filter: { view: "all", sort: "opened", query: text }, limit }, salesHelp) as { id: string; number: string; subject: string; customerName: string }[];
        const articles = this.service.handle("search_articles", { query: text, limit }, salesHelp) as { id: string; title: string }[];
        const service: RecordHit[] = [
          ...tickets.map((t) => ({ kind: "ticket", id: t.id, title: `${t.number} ${t.subject}`, subtitle: t.customerName })),
          ...articles.map((a) => ({ kind: "article", id: a.id, title: a.title, subtitle: "" })),
        ].slice(0, limit);
        return { customers: this.search(text, null, limit), sales, service, calendar: [] } satisfies Everything;
      }
      case "search_customers":
        // As the core (CustomersApi::search): one search answers at most 200 hits.
        return this.search(args.text as string, args.kind as string | null, Math.min(args.limit as number, 200));
      case "customer_index_mode":
        return this.indexMode;
      case "customer_facets": {
        const live = [...this.customers.values()].filter((c) => !c.deletedAt);
        return {
          owners: [...new Set(live.map((c) => c.owner).filter(Boolean))].sort(),
          tags: [...new Set(live.flatMap((c) => c.tags))].sort(),
        };
      }
      case "possible_duplicates":
        return this.possibleDuplicates(args.input as CustomerInput, args.editing as string | null);
      case "duplicate_pairs":
        return this.duplicatePairs(args.limit as number);
      case "get_customer":
        return this.out(this.get(args.id as string));
      case "create_customer":
        return this.create(args.input as CustomerInput);
      case "update_customer": {
        const current = this.get(args.id as string);
        if (current.deletedAt) this.notFound();
        const input = this.validate(args.input as CustomerInput, current.id);
        const at = this.now();
        const custom = this.cleanCustom(input.kind, input.custom, current.custom);
        const companyName = input.companyId ? (this.customers.get(input.companyId)?.name ?? null) : null;
        // As the core: a form that leaves the job title or department out empties it.
        const next: Customer = { ...current, ...input, jobTitle: input.jobTitle ?? "", department: input.department ?? "", companyName, custom, private: input.private ?? current.private, updatedAt: at };
        this.record(current.id, at, { ...current, job_title: current.jobTitle }, {
          name: next.name,
          stage: next.stage,
          owner: next.owner,
          source: next.source,
          job_title: next.jobTitle,
          department: next.department,
        });
        this.recordCustom(current.id, at, this.visibleCustom(current), this.visibleCustom(next));
        this.customers.set(current.id, next);
        return this.out(next);
      }
      case "delete_customer": {
        const current = this.get(args.id as string);
        const at = this.now();
        this.record(current.id, at, { deleted_at: null }, { deleted_at: at });
        this.customers.set(current.id, { ...current, deletedAt: at, updatedAt: at });
        return null;
      }
      case "restore_customer": {
        const current = this.get(args.id as string);
        const at = this.now();
        this.record(current.id, at, { deleted_at: current.deletedAt }, { deleted_at: null });
        const restored = { ...current, deletedAt: null, updatedAt: at };
        this.customers.set(current.id, restored);
        return this.out(restored);
      }
      case "log_activity":
        return this.logActivity(args.customerId as string, args.input as ActivityInput);
      case "update_activity": {
        const current = this.activity(args.id as string);
        const next = { ...current, ...this.validActivity(args.input as ActivityInput) };
        this.activities.set(current.id, next);
        const { deleted: _deleted, ...activity } = next;
        return activity;
      }
      case "delete_activity":
        this.activities.set(args.id as string, { ...this.activity(args.id as string), deleted: true });
        return null;
      case "restore_activity": {
        const current = this.activities.get(args.id as string);
        if (!current) this.notFound();
        this.activities.set(current.id, { ...current, deleted: false });
        const { deleted: _deleted, ...activity } = current;
        return activity;
      }
      case "customer_timeline":
        this.get(args.id as string);
        return this.timeline(args.id as string, args.before as string | null, args.limit as number);
      case "record_attachments": {
        // Like the core: a record in the trash still lists its files; one that never was is not found.
        const customerId = this.customerOf(args.record as RecordKey);
        this.get(customerId);
        return [...this.attachments.values()]
          .filter((a) => a.recordType === "customer" && a.recordId === customerId && !a.deleted)
          .sort((a, b) => b.addedAt.localeCompare(a.addedAt))
          .map(({ deleted: _deleted, gone: _gone, ...attachment }) => attachment);
      }
      case "open_attachment": {
        const attachment = this.attachment(args.id as string);
        // Like the core: a deleted attachment, or one whose file is missing, is not found.
        if (attachment.deleted || attachment.gone) this.notFound();
        return null;
      }
      case "delete_attachment":
        this.setAttachmentDeleted(args.id as string, true);
        return null;
      case "restore_attachment":
        return this.setAttachmentDeleted(args.id as string, false);
      case "customer_history":
        return this.history.filter((h) => h.id === args.id).map(({ id: _id, ...entry }) => entry);
      case "merge_customers":
        return this.merge(args.keep as string, args.other as string, args.choices as MergeChoices);
      case "undo_merge":
        return this.undoMerge(args.token as string);
      case "custom_fields":
        return this.liveFields();
      case "create_custom_field":
        return this.createField(args.input as CustomFieldInput);
      case "record_custom_fields":
        return this.liveFields(args.recordType as string);
      case "create_record_custom_field":
        return this.createField(args.input as CustomFieldInput, args.recordType as string);
      case "update_custom_field":
        return this.updateField(args.id as string, args.input as CustomFieldInput);
      case "custom_field_usage":
        return this.usage(args.id as string);
      case "remove_custom_field":
        this.field(args.id as string).deleted = true;
        return null;
      case "restore_custom_field": {
        const field = this.fields.find((f) => f.id === args.id) ?? this.notFound();
        field.deleted = false;
        const { deleted: _deleted, recordType: _type, ...out } = field;
        return out;
      }
      case "import_reopen": {
        const file = this.importFile ?? this.fail("internal", "error.internal");
        return this.openImport(file.name, file.bytes, args.encoding as TextEncoding | null, (args.format as FileFormat | null) ?? file.format);
      }
      case "import_check":
        return this.importCheck(args.mapping as ColumnMap[] | null);
      case "import_commit":
        return this.importCommit(args.onProgress as { onmessage?: (progress: ImportProgress) => void });
      case "import_cancel":
        this.importCancelled = true;
        this.commitGate?.release();
        return null;
      case "segments":
        return [...this.segments.values()].filter((s) => !s.deleted).map((s) => this.segmentOut(s));
      case "create_segment":
        return this.saveSegment(null, args.name as string, args.filter as SegmentFilter);
      case "update_segment":
        return this.saveSegment(args.id as string, args.name as string, args.filter as SegmentFilter);
      case "delete_segment":
        this.segment(args.id as string).deleted = true;
        return null;
      case "restore_segment": {
        const segment = this.segments.get(args.id as string) ?? this.notFound();
        segment.deleted = false;
        return this.segmentOut(segment);
      }
      case "sync_status":
        return this.sync;
      case "sync_connect":
        return this.syncConnect(args.server as string, args.email as string, args.password as string);
      case "sync_disconnect":
        this.sync = { state: "off", server: null, email: null, pending: this.sync.pending, lastSyncAt: null, error: null, progress: null, lastReport: null, tokenPlace: null, version: 0 };
        return this.sync;
      case "sync_now":
        return null;
      case "sync_problems":
        return this.syncProblems;
      case "sync_fetch_ahead":
        return this.fetchAhead;
      case "set_sync_fetch_ahead":
        this.fetchAhead = args.on as boolean;
        return null;
      case "restore_lost_value":
        return this.restoreLost(args.token as string);
      case "export_customers": {
        const query = args.query as ListQuery;
        const format = args.format as ExportFormat;
        const { total } = this.list({ ...query, trash: false, offset: 0, limit: Number.MAX_SAFE_INTEGER });
        return { path: `/home/test/Downloads/satchel-customers.${format === "csv" ? "csv" : "vcf"}`, count: total } satisfies ExportResult;
      }
      // The calendar module: an empty calendar (its own behaviour is tested against the real
      // core in crates/core/tests/core/calendar.rs and in the real window).
      case "calendar_page":
        return [];
      case "calendar_people":
        return ["Test User"];
      case "list_tasks":
        return [];
      case "customer_calendar":
      case "deal_calendar":
        return { events: [], tasks: [] };
      // Any record's field history (the deal and quote pages); the core's is tested in Rust.
      case "record_history":
        return [];
      case "default_reminders":
        return [15];
      case "due_reminders":
        return [];
      case "reminder_settings":
        return { closeToTray: true, trayAvailable: false, startAtLogin: false, startAtLoginAvailable: true };
      default:
        return this.fail("internal", "error.internal");
    }
  };
}

/**
 * jsdom has no layout; a virtual list needs its viewport to have a height to render rows: the
 * customer list's (`.table-scroll`) and every box marked `data-virtual-rows` (lib/virtualRows.tsx).
 */
export function giveListAViewport(height = 720): () => void {
  const original = Object.getOwnPropertyDescriptor(HTMLElement.prototype, "clientHeight");
  Object.defineProperty(HTMLElement.prototype, "clientHeight", {
    configurable: true,
    get(this: HTMLElement) {
      return this.classList.contains("table-scroll") || this.hasAttribute("data-virtual-rows") ? height : 0;
    },
  });
  return () => {
    if (original) Object.defineProperty(HTMLElement.prototype, "clientHeight", original);
  };
}

/**
 * Wires a fresh FakeBackend into the mocked `invoke` before each test, and afterwards restores the
 * viewport and the language. The `vi.mock("@tauri-apps/api/core")` itself stays in each test file
 * (Vitest hoists it per file); this is the rest of what the whole-app tests share.
 */
/** A connected, synced status as sync_status or the status event carries it; `over` changes fields. */
export function syncedStatus(over: Partial<SyncStatus> = {}): SyncStatus {
  return {
    state: "synced",
    server: "https://crm.example.com",
    email: "wang@example.com",
    pending: 0,
    lastSyncAt: new Date(Date.now() - 2 * 60_000).toISOString(),
    error: null,
    progress: null,
    lastReport: null,
    tokenPlace: "keyring",
    version: 0,
    ...over,
  };
}

export function useFakeBackend(invoke: Mock): () => FakeBackend {
  let backend: FakeBackend;
  let restoreViewport: () => void;
  beforeEach(() => {
    backend = new FakeBackend();
    invoke.mockReset();
    invoke.mockImplementation(backend.invoke);
    restoreViewport = giveListAViewport();
  });
  afterEach(async () => {
    restoreViewport();
    await act(async () => {
      await i18n.changeLanguage("en");
    });
  });
  return () => backend;
}
