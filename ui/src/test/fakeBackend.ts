import { act } from "@testing-library/react";
import { afterEach, beforeEach, type Mock } from "vitest";
import i18n from "../i18n";
/**
 * An in-memory stand-in for the Rust commands, for UI tests only (never bundled: nothing outside
 * *.test.tsx imports it). It answers `invoke(command, args)` with the shapes in bindings.ts and
 * follows the core's rules loosely: enough to drive screens, not a spec of the core. The real
 * IPC and the real rules are tested end-to-end against the Tauri window elsewhere.
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
  MergeChoices,
  MergeOutcome,
  Pick,
  RowError,
  SearchHit,
  Segment,
  SegmentFilter,
  SyncStatus,
  TextEncoding,
  TimelineItem,
  TimelinePage,
} from "../bindings";

const MESSAGES: Record<Locale, Record<string, string>> = {
  en: {
    nameRequired: "Name is required",
    badEmail: "Not a valid email address",
    notFound: "Customer not found",
    badTime: "Not a valid date and time",
    badDuration: "Duration must be between 0 and 10080 minutes",
    activityNotFound: "Activity not found",
    emptyFile: "The file is empty.",
    notEncoding: "The file is not valid text in this encoding. Choose another encoding.",
    cancelled: "Cancelled; nothing was changed.",
    kindMismatch: "A company and a person cannot be merged",
    sameRecord: "A record cannot be merged with itself",
    mergeNotFound: "This merge cannot be undone any more",
    labelRequired: "Enter a label in English or Chinese",
    kindFixed: "The type of a field cannot change",
    optionsRequired: "Add at least one option",
    duplicateOption: "This option is already in the list",
    fieldNotFound: "Custom field not found",
    notNumber: "{field}: enter a number",
    notDate: "{field}: enter a date as YYYY-MM-DD",
    notOption: "{field}: not one of the options",
    segmentNameRequired: "Give the segment a name",
    segmentNameTooLong: "A segment name can be at most 60 characters",
    segmentDays: "Days without activity must be between 1 and 3650",
    segmentNotFound: "Segment not found",
    attachmentNotFound: "Attachment not found",
    attachmentGone: "The file of this attachment is missing",
    attachmentTooLarge: "The file is too large",
    required: "This field is required",
    insecureServer: "Use https:// for a server on another computer",
    wrongPassword: "Wrong email or password.",
    unreachable: "Cannot reach the server",
    lostNotFound: "This value can no longer be restored",
  },
  "zh-CN": {
    nameRequired: "名称不能为空",
    badEmail: "邮箱地址无效",
    notFound: "找不到该客户",
    badTime: "日期时间无效",
    badDuration: "时长必须在 0 到 10080 分钟之间",
    activityNotFound: "找不到该活动",
    emptyFile: "文件是空的。",
    notEncoding: "文件不是该编码的有效文本，请选择其他编码。",
    cancelled: "已取消，数据未作任何修改。",
    kindMismatch: "公司和个人不能合并",
    sameRecord: "记录不能与自身合并",
    mergeNotFound: "该合并已无法撤销",
    labelRequired: "请填写英文或中文标签",
    kindFixed: "字段类型不能更改",
    optionsRequired: "请至少添加一个选项",
    duplicateOption: "该选项已在列表中",
    fieldNotFound: "找不到该自定义字段",
    notNumber: "{field}：请输入数字",
    notDate: "{field}：请按 YYYY-MM-DD 输入日期",
    notOption: "{field}：不是可选的选项",
    segmentNameRequired: "请填写分组名称",
    segmentNameTooLong: "分组名称最多 60 个字符",
    segmentDays: "无活动天数必须在 1 到 3650 之间",
    segmentNotFound: "找不到该分组",
    attachmentNotFound: "找不到该附件",
    attachmentGone: "该附件的文件已丢失",
    attachmentTooLarge: "文件过大",
    required: "此项为必填项",
    insecureServer: "其他电脑上的服务器请使用 https://",
    wrongPassword: "邮箱或密码不正确。",
    unreachable: "无法连接服务器",
    lostNotFound: "该值已无法恢复",
  },
};

/** RFC 3339 with an explicit offset ("Z" or ±hh:mm), as the core requires. */
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const DURATION_MAX = 7 * 24 * 60;

