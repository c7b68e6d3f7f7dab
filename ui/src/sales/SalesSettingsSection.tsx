/** Settings → Sales: letterhead and logo, numbering, currency and rates, validity, stages, reasons, terms; custom fields of deals, quotes and contracts. */
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { commands, type PipelineStage, type SalesSettings } from "../bindings";
import { call } from "../lib/result";
import { useToast } from "../lib/toast";
import { fieldErrors, salesChanged, setLogo } from "./api";
import { CustomFieldsSection } from "../customers/CustomFieldsSection";
import type { FieldsRecordType } from "../records/RecordCustomFields";
import { FieldError } from "./parts";

export function SalesSettingsSection() {
  const { t } = useTranslation();
  const toast = useToast();
  const [s, setS] = useState<SalesSettings | null>(null);
  const [lines, setLines] = useState("");
  const [reasons, setReasons] = useState("");
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [saving, setSaving] = useState(false);

  const take = (v: SalesSettings) => {
    setS(v);
    setLines((v.company.lines ?? []).join("\n"));
    setReasons(v.lostReasons.join("\n"));
  };
  useEffect(() => {
    void call(commands.salesSettings()).then((r) => r.status === "ok" && take(r.data));
  }, []);
  if (!s) return null;

  const set = (patch: Partial<SalesSettings>, ...fields: string[]) => {
    setS({ ...s, ...patch });
    if (fields.length) setErrors((e) => Object.fromEntries(Object.entries(e).filter(([k]) => !fields.some((f) => k === f || k.startsWith(`${f}.`)))));
  };
  const setStage = (i: number, patch: Partial<PipelineStage>) => set({ stages: s.stages.map((x, j) => (j === i ? { ...x, ...patch } : x)) }, `stages.${i}`);
  const moveStage = (i: number, by: number) => {
    const stages = [...s.stages];
    const [x] = stages.splice(i, 1);
    if (!x) return;
    stages.splice(i + by, 0, x);
    set({ stages });
  };
  const invalid = (f: string) => ({ "aria-invalid": errors[f] ? true : undefined, "data-field": f });
  const num = (v: string) => (v.trim() === "" || Number.isNaN(Number(v)) ? 0 : Math.trunc(Number(v)));

  const save = async () => {
    setSaving(true);
    const body: SalesSettings = {
      ...s,
      company: { ...s.company, lines: lines.split("\n").map((l) => l.trim()).filter(Boolean) },
      lostReasons: reasons.split("\n").map((l) => l.trim()).filter(Boolean),
    };
    const r = await call(commands.saveSalesSettings(body));
    setSaving(false);
    if (r.status === "error") {
      const fe = fieldErrors(r.error);
      setErrors(Object.keys(fe).length ? fe : { form: r.error.message });
      return;
    }
    setErrors({});
    take(r.data);
    salesChanged();
    toast.show({ message: t("sales.settingsSaved"), kind: "sales-settings-saved" });
  };
  const chooseLogo = async (file: File) => {
    const r = await setLogo(file);
    if (r.status === "error") {
      setErrors((e) => ({ ...e, logo: r.error.fields?.[0]?.message ?? r.error.message }));
      return;
    }
    setErrors((e) => Object.fromEntries(Object.entries(e).filter(([k]) => k !== "logo")));
    setS((v) => (v ? { ...v, company: { ...v.company, logo: r.data.company.logo ?? "" } } : v));
    salesChanged();
  };

  return (
    <section className="card settings-card sales-settings" data-testid="sales-settings" id="settings-sales">
      <h2 className="section-title">{t("sales.settings")}</h2>
      {errors.form && <p className="field-error" role="alert" data-error-for="form">{errors.form}</p>}
      <form
        className="form sales-form"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <h3 className="form-label">{t("sales.letterhead")}</h3>
        <label className="form-field">
          <span className="form-label">{t("sales.companyName")}</span>
          <input className="input" name="company.name" value={s.company.name ?? ""} {...invalid("company.name")} onChange={(e) => set({ company: { ...s.company, name: e.target.value } }, "company.name")} />
          <FieldError errors={errors} field="company.name" />
        </label>
        <label className="form-field">
          <span className="form-label">{t("sales.companyLines")}</span>
          <textarea className="textarea" name="company.lines" rows={4} value={lines} {...invalid("company.lines")} onChange={(e) => { setLines(e.target.value); set({}, "company.lines"); }} />
          <FieldError errors={errors} field="company.lines" />
        </label>
        <div className="form-field" data-field="logo">
          <span className="form-label">{t("sales.logo")}</span>
          <div className="logo-row">
            {s.company.logo ? <img className="logo-preview" alt={t("sales.logo")} src={`data:image/png;base64,${s.company.logo}`} data-testid="logo-preview" /> : <span className="muted">{t("sales.noLogo")}</span>}
            <label className="btn btn-small file-button">
              {t("sales.chooseLogo")}
              <input
                type="file"
                name="logo"
                accept="image/png,image/jpeg"
                className="visually-hidden"
                data-testid="logo-input"
                aria-invalid={errors.logo ? true : undefined}
                onChange={(e) => {
                  const file = e.target.files?.[0];
                  e.target.value = "";
                  if (file) void chooseLogo(file);
                }}
              />
            </label>
          </div>
          <FieldError errors={errors} field="logo" />
        </div>
        <h3 className="form-label">{t("sales.numbering")}</h3>
        <div className="form-row form-row-4">
          <label className="form-field">
            <span className="form-label">{t("sales.quotePrefix")}</span>
            <input className="input" name="numbering.quotePrefix" value={s.numbering.quotePrefix ?? ""} onChange={(e) => set({ numbering: { ...s.numbering, quotePrefix: e.target.value } }, "numbering")} />
            <FieldError errors={errors} field="numbering.quotePrefix" />
          </label>
          <label className="form-field">
            <span className="form-label">{t("sales.contractPrefix")}</span>
            <input className="input" name="numbering.contractPrefix" value={s.numbering.contractPrefix ?? ""} onChange={(e) => set({ numbering: { ...s.numbering, contractPrefix: e.target.value } }, "numbering")} />
            <FieldError errors={errors} field="numbering.contractPrefix" />
          </label>
          <label className="form-field">
            <span className="form-label">{t("sales.numberWidth")}</span>
            <input className="input" name="numbering.width" inputMode="numeric" value={String(s.numbering.width ?? "")} {...invalid("numbering.width")} onChange={(e) => set({ numbering: { ...s.numbering, width: num(e.target.value) } }, "numbering")} />
            <FieldError errors={errors} field="numbering.width" />
          </label>
          <label className="form-field checkbox-field">
            <input type="checkbox" name="numbering.year" checked={s.numbering.year ?? false} onChange={(e) => set({ numbering: { ...s.numbering, year: e.target.checked } })} />
            {t("sales.includeYear")}
          </label>
        </div>
        <div className="form-row form-row-4">
          <label className="form-field">
            <span className="form-label">{t("sales.homeCurrency")}</span>
            <input className="input" name="homeCurrency" maxLength={3} value={s.homeCurrency} {...invalid("homeCurrency")} onChange={(e) => set({ homeCurrency: e.target.value.toUpperCase() }, "homeCurrency")} />
            <FieldError errors={errors} field="homeCurrency" />
          </label>
          <label className="form-field">
            <span className="form-label">{t("sales.validityDays")}</span>
            <input className="input" name="validityDays" inputMode="numeric" value={String(s.validityDays)} {...invalid("validityDays")} onChange={(e) => set({ validityDays: num(e.target.value) }, "validityDays")} />
            <FieldError errors={errors} field="validityDays" />
          </label>
          <label className="form-field">
            <span className="form-label">{t("sales.expiryNoticeDays")}</span>
            <input className="input" name="expiryNoticeDays" inputMode="numeric" value={String(s.expiryNoticeDays)} {...invalid("expiryNoticeDays")} onChange={(e) => set({ expiryNoticeDays: num(e.target.value) }, "expiryNoticeDays")} />
            <FieldError errors={errors} field="expiryNoticeDays" />
          </label>
        </div>
        <fieldset className="settings-rows" data-field="rates">
          <legend className="form-label">{t("sales.rates")}</legend>
          {s.rates.map((r, i) => (
            <div key={i} className="settings-row" data-testid="rate-row">
              {(["currency", "rate", "date"] as const).map((k) => (
                <span key={k} className="settings-cell">
                  <input className="input" name={`rates.${i}.${k}`} type={k === "date" ? "date" : "text"} aria-label={t(`sales.rate_${k}`)} placeholder={t(`sales.rate_${k}`)} value={r[k]} {...invalid(`rates.${i}.${k}`)} onChange={(e) => set({ rates: s.rates.map((x, j) => (j === i ? { ...x, [k]: k === "currency" ? e.target.value.toUpperCase() : e.target.value } : x)) }, `rates.${i}.${k}`)} />
                  <FieldError errors={errors} field={`rates.${i}.${k}`} />
                </span>
              ))}
              <button type="button" className="btn btn-small" aria-label={t("sales.remove")} onClick={() => set({ rates: s.rates.filter((_, j) => j !== i) }, "rates")}>
                ×
              </button>
            </div>
          ))}
          <button type="button" className="btn btn-small" data-action="add-rate" onClick={() => set({ rates: [...s.rates, { currency: "", rate: "", date: "" }] })}>
            {t("sales.addRate")}
          </button>
        </fieldset>
        <fieldset className="settings-rows" data-field="stages">
          <legend className="form-label">{t("sales.stages")}</legend>
          {s.stages.map((st, i) => (
            <div key={i} className="settings-row" data-testid="stage-row">
              <input className="input input-narrow" name={`stages.${i}.id`} aria-label={t("sales.stageId")} placeholder={t("sales.stageId")} value={st.id} {...invalid(`stages.${i}.id`)} onChange={(e) => setStage(i, { id: e.target.value })} />
              <input className="input" name={`stages.${i}.nameEn`} aria-label={t("sales.nameEn")} placeholder={t("sales.nameEn")} value={st.nameEn} {...invalid(`stages.${i}.nameEn`)} onChange={(e) => setStage(i, { nameEn: e.target.value })} />
              <input className="input" name={`stages.${i}.nameZh`} aria-label={t("sales.nameZh")} placeholder={t("sales.nameZh")} value={st.nameZh} {...invalid(`stages.${i}.nameZh`)} onChange={(e) => setStage(i, { nameZh: e.target.value })} />
              <input className="input input-narrow" name={`stages.${i}.probability`} inputMode="numeric" aria-label={t("sales.probability")} value={String(st.probability)} {...invalid(`stages.${i}.probability`)} onChange={(e) => setStage(i, { probability: num(e.target.value) })} />
              <button type="button" className="btn btn-small" aria-label={t("sales.moveUp")} disabled={i === 0} onClick={() => moveStage(i, -1)}>↑</button>
              <button type="button" className="btn btn-small" aria-label={t("sales.moveDown")} disabled={i === s.stages.length - 1} onClick={() => moveStage(i, 1)}>↓</button>
              <button type="button" className="btn btn-small" aria-label={t("sales.remove")} onClick={() => set({ stages: s.stages.filter((_, j) => j !== i) }, "stages")}>×</button>
              {(["id", "nameEn", "nameZh", "probability"] as const).map((k) => (
                <FieldError key={k} errors={errors} field={`stages.${i}.${k}`} />
              ))}
            </div>
          ))}
          <button type="button" className="btn btn-small" data-action="add-stage" onClick={() => set({ stages: [...s.stages, { id: "", nameEn: "", nameZh: "", probability: 50 }] })}>
            {t("sales.addStage")}
          </button>
          <FieldError errors={errors} field="stages" />
        </fieldset>
        <label className="form-field">
          <span className="form-label">{t("sales.lostReasons")}</span>
          <textarea className="textarea" name="lostReasons" rows={4} value={reasons} {...invalid("lostReasons")} onChange={(e) => { setReasons(e.target.value); set({}, "lostReasons"); }} />
          <FieldError errors={errors} field="lostReasons" />
        </label>
        <label className="form-field">
          <span className="form-label">{t("sales.quoteTerms")}</span>
          <textarea className="textarea" name="quoteTerms" rows={4} value={s.quoteTerms} onChange={(e) => set({ quoteTerms: e.target.value }, "quoteTerms")} />
          <FieldError errors={errors} field="quoteTerms" />
        </label>
        <label className="form-field">
          <span className="form-label">{t("sales.contractTerms")}</span>
          <textarea className="textarea" name="contractTerms" rows={4} value={s.contractTerms} onChange={(e) => set({ contractTerms: e.target.value }, "contractTerms")} />
          <FieldError errors={errors} field="contractTerms" />
        </label>
        <div className="form-actions">
          <button type="submit" className="btn btn-primary" data-action="save-sales-settings" disabled={saving}>
            {t("sales.save")}
          </button>
        </div>
      </form>
    </section>
  );
}

