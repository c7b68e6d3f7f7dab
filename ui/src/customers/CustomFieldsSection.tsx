import { useEffect, useId, useRef, useState, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { commands, type AppError, type ChoiceOption, type CustomField, type CustomFieldInput, type FieldKind, type FieldScope } from "../bindings";
import { customersChanged, customFieldsChanged } from "../lib/events";
import { formatNumber } from "../lib/format";
import { ConfirmDialog } from "../lib/ConfirmDialog";
import { call } from "../lib/result";
import { revealClear } from "../lib/reveal";
import { useKeepClearOfToasts, useToast } from "../lib/toast";
import { fieldLabel, FIELD_KINDS, FIELD_SCOPES, hasOptions, isFieldKind, isFieldScope } from "./customFields";
import { useCustomFields } from "./useCustomFields";

/** What the editor edits; `id` null is a new field. Options with a key exist already. */
type Draft = {
  id: string | null;
  kind: FieldKind;
  scope: FieldScope;
  labelEn: string;
  labelZh: string;
  options: ChoiceOption[];
};

/** An error shown under one input of the editor: `field` is the path Rust named. */
type EditorError = { anchor: string; field: string; message: string };

const blankOption = (): ChoiceOption => ({ key: "", en: "", zh: "" });

function newDraft(): Draft {
  return { id: null, kind: "text", scope: "both", labelEn: "", labelZh: "", options: [] };
}

function draftOf(field: CustomField): Draft {
  return {
    id: field.id,
    kind: field.kind,
    scope: field.scope,
    labelEn: field.labelEn,
    labelZh: field.labelZh,
    options: field.options.map((o) => ({ ...o })),
  };
}

/** The editor input an error path belongs to ("form" is the top of the editor). */
export function editorAnchor(field: string | null): string {
  if (!field) return "form";
  const path = field.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
  if (["labelEn", "labelZh", "kind", "scope", "options"].includes(path)) return path;
  const option = /^options\.(\d+)(?:\.(en|zh))?$/.exec(path);
  if (option) return `options.${option[1]}.${option[2] ?? "en"}`;
  return "form";
}

type SectionProps = {
  /** Whose fields: `customer` (companies and people, with a scope), or another record type's
   * (`opportunity`, `quote`, `contract`), whose fields apply to every record. */
  recordType?: string;
  title?: string;
  help?: string;
  /** Told after a field changed (records show only live fields' values). */
  onChanged?: () => void;
};

/**
 * Settings → Custom fields: the fields users added to a record type, each labelled in English
 * and Chinese. Removing one only hides it (its values stay stored and in history); the Undo in
 * the toast that follows is how a field comes back.
 */
export function CustomFieldsSection({ recordType = "customer", title, help, onChanged = customersChanged }: SectionProps) {
  const { t, i18n } = useTranslation();
  const toast = useToast();
  const titleId = useId();
  const { fields, loaded, error } = useCustomFields(recordType);
  const scoped = recordType === "customer";
  const [draft, setDraft] = useState<Draft | null>(null);
  const [counting, setCounting] = useState<string | null>(null);
  const [removing, setRemoving] = useState<{ field: CustomField; count: number } | null>(null);
  const locale = i18n.language;

  const askRemove = async (field: CustomField) => {
    if (counting) return;
    setCounting(field.id);
    const usage = await call(commands.customFieldUsage(field.id));
    setCounting(null);
    if (usage.status === "error") {
      toast.show({ message: usage.error.message, tone: "error" });
      return;
    }
    setRemoving({ field, count: usage.data });
  };

  const remove = async (field: CustomField) => {
    setRemoving(null);
    const result = await call(commands.removeCustomField(field.id));
    if (result.status === "error") {
      toast.show({ message: result.error.message, tone: "error" });
      return;
    }
    if (draft?.id === field.id) setDraft(null);
    // Records show (and lists filter by) live fields' values only, so they change too.
    customFieldsChanged();
    onChanged();
    const label = fieldLabel(field, locale);
    toast.show({
      message: t("customFields.removedToast", { label }),
      kind: "custom-field-removed",
      action: {
        label: t("common.undo"),
        testId: "undo",
        run: async () => {
          const restored = await call(commands.restoreCustomField(field.id));
          if (restored.status === "error") {
            toast.show({ message: restored.error.message, tone: "error" });
            return;
          }
          customFieldsChanged();
          onChanged();
          toast.show({ message: t("customFields.restoredToast", { label: fieldLabel(restored.data, locale) }) });
        },
      },
    });
  };

  return (
    <section className="card" data-testid={scoped ? "custom-fields" : `custom-fields-${recordType}`} aria-labelledby={titleId}>
      <h2 id={titleId}>{title ?? t("customFields.title")}</h2>
      <p className="muted">{help ?? t("customFields.help")}</p>
      {error && (
        <p className="field-error" role="alert">
          {t("customFields.loadFailed", { message: error.message })}
        </p>
      )}

      {!loaded ? (
        <p className="muted">{t("common.loading")}</p>
      ) : fields.length === 0 ? (
        <p className="muted" data-testid="custom-fields-empty">
          {t("customFields.empty")}
        </p>
      ) : (
        <div className="import-table-scroll">
          <table className="import-table" data-testid="custom-field-list">
            <thead>
              <tr>
                <th scope="col">{t("customFields.labelColumn")}</th>
                <th scope="col">{t("customFields.kindLabel")}</th>
                {scoped && <th scope="col">{t("customFields.scopeLabel")}</th>}
                <th scope="col">
                  <span className="visually-hidden">{t("customFields.actions")}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {fields.map((field) => {
                const label = fieldLabel(field, locale);
                return (
                  <tr key={field.id} data-testid="custom-field-row" data-id={field.id}>
                    <th scope="row">{label}</th>
                    <td>{t(`customFields.kind.${field.kind}`)}</td>
                    {scoped && <td>{t(`customFields.scope.${field.scope}`)}</td>}
                    <td>
                      <div style={{ display: "flex", gap: "var(--space-2)", justifyContent: "flex-end" }}>
                        <button
                          type="button"
                          className="btn btn-small"
                          data-testid={`cf-edit-${field.id}`}
                          aria-label={t("customFields.editField", { label })}
                          onClick={() => setDraft(draftOf(field))}
                        >
                          {t("action.edit")}
                        </button>
                        <button
                          type="button"
                          className="btn btn-small btn-danger"
                          data-testid={`cf-remove-${field.id}`}
                          aria-label={t("customFields.removeField", { label })}
                          aria-busy={counting === field.id}
                          onClick={() => void askRemove(field)}
                        >
                          {t("customFields.remove")}
                        </button>
                      </div>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}

      {draft ? (
        <FieldEditor key={draft.id ?? "new"} initial={draft} recordType={recordType} onDone={() => setDraft(null)} />
      ) : (
        <div style={{ marginTop: "var(--space-3)" }}>
          <button type="button" className="btn" data-testid="add-custom-field" onClick={() => setDraft(newDraft())}>
            + {t("customFields.add")}
          </button>
        </div>
      )}

      {removing && (
        <RemoveDialog
          label={fieldLabel(removing.field, locale)}
          count={removing.count}
          onCancel={() => setRemoving(null)}
          onConfirm={() => void remove(removing.field)}
        />
      )}
    </section>
  );
}

function FieldEditor({ initial, recordType, onDone }: { initial: Draft; recordType: string; onDone: () => void }) {
  const { t } = useTranslation();
  const keepClearOfToasts = useKeepClearOfToasts();
  const formId = useId();
  const [draft, setDraft] = useState<Draft>(initial);
  const [errors, setErrors] = useState<Record<string, EditorError>>({});
  const [saving, setSaving] = useState(false);
  const editing = initial.id !== null;
  // Options that exist in storage: renamable, never deletable (records may hold their keys).
  const storedKeys = new Set(initial.options.map((o) => o.key).filter((key) => key !== ""));

  const idOf = (anchor: string) => `${formId}-${anchor.replace(/\./g, "-")}`;

  useEffect(() => {
    document.getElementById(idOf("labelEn"))?.focus();
    // Once, when the editor opens.
  }, []);

  // The patch may be worked out from the draft as it is by then (a function): several changes
  // before the next render (quick clicks, fast typing) then each build on the one before.
  const update = (patch: Partial<Draft> | ((d: Draft) => Partial<Draft>), ...anchors: string[]) => {
    setDraft((d) => ({ ...d, ...(typeof patch === "function" ? patch(d) : patch) }));
    setErrors((current) => {
      if (!anchors.some((a) => a in current) && !("form" in current)) return current;
      const next = { ...current };
      for (const anchor of [...anchors, "form"]) delete next[anchor];
      return next;
    });
  };

  const setOption = (index: number, part: "en" | "zh", value: string) => {
    update((d) => ({ options: d.options.map((o, i) => (i === index ? { ...o, [part]: value } : o)) }), `options.${index}.${part}`, "options");
  };

  // The row added last takes focus once it is rendered, however many were added meanwhile.
  const focusNewOption = useRef(false);
  const addOption = () => {
    focusNewOption.current = true;
    update((d) => ({ options: [...d.options, blankOption()] }), "options");
  };
  const optionCount = draft.options.length;
  useEffect(() => {
    if (!focusNewOption.current) return;
    focusNewOption.current = false;
    const input = document.getElementById(idOf(`options.${optionCount - 1}.en`));
    input?.focus({ preventScroll: true });
    if (input) revealClear(input, input.closest<HTMLElement>(".repeat-row"));
    // idOf only depends on the editor's id, fixed for its life.
  }, [optionCount]);

  const removeOption = (index: number) => {
    // Indices after the removed row shift, so errors about options no longer point anywhere.
    setErrors((current) => Object.fromEntries(Object.entries(current).filter(([anchor]) => !anchor.startsWith("options"))));
    setDraft((d) => ({ ...d, options: d.options.filter((_, i) => i !== index) }));
  };

  const setKind = (kind: FieldKind) => {
    // A choice field needs options; start one row so there is somewhere to type.
    update((d) => ({ kind, options: hasOptions(kind) && d.options.length === 0 ? [blankOption()] : d.options }), "kind", "options");
  };

  const save = async () => {
    if (saving) return;
    const input: CustomFieldInput = {
      scope: draft.scope,
      kind: draft.kind,
      labelEn: draft.labelEn,
      labelZh: draft.labelZh,
      // Every row as on screen, so "options.<i>" in an error is the row the user sees.
      options: hasOptions(draft.kind) ? draft.options : [],
    };
    setSaving(true);
    const result = await call(
      initial.id
        ? commands.updateCustomField(initial.id, input)
        : recordType === "customer"
          ? commands.createCustomField(input)
          : commands.createRecordCustomField(recordType, input),
    );
    setSaving(false);
    if (result.status === "ok") {
      customFieldsChanged();
      onDone();
      return;
    }
    showError(result.error);
  };

  const showError = (error: AppError) => {
    const anchor = editorAnchor(error.field);
    setErrors({ [anchor]: { anchor, field: error.field ?? "form", message: error.message } });
    requestAnimationFrame(() => document.getElementById(idOf(anchor))?.focus());
  };

  const control = (anchor: string) => ({
    id: idOf(anchor),
    "aria-invalid": errors[anchor] ? true : undefined,
    "aria-describedby": errors[anchor] ? `${idOf(anchor)}-error` : undefined,
  });
  const errorFor = (anchor: string): ReactNode => {
    const error = errors[anchor];
    if (!error) return null;
    return (
      <div className="field-error" id={`${idOf(anchor)}-error`} data-error-for={error.field} role="alert">
        {error.message}
      </div>
    );
  };

  return (
    <form
      className="form"
      noValidate
      data-testid="custom-field-editor"
      aria-labelledby={`${formId}-title`}
      style={{ marginTop: "var(--space-4)" }}
      onSubmit={(event) => {
        event.preventDefault();
        void save();
      }}
      onKeyDown={(event) => {
        if (event.key === "Escape") {
          event.preventDefault();
          onDone();
        }
      }}
    >
      <h3 id={`${formId}-title`} className="form-label">
        {editing ? t("customFields.editTitle") : t("customFields.newTitle")}
      </h3>
      {errorFor("form") && <div className="banner">{errorFor("form")}</div>}

      <div className="form-row">
        <div className="form-field">
          <label htmlFor={idOf("labelEn")}>{t("customFields.labelEn")}</label>
          <input
            {...control("labelEn")}
            className="input"
            data-testid="cf-label-en"
            value={draft.labelEn}
            placeholder={t("customFields.labelEnPlaceholder")}
            onChange={(e) => update({ labelEn: e.target.value }, "labelEn")}
          />
          {errorFor("labelEn")}
        </div>
        <div className="form-field">
          <label htmlFor={idOf("labelZh")}>{t("customFields.labelZh")}</label>
          <input
            {...control("labelZh")}
            className="input"
            lang="zh-CN"
            data-testid="cf-label-zh"
            value={draft.labelZh}
            placeholder={t("customFields.labelZhPlaceholder")}
            onChange={(e) => update({ labelZh: e.target.value }, "labelZh")}
          />
          {errorFor("labelZh")}
        </div>
      </div>

      <div className="form-row">
        <div className="form-field">
          <label htmlFor={idOf("kind")}>{t("customFields.kindLabel")}</label>
          <select
            {...control("kind")}
            className="select"
            data-testid="cf-kind"
            value={draft.kind}
            disabled={editing}
            title={editing ? t("customFields.kindFixed") : undefined}
            onChange={(e) => isFieldKind(e.target.value) && setKind(e.target.value)}
          >
            {FIELD_KINDS.map((kind) => (
              <option key={kind} value={kind}>
                {t(`customFields.kind.${kind}`)}
              </option>
            ))}
          </select>
          {editing && <span className="muted">{t("customFields.kindFixed")}</span>}
          {errorFor("kind")}
        </div>
        {recordType === "customer" && <div className="form-field">
          <label htmlFor={idOf("scope")}>{t("customFields.scopeLabel")}</label>
          <select
            {...control("scope")}
            className="select"
            data-testid="cf-scope"
            value={draft.scope}
            onChange={(e) => isFieldScope(e.target.value) && update({ scope: e.target.value }, "scope")}
          >
            {FIELD_SCOPES.map((scope) => (
              <option key={scope} value={scope}>
                {t(`customFields.scope.${scope}`)}
              </option>
            ))}
          </select>
          {errorFor("scope")}
        </div>}
      </div>

      {hasOptions(draft.kind) && (
        <section className="form-group" aria-label={t("customFields.options")} data-testid="cf-options">
          <div className="form-group-header">
            <h3 className="form-label">{t("customFields.options")}</h3>
            <button type="button" className="btn btn-small" data-testid="cf-add-option" id={idOf("options")} onClick={addOption}>
              + {t("customFields.addOption")}
            </button>
          </div>
          <p className="muted" data-testid="cf-options-hint">
            {storedKeys.size > 0 ? t("customFields.optionsHint") : t("customFields.optionsHintNew")}
          </p>
          {errorFor("options")}
          {draft.options.map((option, index) => {
            const stored = storedKeys.has(option.key);
            return (
              <div key={index} className="repeat-row" style={{ gridTemplateColumns: "1fr 1fr auto" }} data-testid="cf-option">
                <div className="form-field">
                  <input
                    {...control(`options.${index}.en`)}
                    className="input"
                    data-testid={`cf-option-en-${index}`}
                    aria-label={t("customFields.optionEn", { number: index + 1 })}
                    placeholder={t("customFields.optionEnPlaceholder")}
                    value={option.en}
                    onChange={(e) => setOption(index, "en", e.target.value)}
                  />
                  {errorFor(`options.${index}.en`)}
                </div>
                <div className="form-field">
                  <input
                    {...control(`options.${index}.zh`)}
                    className="input"
                    lang="zh-CN"
                    data-testid={`cf-option-zh-${index}`}
                    aria-label={t("customFields.optionZh", { number: index + 1 })}
                    placeholder={t("customFields.optionZhPlaceholder")}
                    value={option.zh}
                    onChange={(e) => setOption(index, "zh", e.target.value)}
                  />
                  {errorFor(`options.${index}.zh`)}
                </div>
                {stored ? (
                  // Keeps the column; stored options cannot be removed (see the hint above).
                  <span className="btn-icon" aria-hidden="true" />
                ) : (
                  <button
                    type="button"
                    className="btn btn-ghost btn-icon"
                    data-testid={`cf-remove-option-${index}`}
                    aria-label={t("customFields.removeOption", { number: index + 1 })}
                    title={t("customFields.removeOption", { number: index + 1 })}
                    onClick={() => removeOption(index)}
                  >
                    ×
                  </button>
                )}
              </div>
            );
          })}
        </section>
      )}

      {/* Toasts (a field just removed, with Undo) move up rather than cover Save. */}
      <div style={{ display: "flex", gap: "var(--space-2)" }} ref={keepClearOfToasts}>
        <button type="submit" className="btn btn-primary" data-testid="cf-save" disabled={saving}>
          {saving ? t("form.saving") : t("action.save")}
        </button>
        <button type="button" className="btn" data-testid="cf-cancel" onClick={onDone}>
          {t("action.cancel")}
        </button>
      </div>
    </form>
  );
}

function RemoveDialog({ label, count, onCancel, onConfirm }: { label: string; count: number; onCancel: () => void; onConfirm: () => void }) {
  const { t, i18n } = useTranslation();
  return (
    <ConfirmDialog
      testId="cf-remove-dialog"
      title={t("customFields.removeTitle", { label })}
      body={t("customFields.removeQuestion", { count, formatted: formatNumber(count, i18n.language), label })}
      bodyTestId="cf-remove-message"
      confirm={t("customFields.removeConfirm")}
      onCancel={onCancel}
      onConfirm={onConfirm}
    />
  );
}