/** A phone as the core compares it: digits only, a 13-digit number's leading 86 (or 0086) dropped. */
function phoneDigits(phone: string): string {
  const d = phone.replace(/\D/g, "").replace(/^00/, "");
  return d.length === 13 && d.startsWith("86") ? d.slice(2) : d;
}

const DECODERS: Record<TextEncoding, string> = { utf8: "utf-8", gbk: "gbk", gb18030: "gb18030", utf16: "utf-16le" };
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
/** What undo_merge puts back: both records as they were, and what moved. */
type FakeMerge = { keep: Customer; other: Customer; activities: string[]; people: string[] };

type FakeImportPlan = {
  records: { input: CustomerInput; company: string | null; existing: string | null }[];
  companies: string[];
  errorCount: number;
};

/** A custom field as the fake stores it: removed ones stay, hidden. */
type FakeField = CustomField & { deleted: boolean };

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
  /** What sync_status answers; connect and disconnect change it, tests set it directly. */
  sync: SyncStatus = { state: "off", server: null, email: null, pending: 0, lastSyncAt: null, error: null, progress: null, lastReport: null, tokenPlace: null, version: 0 };
  /** The password sync_connect accepts. */
  syncPassword = "secret";
  /** Values from another device that lost a concurrent edit, by restore token. */
  lostValues = new Map<string, { customerId: string; field: string; value: string }>();
  calls: { command: string; args: Record<string, unknown> }[] = [];
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

  private fail(code: AppError["code"], key: string, field: string | null = null): never {
    throw { code, message: MESSAGES[this.locale][key] ?? key, field } satisfies AppError;
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

  private liveFields(): CustomField[] {
    return this.fields.filter((f) => !f.deleted).map(({ deleted: _deleted, ...field }) => field);
  }

  private field(id: string): FakeField {
    return this.fields.find((f) => f.id === id && !f.deleted) ?? this.fail("not_found", "fieldNotFound");
  }

  /** The core's rules for the editor, simply: a label, the kind fixed, options for choices. */
  private checkFieldInput(input: CustomFieldInput, existing?: FakeField): CustomFieldInput {
    const labelEn = input.labelEn.trim();
    const labelZh = input.labelZh.trim();
    if (labelEn === "" && labelZh === "") this.fail("validation", "labelRequired", "labelEn");
    if (existing && existing.kind !== input.kind) this.fail("validation", "kindFixed", "kind");
    const options: ChoiceOption[] = [];
    if (input.kind === "choice" || input.kind === "multi") {
      let next = Math.max(0, ...(existing?.options ?? []).map((o) => Number(o.key.slice(1)) || 0)) + 1;
      input.options.forEach((o, i) => {
        const [en, zh] = [o.en.trim(), o.zh.trim()];
        if (en === "" && zh === "") return;
        if (options.some((x) => (en !== "" && x.en === en) || (zh !== "" && x.zh === zh))) this.fail("validation", "duplicateOption", `options.${i}`);
        const key = o.key !== "" && existing?.options.some((x) => x.key === o.key) ? o.key : `o${next++}`;
        options.push({ key, en, zh });
      });
      // Like the core: options are never dropped, only renamed.
      for (const old of existing?.options ?? []) if (!options.some((o) => o.key === old.key)) options.push(old);
      if (options.length === 0) this.fail("validation", "optionsRequired", "options");
    }
    return { scope: input.scope, kind: input.kind, labelEn, labelZh, options };
  }

  private createField(input: CustomFieldInput): CustomField {
    const clean = this.checkFieldInput(input);
    const field: FakeField = { id: `f${++this.seq}`, position: this.fields.length + 1, deleted: false, ...clean };
    this.fields.push(field);
    const { deleted: _deleted, ...out } = field;
    return out;
  }

  private updateField(id: string, input: CustomFieldInput): CustomField {
    const existing = this.field(id);
    Object.assign(existing, this.checkFieldInput(input, existing));
    const { deleted: _deleted, ...out } = existing;
    return out;
  }

  private fieldMessage(field: CustomField, key: string): never {
    const label = this.locale === "zh-CN" ? field.labelZh || field.labelEn : field.labelEn || field.labelZh;
    const message = (MESSAGES[this.locale][key] ?? key).replace("{field}", label);
    throw { code: "validation", message, field: `custom.${field.id}` } satisfies AppError;
  }

  /** A value in stored form, or null when empty; refuses what the field cannot hold. */
  private cleanValue(field: CustomField, raw: string): string | null {
    const v = raw.trim();
    if (v === "") return null;
    const option = (text: string) => field.options.find((o) => o.key === text || o.en.toLowerCase() === text.toLowerCase() || o.zh === text);
    switch (field.kind) {
      case "number": {
        const plain = v.replace(/[,，\s]/g, "");
        if (!/^[+-]?(\d+\.?\d*|\.\d+)$/.test(plain)) this.fieldMessage(field, "notNumber");
        return plain.replace(/^\+/, "");
      }
      case "date":
        if (!/^\d{4}-\d{2}-\d{2}$/.test(v) || Number.isNaN(Date.parse(`${v}T00:00:00Z`))) this.fieldMessage(field, "notDate");
        return v;
      case "choice":
        return (option(v) ?? this.fieldMessage(field, "notOption")).key;
      case "multi": {
        const keys = v.split(/[,;，；、]/).map((p) => p.trim()).filter(Boolean).map((p) => (option(p) ?? this.fieldMessage(field, "notOption")).key);
        const ordered = field.options.filter((o) => keys.includes(o.key)).map((o) => o.key);
        return ordered.length ? ordered.join(",") : null;
      }
      default:
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
  private out(c: Customer): Customer {
    return { ...c, custom: this.visibleCustom(c) };
  }

  private recordCustom(id: string, at: string, before: CustomValue[], after: CustomValue[]): void {
    const push = (field: string, oldValue: string | null, newValue: string | null) =>
      this.history.push({ id, at, author: "Tester", device: "test-laptop", field, oldValue, newValue, restore: null });
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
    const lost = this.lostValues.get(token) ?? this.fail("not_found", "lostNotFound");
    const current = this.get(lost.customerId);
    const at = this.now();
    const before = current as unknown as Record<string, unknown>;
    this.record(current.id, at, { [lost.field]: before[lost.field] }, { [lost.field]: lost.value });
    this.customers.set(current.id, { ...current, [lost.field]: lost.value, updatedAt: at });
    return null;
  }

  /**
   * The core's connect, simply: empty fields refused by name, plain http only to this computer,
   * a host named "unreachable" cannot be reached, one password works. Like the core it answers
   * with the status as stored: connected, not synced yet.
   */
  private syncConnect(server: string, email: string, password: string): SyncStatus {
    for (const [field, value] of [["server", server], ["email", email], ["password", password]] as const) {
      if (value.trim() === "") this.fail("validation", "required", field);
    }
    const url = /^(https?):\/\/([^/:]+)/.exec(server.trim());
    if (!url) this.fail("sync", "unreachable", "server");
    if (url[1] === "http" && !["localhost", "127.0.0.1"].includes(url[2]!)) this.fail("sync", "insecureServer", "server");
    if (url[2]!.includes("unreachable")) this.fail("sync", "unreachable", "server");
    if (password !== this.syncPassword) this.fail("sync", "wrongPassword", "password");
    this.sync = { ...this.sync, state: "offline", server: server.trim(), email: email.trim(), error: null, progress: null, tokenPlace: "keyring" };
    return this.sync;
  }

  /** Adds an activity straight to the store (its time as given, UTC), skipping the form. */
  seedActivity(customerId: string, input: Partial<ActivityInput> & { occurredAt: string }): Activity {
    return this.logActivity(customerId, { kind: "note", durationMinutes: null, outcome: "", body: "", ...input });
  }

  private logActivity(customerId: string, input: ActivityInput): Activity {
    const customer = this.get(customerId);
    if (customer.deletedAt) this.fail("not_found", "notFound");
    const activity: Activity = { id: `a${++this.seq}`, customerId, loggedBy: "Tester", ...this.validActivity(input) };
    this.activities.set(activity.id, { ...activity, deleted: false });
    return activity;
  }

  private validActivity(input: ActivityInput): ActivityInput {
    if (!RFC3339.test(input.occurredAt.trim())) this.fail("validation", "badTime", "occurredAt");
    if (input.durationMinutes !== null && input.durationMinutes > DURATION_MAX) this.fail("validation", "badDuration", "durationMinutes");
    return { ...input, occurredAt: new Date(input.occurredAt).toISOString(), outcome: input.outcome.trim(), body: input.body.trimEnd() };
  }

  private activity(id: string): Activity & { deleted: boolean } {
    const found = this.activities.get(id);
    return found && !found.deleted ? found : this.fail("not_found", "activityNotFound");
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

  private validate(input: CustomerInput): void {
    if (input.name.trim() === "") this.fail("validation", "nameRequired", "name");
    input.emails.forEach((email, i) => {
      if (!email.value.includes("@")) this.fail("validation", "badEmail", `emails.${i}.value`);
    });
  }

  private record(id: string, at: string, before: Partial<Record<string, unknown>>, after: Record<string, unknown>): void {
    for (const [field, value] of Object.entries(after)) {
      const old = before[field];
      const oldValue = old === undefined || old === null ? null : String(old);
      const newValue = value === null || value === undefined ? null : String(value);
      if (oldValue !== newValue) this.history.push({ id, at, author: "Tester", device: "test-laptop", field, oldValue, newValue, restore: null });
    }
  }

  private create(input: CustomerInput): Customer {
    this.validate(input);
    const at = this.now();
    const id = `c${++this.seq}`;
    const customer: Customer = {
      ...input,
      custom: this.cleanCustom(input.kind, input.custom),
      private: input.private ?? false,
      id,
      companyName: input.companyId ? (this.customers.get(input.companyId)?.name ?? null) : null,
      createdAt: at,
      updatedAt: at,
      deletedAt: null,
    };
    this.customers.set(id, customer);
    // As the core logs a creation: every column it set, empty text too (a NULL birthday is not set).
    this.record(id, at, {}, { name: input.name, kind: input.kind, stage: input.stage, owner: input.owner, source: input.source, notes: input.notes, birthday: input.birthday });
    this.recordCustom(id, at, [], customer.custom);
    return this.out(customer);
  }

  private get(id: string): Customer {
    return this.customers.get(id) ?? this.fail("not_found", "notFound");
  }

  private row(c: Customer): CustomerRow {
    return {
      id: c.id,
      kind: c.kind,
      name: c.name,
      companyName: c.companyName,
      stage: c.stage,
      owner: c.owner,
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
    if (clean === "") this.fail("validation", "segmentNameRequired", "name");
    if ([...clean].length > 60) this.fail("validation", "segmentNameTooLong", "name");
    const days = filter.inactiveDays ?? null;
    if (days !== null && (!Number.isInteger(days) || days < 1 || days > 3650)) this.fail("validation", "segmentDays", "inactiveDays");
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
    return found && !found.deleted ? found : this.fail("not_found", "segmentNotFound");
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

  private search(text: string, kind: string | null, limit: number): SearchHit[] {
    const needle = text.toLowerCase();
    const hits: SearchHit[] = [];
    for (const c of this.customers.values()) {
      if (c.deletedAt || (kind && c.kind !== kind)) continue;
      if (c.name.toLowerCase().includes(needle)) hits.push({ row: this.row(c), matched: "name" });
      else if (c.emails.some((e) => e.value.toLowerCase().includes(needle))) hits.push({ row: this.row(c), matched: "email" });
      else if (c.tags.some((t) => t.toLowerCase().includes(needle))) hits.push({ row: this.row(c), matched: "tag" });
    }
    return hits.slice(0, limit);
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
        if (email) pairs.push({ a: this.row(a), b: this.row(b), reason: "same_email", matched: email.value });
        else if (phone) pairs.push({ a: this.row(a), b: this.row(b), reason: "same_phone", matched: phone.value });
      }
    }
    return pairs.slice(0, limit);
  }

  /**
   * The core's merge, simply: single-valued fields from the side picked, the survivor's phones,
   * emails, addresses and tags then the other's not already there (phones by digits, emails case
   * aside), activities and people moved over. The absorbed record is hidden (in neither the list
   * nor the trash); the token brings everything back.
   */
  private merge(keepId: string, otherId: string, choices: MergeChoices): MergeOutcome {
    if (keepId === otherId) this.fail("validation", "sameRecord", "other");
    const keep = this.get(keepId);
    const other = this.get(otherId);
    if (keep.deletedAt || other.deletedAt) this.fail("not_found", "notFound");
    if (keep.kind !== other.kind) this.fail("validation", "kindMismatch", "kind");
    const from = (pick: Pick) => (pick === "keep" ? keep : other);
    const unique = <T>(mine: T[], theirs: T[], key: (item: T) => string): T[] => {
      const seen = new Set(mine.map(key));
      const out = [...mine];
      for (const item of theirs) {
        if (seen.has(key(item))) continue;
        seen.add(key(item));
        out.push(item);
      }
      return out;
    };
    const companyId = [keepId, otherId].includes(from(choices.companyId).companyId ?? "") ? null : from(choices.companyId).companyId;
    const at = this.now();
    const survivor: Customer = {
      ...keep,
      name: from(choices.name).name,
      companyId,
      companyName: companyId ? (this.customers.get(companyId)?.name ?? null) : null,
      owner: from(choices.owner).owner,
      stage: from(choices.stage).stage,
      source: from(choices.source).source,
      birthday: from(choices.birthday).birthday,
      notes: from(choices.notes).notes,
      phones: unique(keep.phones, other.phones, (p) => phoneDigits(p.value)),
      emails: unique(keep.emails, other.emails, (e) => e.value.toLowerCase()),
      addresses: unique(keep.addresses, other.addresses, (a) => [a.street, a.city, a.region, a.postalCode, a.country].join("|").toLowerCase()),
      tags: unique(keep.tags, other.tags, (tag) => tag),
      custom: unique(keep.custom ?? [], other.custom ?? [], (v) => v.fieldId),
      updatedAt: at,
    };
    this.record(keep.id, at, keep, { name: survivor.name, stage: survivor.stage, owner: survivor.owner, source: survivor.source });
    this.customers.set(keep.id, survivor);
    this.customers.delete(other.id);
    const activities = [...this.activities.values()].filter((a) => a.customerId === other.id && !a.deleted).map((a) => a.id);
    for (const id of activities) this.activities.set(id, { ...this.activities.get(id)!, customerId: keep.id });
    const people = [...this.customers.values()].filter((c) => c.companyId === other.id && !c.deletedAt).map((c) => c.id);
    for (const id of people) this.customers.set(id, { ...this.customers.get(id)!, companyId: keep.id, companyName: survivor.name });
    const undoToken = `merge:${++this.seq}`;
    this.merges.set(undoToken, { keep, other, activities, people });
    return { survivor: this.out(survivor), undoToken, movedActivities: activities.length, movedPeople: people.length };
  }

  private undoMerge(token: string): null {
    const merge = this.merges.get(token) ?? this.fail("not_found", "mergeNotFound");
    this.merges.delete(token);
    this.customers.set(merge.keep.id, { ...merge.keep, updatedAt: this.now() });
    this.customers.set(merge.other.id, merge.other);
    for (const id of merge.activities) this.activities.set(id, { ...this.activities.get(id)!, customerId: merge.other.id });
    for (const id of merge.people) this.customers.set(id, { ...this.customers.get(id)!, companyId: merge.other.id, companyName: merge.other.name });
    return null;
  }

  /** Adds an attachment straight to the store, as attach_file would; `gone` makes opening it fail. */
  seedAttachment(customerId: string, name: string, size: number, options: { gone?: boolean } = {}): Attachment {
    const attachment = this.attach(customerId, name, size);
    this.attachments.get(attachment.id)!.gone = options.gone ?? false;
    return attachment;
  }

  /** The core's attachments, simply: a live customer, a name, at most 100 MB; history as the core logs it. */
  private attach(customerId: string, name: string, size: number): Attachment {
    const customer = this.get(customerId);
    if (customer.deletedAt) this.fail("not_found", "notFound");
    const clean = name.split(/[\\/]/).pop()!.trim();
    if (clean === "") this.fail("validation", "nameRequired", "name");
    if (size > 100 * 1024 * 1024) this.fail("bad_file", "attachmentTooLarge");
    const at = this.now();
    const attachment: Attachment = { id: `att${++this.seq}`, customerId, name: clean, size, addedBy: "Tester", addedAt: at };
    this.attachments.set(attachment.id, { ...attachment, deleted: false, gone: false });
    this.record(customerId, at, {}, { "attachments.name": clean });
    return attachment;
  }

  private attachment(id: string): Attachment & { deleted: boolean; gone: boolean } {
    return this.attachments.get(id) ?? this.fail("not_found", "attachmentNotFound");
  }

  private setAttachmentDeleted(id: string, deleted: boolean): Attachment {
    const current = this.attachment(id);
    if (current.deleted !== deleted) {
      const at = this.now();
      this.record(current.customerId, at, { "attachments.deleted_at": deleted ? null : at }, { "attachments.deleted_at": deleted ? at : null });
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
    if (bytes.byteLength === 0) this.fail("bad_file", "emptyFile");
    let decoded: { text: string; encoding: TextEncoding } | null = null;
    for (const candidate of encoding ? [encoding] : (["utf8", "gbk"] as const)) {
      try {
        decoded = { text: new TextDecoder(DECODERS[candidate], { fatal: true }).decode(bytes), encoding: candidate };
        break;
      } catch {
        // try the next one
      }
    }
    if (!decoded) return this.fail("bad_file", "notEncoding");
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
    return { name, format: file.format, encoding: file.encoding, headers, sample: rows.slice(0, 20), rows: rows.length, mapping, dialect };
  }

  private importCheck(mapping: ColumnMap[] | null): ImportCheck {
    const file = this.importFile ?? this.fail("internal", "no file opened for import");
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
      let problem: RowError | null = null;
      for (const [i, m] of maps.entries()) {
        const cell = (cells[i] ?? "").trim();
        if (cell === "") continue;
        if (m.field === "name") input.name = cell;
        else if (m.field === "given_name" || m.field === "family_name") names.push(cell);
        else if (m.field === "company") company = cell;
        else if (m.field === "id") id = cell;
        else if (m.field === "custom") (input.custom ??= []).push({ fieldId: m.label, value: cell });
        else if (m.field === "phone") input.phones.push({ id: null, label: m.label, value: cell });
        else if (m.field === "email") {
          input.emails.push({ id: null, label: m.label, value: cell });
          if (!cell.includes("@")) problem ??= { row, column: file.headers[i] ?? "", message: MESSAGES[this.locale].badEmail! };
        }
      }
      input.name ||= names.join(" ");
      if (input.name === "" && company) [input.kind, input.name, company] = ["company", company, null];
      if (input.name === "") problem ??= { row, column: "", message: MESSAGES[this.locale].nameRequired! };
      if (problem) {
        errors.push(problem);
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
    return {
      valid,
      create: valid - update,
      update,
      newCompanies: plan.companies,
      errors: errors.slice(0, this.importErrorsShown),
      errorCount: errors.length,
    };
  }

  /** Writes the plan all at once, or (cancelled) not at all. */
  private async importCommit(channel: { onmessage?: (progress: ImportProgress) => void }): Promise<ImportSummary> {
    const plan = this.importPlan ?? this.fail("internal", "import_commit before import_check");
    const total = plan.records.length + plan.companies.length;
    this.importCancelled = false;
    channel.onmessage?.({ done: 0, total });
    if (this.commitGate) await this.commitGate.promise;
    this.commitGate = null;
    if (this.importCancelled) this.fail("cancelled", "cancelled");
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
      // Raw body too: the bytes are the args, the customer and the file name are headers.
      const bytes = args as unknown as Uint8Array;
      const customerId = options?.headers?.["x-customer-id"] ?? "";
      const name = decodeURIComponent(options?.headers?.["x-file-name"] ?? "");
      this.calls.push({ command, args: { customerId, fileName: name, size: bytes.byteLength } });
      return this.attach(customerId, name, bytes.byteLength);
    }
    this.calls.push({ command, args });
    switch (command) {
      case "app_info":
        return {
          version: "0.1.0",
          dbPath: "/home/test/.local/share/satchel/satchel.db",
          siteId: "site-1",
          author: "Tester",
          device: "test-laptop",
          locale: this.locale,
          customerCount: this.customers.size,
        } satisfies AppInfo;
      case "set_locale":
        this.locale = args.locale as Locale;
        return null;
      case "list_customers":
        return this.list(args.query as ListQuery);
      case "search_customers":
        return this.search(args.text as string, args.kind as string | null, args.limit as number);
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
        const input = args.input as CustomerInput;
        this.validate(input);
        const at = this.now();
        const custom = this.cleanCustom(input.kind, input.custom, current.custom);
        const next: Customer = { ...current, ...input, custom, private: input.private ?? current.private, updatedAt: at };
        this.record(current.id, at, current, { name: next.name, stage: next.stage, owner: next.owner, source: next.source });
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
        if (!current) throw { code: "not_found", message: "This record no longer exists", field: null } satisfies AppError;
        this.activities.set(current.id, { ...current, deleted: false });
        const { deleted: _deleted, ...activity } = current;
        return activity;
      }
      case "customer_timeline":
        this.get(args.id as string);
        return this.timeline(args.id as string, args.before as string | null, args.limit as number);
      case "customer_attachments":
        this.get(args.id as string);
        return [...this.attachments.values()]
          .filter((a) => a.customerId === args.id && !a.deleted)
          .sort((a, b) => b.addedAt.localeCompare(a.addedAt))
          .map(({ deleted: _deleted, gone: _gone, ...attachment }) => attachment);
      case "open_attachment": {
        const attachment = this.attachment(args.id as string);
        if (attachment.deleted) this.fail("not_found", "attachmentNotFound");
        if (attachment.gone) this.fail("not_found", "attachmentGone");
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
      case "update_custom_field":
        return this.updateField(args.id as string, args.input as CustomFieldInput);
      case "custom_field_usage":
        return this.usage(args.id as string);
      case "remove_custom_field":
        this.field(args.id as string).deleted = true;
        return null;
      case "restore_custom_field": {
        const field = this.fields.find((f) => f.id === args.id) ?? this.fail("not_found", "fieldNotFound");
        field.deleted = false;
        const { deleted: _deleted, ...out } = field;
        return out;
      }
      case "import_reopen": {
        const file = this.importFile ?? this.fail("internal", "no file opened for import");
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
        const segment = this.segments.get(args.id as string) ?? this.fail("not_found", "segmentNotFound");
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
      case "restore_lost_value":
        return this.restoreLost(args.token as string);
      case "export_customers": {
        const query = args.query as ListQuery;
        const format = args.format as ExportFormat;
        const { total } = this.list({ ...query, trash: false, offset: 0, limit: Number.MAX_SAFE_INTEGER });
        return { path: `/home/test/Downloads/satchel-customers.${format === "csv" ? "csv" : "vcf"}`, count: total } satisfies ExportResult;
      }
      default:
        throw { code: "internal", message: `unknown command ${command}`, field: null } satisfies AppError;
    }
  };
}

/** jsdom has no layout; the virtual list needs its viewport to have a height to render rows. */
export function giveListAViewport(height = 720): () => void {
  const original = Object.getOwnPropertyDescriptor(HTMLElement.prototype, "clientHeight");
  Object.defineProperty(HTMLElement.prototype, "clientHeight", {
    configurable: true,
    get(this: HTMLElement) {
      return this.classList.contains("table-scroll") ? height : 0;
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
