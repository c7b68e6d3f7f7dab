/**
 * Settings → Service: the team's business hours, holidays and extra working days (typed, or read
 * from an .ics holiday calendar), the SLA targets per priority (as business durations: `30m`,
 * `4h`, `1h30m`) and the escalation rules. Each part saves on its own; what the core refuses is
 * shown next to the input it names, in the core's words (already in the user's language).
 */
import { useEffect, useId, useState, type FormEvent, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { commands, type AppError, type HolidayImport, type ServiceSettings, type TicketPriority } from "../bindings";
import { normalizeDate, parseDate } from "../lib/dates";
import { formatCalendarDate } from "../lib/format";
import { sendFile } from "../lib/rawCommand";
import { FieldError, fieldErrors } from "../records/FieldError";
import { call, type Result } from "../lib/result";
import { useToast } from "../lib/toast";
import { PRIORITIES, durationText } from "./api";

const WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;
/** The core's limit on the manager's delay (a week, in minutes). */
const MAX_MANAGER_AFTER = 7 * 24 * 60;

type Errors = Record<string, string>;
type SlaDraft = { firstResponse: string; resolution: string };
type EscalationDraft = { manager: string; managerAfterMinutes: string; raisePriority: boolean; reassignTo: string };
type HoursDraft = { days: string[]; open: string; close: string; tz: string };

/** The field errors of a refusal, or the whole message under `form` when it names no field. */
function errorsOf(error: AppError): Errors {
  const fe = fieldErrors(error);
  return Object.keys(fe).length ? fe : { form: error.message };
}

/** The IANA zones the webview knows, offered while typing the time zone. */
let zones: string[] | null = null;
function timeZones(): string[] {
  if (zones === null) {
    try {
      zones = typeof Intl.supportedValuesOf === "function" ? Intl.supportedValuesOf("timeZone") : [];
    } catch {
      zones = [];
    }
  }
  return zones;
}

/** An .ics holiday calendar: its bytes as the raw body of `import_holidays`. */
const importHolidays = (file: File): Promise<Result<HolidayImport, AppError>> => sendFile<HolidayImport>("import_holidays", file);

const hoursDraft = (s: ServiceSettings): HoursDraft => ({ days: [...s.hours.days], open: s.hours.open, close: s.hours.close, tz: s.hours.tz });
const slaDraft = (s: ServiceSettings, p: TicketPriority): SlaDraft => {
  const target = s.sla.find(([q]) => q === p)?.[1];
  return { firstResponse: target ? durationText(target.firstResponseMinutes) : "", resolution: target ? durationText(target.resolutionMinutes) : "" };
};
const slaDrafts = (s: ServiceSettings) => Object.fromEntries(PRIORITIES.map((p) => [p, slaDraft(s, p)])) as Record<TicketPriority, SlaDraft>;
const escalationDraft = (s: ServiceSettings): EscalationDraft => ({
  manager: s.escalation.manager ?? "",
  managerAfterMinutes: String(s.escalation.managerAfterMinutes ?? 0),
  raisePriority: s.escalation.raisePriority ?? false,
  reassignTo: s.escalation.reassignTo ?? "",
});

/** What a field's input gets: its id (for the label), name, and whether (and where) it was refused. */
type ControlProps = { id: string; name: string; "aria-invalid": true | undefined; "aria-describedby": string | undefined };

/**
 * A labelled input: the label above it, a hint and the refusal of `field` under it, both naming
 * the input (`aria-describedby`), neither part of its label. `errorId` places the refusal
 * elsewhere (an SLA row's, under the whole row).
 */
function Field({ label, field, errors, hint, hintTestId, errorId, children }: { label: string; field: string; errors: Errors; hint?: ReactNode; hintTestId?: string; errorId?: string; children: (props: ControlProps) => ReactNode }) {
  const id = useId();
  const ownErrorId = `${id}-error`;
  const hintId = `${id}-hint`;
  const describedBy = [errors[field] ? (errorId ?? ownErrorId) : null, hint ? hintId : null].filter(Boolean).join(" ") || undefined;
  return (
    <div className="form-field" data-field={field}>
      <label htmlFor={id}>{label}</label>
      {children({ id, name: field, "aria-invalid": errors[field] ? true : undefined, "aria-describedby": describedBy })}
      {hint && (
        <span className="form-hint" id={hintId} data-testid={hintTestId}>
          {hint}
        </span>
      )}
      {!errorId && <FieldError errors={errors} field={field} id={ownErrorId} />}
    </div>
  );
}

function Part({ title, help, children, testId }: { title: string; help?: string; children: ReactNode; testId: string }) {
  const id = useId();
  return (
    <div className="service-settings-part" data-testid={testId} role="group" aria-labelledby={id}>
      <h3 id={id} className="form-label">
        {title}
      </h3>
      {help && <p className="form-hint">{help}</p>}
      {children}
    </div>
  );
}

export function ServiceSettingsSection() {
  const { t, i18n } = useTranslation();
  const toast = useToast();
  const uid = useId();
  const [s, setS] = useState<ServiceSettings | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);

  const [hours, setHours] = useState<HoursDraft>({ days: [], open: "", close: "", tz: "" });
  const [hoursErrors, setHoursErrors] = useState<Errors>({});

  const [newDate, setNewDate] = useState("");
  const [newWorking, setNewWorking] = useState(false);
  const [dayErrors, setDayErrors] = useState<Errors>({});
  const [imported, setImported] = useState<string | null>(null);

  const [sla, setSla] = useState<Record<TicketPriority, SlaDraft> | null>(null);
  const [slaErrors, setSlaErrors] = useState<Partial<Record<TicketPriority, Errors>>>({});

  const [escalation, setEscalation] = useState<EscalationDraft>({ manager: "", managerAfterMinutes: "", raisePriority: false, reassignTo: "" });
  const [escalationErrors, setEscalationErrors] = useState<Errors>({});

  useEffect(() => {
    let alive = true;
    void call(commands.serviceSettings()).then((r) => {
      if (!alive) return;
      if (r.status === "error") {
        setLoadError(r.error.message);
        return;
      }
      setS(r.data);
      setHours(hoursDraft(r.data));
      setSla(slaDrafts(r.data));
      setEscalation(escalationDraft(r.data));
    });
    return () => {
      alive = false;
    };
  }, []);

  if (loadError)
    return (
      <section className="card settings-card service-settings" data-testid="service-settings" id="settings-service">
        <h2 className="section-title">{t("serviceSettings.title")}</h2>
        <p className="field-error" role="alert" data-error-for="form">
          {loadError}
        </p>
      </section>
    );
  if (!s || !sla) return null;

  const without = (errors: Errors, ...fields: string[]) => Object.fromEntries(Object.entries(errors).filter(([k]) => k !== "form" && !fields.includes(k)));
  const errId = (part: string, field: string) => `${uid}-${part}-${field}-error`;

  // ---- business hours ----
  const saveHours = async () => {
    setBusy("hours");
    const days = WEEKDAYS.filter((d) => hours.days.includes(d));
    const r = await call(commands.setServiceHours(days, hours.open.trim(), hours.close.trim(), hours.tz.trim()));
    setBusy(null);
    if (r.status === "error") {
      setHoursErrors(errorsOf(r.error));
      return;
    }
    setHoursErrors({});
    setS(r.data);
    setHours(hoursDraft(r.data));
    toast.show({ message: t("serviceSettings.hoursSaved"), kind: "service-hours-saved" });
  };
  const toggleDay = (day: string, on: boolean) => {
    setHours((h) => ({ ...h, days: on ? [...h.days.filter((d) => d !== day), day] : h.days.filter((d) => d !== day) }));
    setHoursErrors((e) => without(e, "days"));
  };

  // ---- holidays and extra working days ----
  const addDay = async () => {
    setBusy("day");
    const date = normalizeDate(newDate);
    const r = await call(commands.setServiceDay(date, newWorking));
    setBusy(null);
    if (r.status === "error") {
      setDayErrors(errorsOf(r.error));
      return;
    }
    setDayErrors({});
    setS(r.data);
    setNewDate("");
    setNewWorking(false);
  };
  const removeDay = async (date: string, working: boolean) => {
    setBusy(`remove-${date}`);
    const r = await call(commands.clearServiceDay(date));
    setBusy(null);
    if (r.status === "error") {
      setDayErrors({ form: r.error.message });
      return;
    }
    setS(r.data);
    toast.show({
      message: t("serviceSettings.dayRemoved", { date: formatCalendarDate(date, i18n.language, "full") }),
      kind: "service-day-removed",
      action: {
        label: t("serviceSettings.undo"),
        testId: "service-day-undo",
        run: () => void call(commands.setServiceDay(date, working)).then((u) => u.status === "ok" && setS(u.data)),
      },
    });
  };
  const chooseCalendar = async (file: File) => {
    setBusy("import");
    setImported(null);
    const r = await importHolidays(file);
    if (r.status === "error") {
      setBusy(null);
      setDayErrors({ file: r.error.fields?.[0]?.message ?? r.error.message });
      return;
    }
    setDayErrors((e) => without(e, "file"));
    setImported(
      t("serviceSettings.imported", {
        holidays: t("serviceSettings.holidayCount", { count: r.data.holidays }),
        workingDays: t("serviceSettings.workingDayCount", { count: r.data.workingDays }),
      }),
    );
    const fresh = await call(commands.serviceSettings());
    setBusy(null);
    if (fresh.status === "ok") setS(fresh.data);
    else setDayErrors({ form: fresh.error.message });
  };
  const typedDate = parseDate(newDate);
  const days = [...s.days].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));

  // ---- SLA targets ----
  const saveSla = async (p: TicketPriority) => {
    const draft = sla[p];
    setBusy(`sla-${p}`);
    const r = await call(commands.setSla(p, draft.firstResponse.trim(), draft.resolution.trim()));
    setBusy(null);
    if (r.status === "error") {
      setSlaErrors((e) => ({ ...e, [p]: errorsOf(r.error) }));
      return;
    }
    setSlaErrors((e) => ({ ...e, [p]: {} }));
    setS(r.data);
    setSla((d) => ({ ...(d ?? slaDrafts(r.data)), [p]: slaDraft(r.data, p) }));
    toast.show({ message: t("serviceSettings.slaSaved", { priority: t(`serviceSettings.priority.${p}`) }), kind: "service-sla-saved" });
  };
  const editSla = (p: TicketPriority, field: keyof SlaDraft, value: string) => {
    setSla((d) => (d ? { ...d, [p]: { ...d[p], [field]: value } } : d));
    setSlaErrors((e) => ({ ...e, [p]: without(e[p] ?? {}, field) }));
  };

  // ---- escalation ----
  const saveEscalation = async () => {
    const after = escalation.managerAfterMinutes.trim();
    if (!/^\d{1,9}$/.test(after)) {
      const reason = t("messages:invalid.outOfRange", { min: "0", max: String(MAX_MANAGER_AFTER) });
      setEscalationErrors({ managerAfterMinutes: t("messages:error.fieldMessage", { field: t("messages:field.managerAfterMinutes"), reason }) });
      return;
    }
    setBusy("escalation");
    const r = await call(
      commands.setEscalation({ manager: escalation.manager.trim(), managerAfterMinutes: Number(after), raisePriority: escalation.raisePriority, reassignTo: escalation.reassignTo.trim() }),
    );
    setBusy(null);
    if (r.status === "error") {
      setEscalationErrors(errorsOf(r.error));
      return;
    }
    setEscalationErrors({});
    setS(r.data);
    setEscalation(escalationDraft(r.data));
    toast.show({ message: t("serviceSettings.escalationSaved"), kind: "service-escalation-saved" });
  };
  const editEscalation = (patch: Partial<EscalationDraft>) => {
    setEscalation((e) => ({ ...e, ...patch }));
    setEscalationErrors((e) => without(e, ...Object.keys(patch)));
  };

  const submit = (run: () => Promise<void>) => (e: FormEvent) => {
    e.preventDefault();
    void run();
  };

  return (
    <section className="card settings-card service-settings" data-testid="service-settings" id="settings-service" aria-labelledby={`${uid}-title`}>
      <h2 className="section-title" id={`${uid}-title`}>
        {t("serviceSettings.title")}
      </h2>
      <p className="muted">{t("serviceSettings.help")}</p>

      <Part title={t("serviceSettings.hours")} help={t("serviceSettings.hoursHelp")} testId="service-hours">
        <form className="form" noValidate onSubmit={submit(saveHours)}>
          {hoursErrors.form && (
            <p className="field-error" role="alert" data-error-for="form">
              {hoursErrors.form}
            </p>
          )}
          <fieldset className="service-settings-fieldset" aria-invalid={hoursErrors.days ? true : undefined} aria-describedby={hoursErrors.days ? errId("hours", "days") : undefined}>
            <legend className="form-label">{t("serviceSettings.workingDays")}</legend>
            <div className="service-settings-row">
              {WEEKDAYS.map((d) => (
                <label key={d} className="checkbox-field">
                  <input type="checkbox" name="days" value={d} data-testid={`service-hours-day-${d}`} checked={hours.days.includes(d)} onChange={(e) => toggleDay(d, e.target.checked)} />
                  {t(`serviceSettings.weekday.${d}`)}
                </label>
              ))}
            </div>
            <FieldError errors={hoursErrors} field="days" id={errId("hours", "days")} />
          </fieldset>
          <div className="form-row">
            <Field label={t("serviceSettings.open")} field="open" errors={hoursErrors}>
              {(props) => (
                <input
                  {...props}
                  className="input"
                  type="time"
                  data-testid="service-hours-open"
                  value={hours.open}
                  onChange={(e) => {
                    setHours((h) => ({ ...h, open: e.target.value }));
                    setHoursErrors((x) => without(x, "open", "close"));
                  }}
                />
              )}
            </Field>
            <Field label={t("serviceSettings.close")} field="close" errors={hoursErrors}>
              {(props) => (
                <input
                  {...props}
                  className="input"
                  type="time"
                  data-testid="service-hours-close"
                  value={hours.close}
                  onChange={(e) => {
                    setHours((h) => ({ ...h, close: e.target.value }));
                    setHoursErrors((x) => without(x, "close"));
                  }}
                />
              )}
            </Field>
          </div>
          <Field label={t("serviceSettings.tz")} field="tz" errors={hoursErrors} hint={t("serviceSettings.tzHelp")}>
            {(props) => (
              <input
                {...props}
                className="input"
                data-testid="service-hours-tz"
                list={`${uid}-zones`}
                autoComplete="off"
                spellCheck={false}
                placeholder="Asia/Shanghai"
                value={hours.tz}
                onChange={(e) => {
                  setHours((h) => ({ ...h, tz: e.target.value }));
                  setHoursErrors((x) => without(x, "tz"));
                }}
              />
            )}
          </Field>
          <datalist id={`${uid}-zones`}>
            {timeZones().map((z) => (
              <option key={z} value={z} />
            ))}
          </datalist>
          <div>
            <button type="submit" className="btn btn-primary" data-testid="service-hours-save" disabled={busy === "hours"}>
              {t("serviceSettings.saveHours")}
            </button>
          </div>
        </form>
      </Part>

      <Part title={t("serviceSettings.days")} help={t("serviceSettings.daysHelp")} testId="service-days-part">
        {dayErrors.form && (
          <p className="field-error" role="alert" data-error-for="form">
            {dayErrors.form}
          </p>
        )}
        {days.length === 0 ? (
          <p className="muted" data-testid="service-days-empty">
            {t("serviceSettings.noDays")}
          </p>
        ) : (
          <ul className="service-settings-list" data-testid="service-days">
            {days.map((d) => (
              <li key={d.date} className="service-settings-row service-settings-centered" data-testid="service-day" data-date={d.date} data-working={d.working ? "true" : "false"}>
                <span>{formatCalendarDate(d.date, i18n.language, "full")}</span>
                <span className="badge" data-testid="service-day-kind">
                  {d.working ? t("serviceSettings.workingDay") : t("serviceSettings.holiday")}
                </span>
                <button
                  type="button"
                  className="btn btn-small"
                  data-testid="service-day-remove"
                  aria-label={t("serviceSettings.removeDay", { date: formatCalendarDate(d.date, i18n.language, "full") })}
                  disabled={busy === `remove-${d.date}`}
                  onClick={() => void removeDay(d.date, d.working)}
                >
                  {t("serviceSettings.remove")}
                </button>
              </li>
            ))}
          </ul>
        )}
        <form className="form" noValidate onSubmit={submit(addDay)} data-testid="service-day-form">
          <div className="service-settings-row">
            <Field label={t("serviceSettings.date")} field="date" errors={dayErrors} hint={typedDate ? formatCalendarDate(typedDate, i18n.language, "full") : undefined} hintTestId="service-day-date-reads">
              {(props) => (
                <input
                  {...props}
                  className="input"
                  type="text"
                  data-testid="service-day-date"
                  autoComplete="off"
                  spellCheck={false}
                  placeholder={t("serviceSettings.datePlaceholder")}
                  value={newDate}
                  onChange={(e) => {
                    setNewDate(e.target.value);
                    setDayErrors((x) => without(x, "date"));
                  }}
                  onBlur={() => typedDate && typedDate !== newDate && setNewDate(typedDate)}
                />
              )}
            </Field>
            <label className="checkbox-field">
              <input type="checkbox" name="working" data-testid="service-day-working" checked={newWorking} onChange={(e) => setNewWorking(e.target.checked)} />
              {t("serviceSettings.working")}
            </label>
            <button type="submit" className="btn" data-testid="service-day-add" disabled={busy === "day"}>
              {t("serviceSettings.add")}
            </button>
          </div>
        </form>
        <div className="form-field">
          <div className="service-settings-row service-settings-centered">
            <label className="btn btn-small">
              {t("serviceSettings.import")}
              <input
                type="file"
                accept=".ics,text/calendar"
                className="visually-hidden"
                data-testid="service-holidays-import"
                disabled={busy === "import"}
                name="file"
                aria-invalid={dayErrors.file ? true : undefined}
                aria-describedby={dayErrors.file ? errId("day", "file") : undefined}
                onChange={(e) => {
                  const file = e.target.files?.[0];
                  e.target.value = "";
                  if (file) void chooseCalendar(file);
                }}
              />
            </label>
            <span className="form-hint">{t("serviceSettings.importHelp")}</span>
          </div>
          {imported && (
            <p role="status" data-testid="service-holidays-imported">
              {imported}
            </p>
          )}
          <FieldError errors={dayErrors} field="file" id={errId("day", "file")} />
        </div>
      </Part>

      <Part title={t("serviceSettings.sla")} help={t("serviceSettings.slaHelp")} testId="service-sla">
        {PRIORITIES.map((p) => {
          const errors = slaErrors[p] ?? {};
          const titleId = `${uid}-sla-${p}`;
          return (
            <form key={p} className="form" noValidate onSubmit={submit(() => saveSla(p))} data-testid={`service-sla-${p}`} aria-labelledby={titleId}>
              <div className="service-settings-sla">
                <span id={titleId} className="service-settings-sla-title">
                  {t(`serviceSettings.priority.${p}`)}
                </span>
                <Field label={t("serviceSettings.firstResponse")} field="firstResponse" errors={errors} errorId={errId(`sla-${p}`, "firstResponse")}>
                  {(props) => (
                    <input
                      {...props}
                      className="input"
                      data-testid={`service-sla-${p}-first`}
                      autoComplete="off"
                      spellCheck={false}
                      value={sla[p].firstResponse}
                      onChange={(e) => editSla(p, "firstResponse", e.target.value)}
                    />
                  )}
                </Field>
                <Field label={t("serviceSettings.resolution")} field="resolution" errors={errors} errorId={errId(`sla-${p}`, "resolution")}>
                  {(props) => (
                    <input
                      {...props}
                      className="input"
                      data-testid={`service-sla-${p}-resolution`}
                      autoComplete="off"
                      spellCheck={false}
                      value={sla[p].resolution}
                      onChange={(e) => editSla(p, "resolution", e.target.value)}
                    />
                  )}
                </Field>
                <button type="submit" className="btn" data-testid={`service-sla-${p}-save`} disabled={busy === `sla-${p}`}>
                  {t("serviceSettings.save")}
                </button>
              </div>
              <FieldError errors={errors} field="firstResponse" id={errId(`sla-${p}`, "firstResponse")} />
              <FieldError errors={errors} field="resolution" id={errId(`sla-${p}`, "resolution")} />
              <FieldError errors={errors} field="form" />
            </form>
          );
        })}
      </Part>

      <Part title={t("serviceSettings.escalation")} help={t("serviceSettings.escalationHelp")} testId="service-escalation">
        <form className="form" noValidate onSubmit={submit(saveEscalation)}>
          {escalationErrors.form && (
            <p className="field-error" role="alert" data-error-for="form">
              {escalationErrors.form}
            </p>
          )}
          <div className="form-row">
            <Field label={t("serviceSettings.manager")} field="manager" errors={escalationErrors} hint={t("serviceSettings.managerHelp")}>
              {(props) => <input {...props} className="input" data-testid="service-escalation-manager" autoComplete="off" value={escalation.manager} onChange={(e) => editEscalation({ manager: e.target.value })} />}
            </Field>
            <Field label={t("serviceSettings.managerAfterMinutes")} field="managerAfterMinutes" errors={escalationErrors}>
              {(props) => (
                <input
                  {...props}
                  className="input"
                  inputMode="numeric"
                  data-testid="service-escalation-after"
                  autoComplete="off"
                  value={escalation.managerAfterMinutes}
                  onChange={(e) => editEscalation({ managerAfterMinutes: e.target.value })}
                />
              )}
            </Field>
          </div>
          <label className="checkbox-field">
            <input
              type="checkbox"
              name="raisePriority"
              data-testid="service-escalation-raise"
              checked={escalation.raisePriority}
              onChange={(e) => editEscalation({ raisePriority: e.target.checked })}
            />
            {t("serviceSettings.raisePriority")}
          </label>
          <FieldError errors={escalationErrors} field="raisePriority" />
          <Field label={t("serviceSettings.reassignTo")} field="reassignTo" errors={escalationErrors} hint={t("serviceSettings.reassignToHelp")}>
            {(props) => <input {...props} className="input" data-testid="service-escalation-reassign" autoComplete="off" value={escalation.reassignTo} onChange={(e) => editEscalation({ reassignTo: e.target.value })} />}
          </Field>
          <div>
            <button type="submit" className="btn btn-primary" data-testid="service-escalation-save" disabled={busy === "escalation"}>
              {t("serviceSettings.saveEscalation")}
            </button>
          </div>
        </form>
      </Part>
    </section>
  );
}
