import { useCallback, useEffect, useId, useRef, useState, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { commands, type Customer, type CustomerId, type CustomerKind, type DuplicateHint, type Stage } from "../bindings";
import { Kbd } from "../lib/Kbd";
import { hotkeyLabel, SHORTCUTS } from "../lib/keys";
import { revealClear } from "../lib/reveal";
import { call } from "../lib/result";
import { useKeepClearOfToasts } from "../lib/toast";
import { useHotkey } from "../lib/useHotkey";
import { Icon } from "../shell/Icon";
import { CompanyPicker } from "./CompanyPicker";
import { appliesTo, customPath, fieldLabel } from "./customFields";
import { CustomInput } from "./CustomInput";
import { DateInput } from "./DateInput";
import {
  ADDRESS_PARTS,
  blankAddress,
  blankContact,
  errorsByAnchor,
  inputId,
  prepareInput,
  type AddressPart,
  type FormValues,
  type Group,
  type ShownError,
} from "./formState";
import { useContactLabels } from "./labels";
import { isKind, isStage, KINDS, STAGES } from "./stages";
import { addTag, TagInput } from "./TagInput";
import { useCustomFields } from "./useCustomFields";
import { useDuplicateHints } from "./useDuplicateHints";
import { useFacets } from "./useFacets";

/** Errors shown under inputs, by anchor: `field` is the path Rust named, `message` its words. */
type Errors = Record<string, ShownError>;

type Props = {
  initial: FormValues;
  /** Null creates a new customer. */
  customerId: CustomerId | null;
  onSaved: (customer: Customer) => void;
  onCancel: () => void;
  /** Leaves the form for an existing record (from the duplicate warning). */
  onOpenCustomer: (id: CustomerId) => void;
};

const GROUP_TESTID: Record<Group, string> = { phones: "phone", emails: "email", addresses: "address" };
/** A focus request for the first error the form shows, in form order, rather than a named field. */
const FIRST_ERROR = "first-error";

/**
 * What a focus request lands on: the input `anchor` names, or for FIRST_ERROR the control of the
 * first error message in the form (in document order, which is form order): its id is the
 * message's without "-error". An error with no control of its own (the form's) is shown itself.
 */
function focusTarget(form: HTMLElement, anchor: string): { focus: HTMLElement | null; show: HTMLElement } | null {
  if (anchor !== FIRST_ERROR) {
    const el = document.getElementById(inputId(anchor));
    return el ? { focus: el, show: el } : null;
  }
  const message = form.querySelector<HTMLElement>(".field-error");
  if (!message) return null;
  const control = message.id ? document.getElementById(message.id.replace(/-error$/, "")) : null;
  return control ? { focus: control, show: control } : { focus: null, show: message };
}

/**
 * Create and edit share one form. Rust validates; when it refuses, its message is shown under the
 * input it names and everything typed stays, so fixing one field never means retyping the rest.
 */
export function CustomerForm({ initial, customerId, onSaved, onCancel, onOpenCustomer }: Props) {
  const { t, i18n } = useTranslation();
  const facets = useFacets();
  const labels = useContactLabels();
  const { fields: customFields, loaded: customFieldsLoaded } = useCustomFields();
  const ownerListId = useId();
  const labelListId = useId();
  const keepClearOfToasts = useKeepClearOfToasts();

  const [values, setValues] = useState<FormValues>(initial);

  // A field that comes back while the form is open (Undo of its removal) has a value the record
  // did not carry when the form loaded: fetch it, or Save would send the field empty and clear
  // it. What the user typed meanwhile wins.
  const knownFields = useRef<Set<string> | null>(null);
  useEffect(() => {
    if (!customFieldsLoaded) return;
    const known = knownFields.current;
    knownFields.current = new Set(customFields.map((f) => f.id));
    const returned = known === null ? [] : customFields.filter((f) => !known.has(f.id)).map((f) => f.id);
    if (customerId === null || returned.length === 0) return;
    void call(commands.getCustomer(customerId)).then((result) => {
      if (result.status !== "ok") return;
      const stored = (result.data.custom ?? []).filter((v) => returned.includes(v.fieldId));
      if (stored.length > 0) setValues((v) => ({ ...v, custom: { ...Object.fromEntries(stored.map((c) => [c.fieldId, c.value])), ...v.custom } }));
    });
  }, [customFields, customFieldsLoaded, customerId]);
  const [tagDraft, setTagDraft] = useState("");
  const [errors, setErrors] = useState<Errors>({});
  const [saving, setSaving] = useState(false);
  // A fresh object each time, so asking to focus the same field twice still moves focus.
  // FIRST_ERROR: the first refused field in the form's order.
  const [focusRequest, setFocusRequest] = useState<{ anchor: string } | null>(null);

  // The form shows no birthday for a company, so it never changes one: a company record sends back
  // what it has (an import may have set one), and one typed while the form was a person's is dropped.
  const companyBirthday = initial.kind === "company" ? initial.birthday : null;
  // Built exactly as save builds it, so the check sees what would be stored.
  const duplicates = useDuplicateHints(prepareInput(values, labels.canonical, [], companyBirthday).input, customerId);

  const openDuplicate = (id: CustomerId) => {
    const dirty = tagDraft.trim() !== "" || JSON.stringify(values) !== JSON.stringify(initial);
    if (dirty && !window.confirm(t("duplicate.leaveConfirm"))) return;
    onOpenCustomer(id);
  };

  const formRef = useRef<HTMLFormElement>(null);
  const pointerFocus = useRef(false);
  // Focus without the browser's own scrolling, which may leave the field under the sticky Save
  // bar; then scroll it (with its label and message) into the part of the page the bars leave.
  useEffect(() => {
    const form = formRef.current;
    if (!focusRequest || !form) return;
    const target = focusTarget(form, focusRequest.anchor);
    if (!target) return;
    target.focus?.focus({ preventScroll: true });
    const field = target.show.closest<HTMLElement>(".form-field, .banner");
    // A row just added: the next group's add button too, so it is not left under the Save bar.
    const group = target.show.closest<HTMLElement>(".form-group");
    const next = group?.nextElementSibling?.querySelector<HTMLElement>(":scope > .form-group-header") ?? group?.nextElementSibling;
    revealClear(target.show, field, focusRequest.anchor === FIRST_ERROR ? null : (next as HTMLElement | null | undefined));
  }, [focusRequest]);

  const change = useCallback((patch: Partial<FormValues>, ...anchors: string[]) => {
    setValues((v) => ({ ...v, ...patch }));
    setErrors((current) => {
      if (!anchors.some((a) => a in current) && !("form" in current)) return current;
      const next = { ...current };
      for (const anchor of [...anchors, "form"]) delete next[anchor];
      return next;
    });
  }, []);

  const save = async () => {
    if (saving) return;
    let current = values;
    // A tag typed but not yet confirmed with Enter is clearly meant to be kept.
    if (tagDraft.trim() !== "") {
      current = { ...current, tags: addTag(current.tags, tagDraft) };
      setValues(current);
      setTagDraft("");
    }
    // An empty name, like every other problem, is the core's to refuse: it names them all at once.
    const { input, indexMaps } = prepareInput(current, labels.canonical, customFields, companyBirthday);
    setSaving(true);
    const result = await call(customerId ? commands.updateCustomer(customerId, input) : commands.createCustomer(input));
    setSaving(false);
    if (result.status === "ok") {
      onSaved(result.data);
      return;
    }
    // A custom field the form does not show (not loaded, or not for this kind) is said at the top.
    const shows = (anchor: string) => !anchor.startsWith("custom.") || customFields.some((f) => customPath(f.id) === anchor && appliesTo(f, current.kind));
    const refused = errorsByAnchor(result.error, indexMaps, shows);
    setErrors(refused.errors);
    setFocusRequest({ anchor: FIRST_ERROR });
  };
  const saveRef = useRef(save);
  saveRef.current = save;

  useHotkey(SHORTCUTS.save, (event) => {
    event.preventDefault();
    void saveRef.current();
  });

  const control = (anchor: string) => ({
    id: inputId(anchor),
    "aria-invalid": errors[anchor] ? true : undefined,
    "aria-describedby": errors[anchor] ? `${inputId(anchor)}-error` : undefined,
  });
  const errorFor = (anchor: string): ReactNode => {
    const error = errors[anchor];
    if (!error) return null;
    return (
      <div className="field-error" id={`${inputId(anchor)}-error`} data-error-for={error.field} role="alert">
        {error.message}
      </div>
    );
  };

  const addRow = (group: Group) => {
    const index = values[group].length;
    if (group === "addresses") {
      change({ addresses: [...values.addresses, blankAddress(t("label.work"))] }, group);
      setFocusRequest({ anchor: `addresses.${index}.street` });
    } else {
      const label = group === "phones" ? t("label.mobile") : t("label.work");
      change({ [group]: [...values[group], blankContact(label)] }, group);
      setFocusRequest({ anchor: `${group}.${index}.value` });
    }
  };

  const removeRow = (group: Group, index: number) => {
    // Indices after the removed row shift, so errors about this group no longer point anywhere.
    setErrors((current) => Object.fromEntries(Object.entries(current).filter(([anchor]) => !anchor.startsWith(group))));
    setValues((v) => ({ ...v, [group]: v[group].filter((_, i) => i !== index) }));
  };

  const setContact = (group: "phones" | "emails", index: number, part: "label" | "value", value: string) => {
    change({ [group]: values[group].map((item, i) => (i === index ? { ...item, [part]: value } : item)) }, `${group}.${index}.${part}`);
  };

  const setAddress = (index: number, part: AddressPart | "label", value: string) => {
    change(
      { addresses: values.addresses.map((item, i) => (i === index ? { ...item, [part]: value } : item)) },
      `addresses.${index}.${part}`,
    );
  };

  const setCustom = (fieldId: string, value: string) => {
    change({ custom: { ...values.custom, [fieldId]: value } }, customPath(fieldId));
  };
  const shownCustomFields = customFields.filter((field) => appliesTo(field, values.kind));

  const tagError = errors.tags ? Number(/^tags\.(\d+)$/.exec(errors.tags.field)?.[1] ?? NaN) : NaN;

  return (
    <form
      className="form"
      noValidate
      data-testid="customer-form"
      ref={formRef}
      // Tabbing to a field at the page's foot: the browser scrolls it just into view, which may be
      // under the Save bar; move it clear of the bar. Not when the focus comes from a click: the
      // page would move under the pointer between press and release, and a button pressed near
      // the bar ("+ Add phone") would never get its click.
      onMouseDown={() => {
        pointerFocus.current = true;
      }}
      onKeyDown={() => {
        pointerFocus.current = false;
      }}
      onFocus={(event) => {
        const el = event.target;
        const byPointer = pointerFocus.current;
        pointerFocus.current = false;
        if (byPointer || !(el instanceof HTMLElement) || el.closest("[data-sticky]")) return;
        revealClear(el, el.closest<HTMLElement>(".form-field"));
      }}
      onSubmit={(event) => {
        event.preventDefault();
        void save();
      }}
    >
      {errorFor("form") && <div className="banner">{errorFor("form")}</div>}

      <div className="form-row">
        <Field label={t("field.kind")} anchor="kind">
          <select
            {...control("kind")}
            className="select"
            data-testid="field-kind"
            value={values.kind}
            onChange={(e) => isKind(e.target.value) && change({ kind: e.target.value as CustomerKind }, "kind", "companyId")}
          >
            {KINDS.map((kind) => (
              <option key={kind} value={kind}>
                {t(`kind.${kind}`)}
              </option>
            ))}
          </select>
          {errorFor("kind")}
        </Field>
        <Field label={t("field.name")} anchor="name" required>
          <input
            {...control("name")}
            className="input"
            data-testid="field-name"
            autoFocus
            aria-required="true"
            value={values.name}
            placeholder={values.kind === "company" ? t("form.companyNamePlaceholder") : t("form.personNamePlaceholder")}
            onChange={(e) => change({ name: e.target.value }, "name")}
          />
          {errorFor("name")}
        </Field>
      </div>

      {/* Under name rather than above it, so the box appearing never moves the input being typed in. */}
      {duplicates.length > 0 && <DuplicateWarning hints={duplicates} onOpen={openDuplicate} />}

      <div className="form-row">
        {values.kind === "person" ? (
          <Field label={t("field.company")} anchor="companyId">
            <CompanyPicker
              companyId={values.companyId}
              companyName={values.companyName}
              inputProps={control("companyId")}
              onChange={(companyId, companyName) => change({ companyId, companyName }, "companyId")}
            />
            {errorFor("companyId")}
          </Field>
        ) : (
          <div />
        )}
        <Field label={t("field.owner")} anchor="owner">
          <input
            {...control("owner")}
            className="input"
            data-testid="field-owner"
            list={ownerListId}
            value={values.owner}
            onChange={(e) => change({ owner: e.target.value }, "owner")}
          />
          <datalist id={ownerListId}>
            {facets.owners.map((owner) => (
              <option key={owner} value={owner} />
            ))}
          </datalist>
          {errorFor("owner")}
        </Field>
      </div>

      {/* A person's role at their company; companies have neither. */}
      {values.kind === "person" && (
        <div className="form-row">
          <Field label={t("field.jobTitle")} anchor="jobTitle">
            <input
              {...control("jobTitle")}
              className="input"
              data-testid="field-jobTitle"
              value={values.jobTitle}
              onChange={(e) => change({ jobTitle: e.target.value }, "jobTitle")}
            />
            {errorFor("jobTitle")}
          </Field>
          <Field label={t("field.department")} anchor="department">
            <input
              {...control("department")}
              className="input"
              data-testid="field-department"
              value={values.department}
              onChange={(e) => change({ department: e.target.value }, "department")}
            />
            {errorFor("department")}
          </Field>
        </div>
      )}

      <div className="form-row">
        <Field label={t("field.stage")} anchor="stage">
          <select
            {...control("stage")}
            className="select"
            data-testid="field-stage"
            value={values.stage}
            onChange={(e) => isStage(e.target.value) && change({ stage: e.target.value as Stage }, "stage")}
          >
            {STAGES.map((stage) => (
              <option key={stage} value={stage}>
                {t(`stage.${stage}`)}
              </option>
            ))}
          </select>
          {errorFor("stage")}
        </Field>
        <Field label={t("field.source")} anchor="source">
          <input
            {...control("source")}
            className="input"
            data-testid="field-source"
            value={values.source}
            placeholder={t("form.sourcePlaceholder")}
            onChange={(e) => change({ source: e.target.value }, "source")}
          />
          {errorFor("source")}
        </Field>
      </div>

      <div className="form-row">
        {/* Only people have birthdays (a company's founding day is not one). */}
        {values.kind === "person" && (
          <Field label={t("field.birthday")} anchor="birthday">
            <DateInput
              controlProps={control("birthday")}
              testId="field-birthday"
              value={values.birthday ?? ""}
              onChange={(text) => change({ birthday: text === "" ? null : text }, "birthday")}
            />
            {errorFor("birthday")}
          </Field>
        )}
        <div className="form-field">
          <span className="form-label">{t("form.visibility")}</span>
          <label className="checkbox-field">
            <input
              {...control("private")}
              type="checkbox"
              data-testid="customer-private"
              checked={values.private}
              aria-describedby={errors.private ? `${inputId("private")}-error` : `${inputId("private")}-hint`}
              onChange={(e) => change({ private: e.target.checked }, "private")}
            />
            <Icon name="lock" size={14} />
            {t("form.private")}
          </label>
          <span className="form-hint" id={`${inputId("private")}-hint`}>
            {t("form.privateHint")}
          </span>
          {errorFor("private")}
        </div>
      </div>

      <Field label={t("field.tags")} anchor="tags">
        <TagInput
          tags={values.tags}
          draft={tagDraft}
          onDraftChange={setTagDraft}
          onChange={(tags) => change({ tags }, "tags")}
          suggestions={facets.tags}
          invalidIndex={Number.isNaN(tagError) ? null : tagError}
          inputProps={control("tags")}
        />
        {errorFor("tags")}
      </Field>

      <datalist id={labelListId}>
        {labels.suggestions.map((label) => (
          <option key={label} value={label} />
        ))}
      </datalist>

      {(["phones", "emails"] as const).map((group) => (
        <section key={group} className="form-group" aria-label={t(`field.${group}`)}>
          <GroupHeader title={t(`field.${group}`)}>
            <button type="button" className="btn btn-small" data-testid={`add-${GROUP_TESTID[group]}`} id={inputId(group)} onClick={() => addRow(group)}>
              + {t(group === "phones" ? "form.addPhone" : "form.addEmail")}
            </button>
          </GroupHeader>
          {errorFor(group)}
          {values[group].map((item, index) => (
            <div key={index} className="repeat-row">
              <div className="form-field">
                <input
                  {...control(`${group}.${index}.label`)}
                  className="input"
                  data-testid={`field-${group}-${index}-label`}
                  list={labelListId}
                  aria-label={t("form.label")}
                  value={item.label}
                  onChange={(e) => setContact(group, index, "label", e.target.value)}
                />
                {errorFor(`${group}.${index}.label`)}
              </div>
              <div className="form-field">
                <input
                  {...control(`${group}.${index}.value`)}
                  className="input"
                  type={group === "emails" ? "email" : "tel"}
                  data-testid={`field-${group}-${index}-value`}
                  aria-label={t(group === "phones" ? "form.phoneNumber" : "form.emailAddress")}
                  value={item.value}
                  onChange={(e) => setContact(group, index, "value", e.target.value)}
                />
                {errorFor(`${group}.${index}.value`)}
              </div>
              <button
                type="button"
                className="btn btn-ghost btn-icon"
                data-testid={`remove-${GROUP_TESTID[group]}-${index}`}
                aria-label={t("form.remove")}
                title={t("form.remove")}
                onClick={() => removeRow(group, index)}
              >
                ×
              </button>
            </div>
          ))}
        </section>
      ))}

      <section className="form-group" aria-label={t("field.addresses")}>
        <GroupHeader title={t("field.addresses")}>
          <button type="button" className="btn btn-small" data-testid="add-address" id={inputId("addresses")} onClick={() => addRow("addresses")}>
            + {t("form.addAddress")}
          </button>
        </GroupHeader>
        {errorFor("addresses")}
        {values.addresses.map((address, index) => (
          <div key={index} className="address-row">
            <div className="form-field">
              <input
                {...control(`addresses.${index}.label`)}
                className="input"
                data-testid={`field-addresses-${index}-label`}
                list={labelListId}
                aria-label={t("form.label")}
                value={address.label}
                onChange={(e) => setAddress(index, "label", e.target.value)}
              />
              {errorFor(`addresses.${index}.label`)}
            </div>
            <div className="address-fields">
              {ADDRESS_PARTS.map((part) => (
                <div key={part} className={`form-field${part === "street" ? " wide" : ""}`}>
                  <input
                    {...control(`addresses.${index}.${part}`)}
                    className="input"
                    data-testid={`field-addresses-${index}-${part}`}
                    aria-label={t(`address.${part}`)}
                    placeholder={t(`address.${part}`)}
                    value={address[part]}
                    onChange={(e) => setAddress(index, part, e.target.value)}
                  />
                  {errorFor(`addresses.${index}.${part}`)}
                </div>
              ))}
            </div>
            <button
              type="button"
              className="btn btn-ghost btn-icon"
              data-testid={`remove-address-${index}`}
              aria-label={t("form.remove")}
              title={t("form.remove")}
              onClick={() => removeRow("addresses", index)}
            >
              ×
            </button>
          </div>
        ))}
      </section>

      <Field label={t("field.notes")} anchor="notes">
        <textarea
          {...control("notes")}
          className="textarea"
          data-testid="field-notes"
          value={values.notes}
          onChange={(e) => change({ notes: e.target.value }, "notes")}
        />
        {errorFor("notes")}
      </Field>

      {shownCustomFields.length > 0 && (
        <section className="form-group" aria-label={t("customFields.formGroup")} data-testid="custom-field-group">
          <GroupHeader title={t("customFields.formGroup")} />
          <div className="form-row">
            {shownCustomFields.map((field) => {
              const anchor = customPath(field.id);
              return (
                <CustomInput
                  key={field.id}
                  field={field}
                  label={fieldLabel(field, i18n.language)}
                  locale={i18n.language}
                  value={values.custom[field.id] ?? ""}
                  controlProps={control(anchor)}
                  error={errorFor(anchor)}
                  onChange={(value) => setCustom(field.id, value)}
                />
              );
            })}
          </div>
        </section>
      )}

      {/* Sticky at the window's foot on a long form: toasts move up rather than cover Save. */}
      <div className="form-actions" data-sticky="bottom" ref={keepClearOfToasts}>
        <button type="submit" className="btn btn-primary" data-testid="save" disabled={saving} title={`${t("action.save")} (${hotkeyLabel(SHORTCUTS.save)})`}>
          {saving ? t("form.saving") : t("action.save")} <Kbd hotkey={SHORTCUTS.save} />
        </button>
        <button type="button" className="btn" data-testid="cancel" onClick={onCancel}>
          {t("action.cancel")}
        </button>
      </div>
    </form>
  );
}

/** Advice, never a blocker: saving stays possible (merging records comes later). */
function DuplicateWarning({ hints, onOpen }: { hints: DuplicateHint[]; onOpen: (id: CustomerId) => void }) {
  const { t } = useTranslation();
  const reason = (hint: DuplicateHint): string => {
    switch (hint.reason) {
      case "same_email":
        return t("duplicate.sameEmail", { value: hint.matched });
      case "same_phone":
        return t("duplicate.samePhone", { value: hint.matched });
      case "similar_name":
        // Names are compared within one company for people, and among companies for companies.
        return hint.row.kind === "company" ? t("duplicate.similarCompanyName") : t("duplicate.similarName");
    }
  };
  return (
    <div className="duplicate-warning" role="status" data-testid="duplicate-warning">
      <div className="duplicate-warning-title">{t("duplicate.title")}</div>
      <ul className="duplicate-list">
        {hints.map((hint) => (
          <li key={`${hint.row.id}-${hint.reason}-${hint.matched}`} className="duplicate-hint" data-testid="duplicate-hint" data-id={hint.row.id}>
            <span className="duplicate-hint-name">
              {hint.row.name}
              {hint.row.companyName && <span className="duplicate-hint-company"> · {hint.row.companyName}</span>}
            </span>
            <span className="duplicate-hint-reason">{reason(hint)}</span>
            <button type="button" className="link-button" data-testid="duplicate-open" onClick={() => onOpen(hint.row.id)}>
              {t("common.open")}
            </button>
          </li>
        ))}
      </ul>
      <div className="duplicate-warning-note">{t("duplicate.saveAnyway")}</div>
    </div>
  );
}

function Field({ label, anchor, required, children }: { label: string; anchor: string; required?: boolean; children: ReactNode }) {
  return (
    <div className="form-field">
      <label htmlFor={inputId(anchor)}>
        {label}
        {required && <span aria-hidden="true"> *</span>}
      </label>
      {children}
    </div>
  );
}

function GroupHeader({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="form-group-header">
      <h3 className="form-label">{title}</h3>
      {children}
    </div>
  );
}