/**
 * Settings → Sales custom fields: extra fields of deals, quotes or contracts (one record type at
 * a time, chosen first), defined like the customers' and shown in each form.
 */
export function SalesFieldsSection() {
  const { t } = useTranslation();
  const [recordType, setRecordType] = useState<FieldsRecordType | "">("");
  return (
    <section className="card sales-fields-settings" data-testid="sales-custom-fields" aria-labelledby="sales-fields-title">
      <h2 id="sales-fields-title">{t("sales.customFieldsHeading")}</h2>
      <label className="form-field">
        <span className="form-label">{t("sales.customFieldsOf")}</span>
        <select className="select" data-testid="sales-fields-type" value={recordType} onChange={(e) => setRecordType(e.target.value as FieldsRecordType | "")}>
          <option value="">{t("sales.customFieldsChoose")}</option>
          {(["opportunity", "quote", "contract"] as const).map((k) => (
            <option key={k} value={k}>
              {t(`sales.fieldsType.${k}`)}
            </option>
          ))}
        </select>
      </label>
      {recordType && (
        <CustomFieldsSection key={recordType} recordType={recordType} title={t("sales.customFieldsTitle", { type: t(`sales.fieldsType.${recordType}`) })} help={t("sales.customFieldsHelp")} onChanged={salesChanged} />
      )}
    </section>
  );
}

/** Both sales settings cards, as the Settings page shows a module's section. */
export function SalesSettingsPanels() {
  return (
    <>
      <SalesSettingsSection />
      <SalesFieldsSection />
    </>
  );
}
