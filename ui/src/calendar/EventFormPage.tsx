/**
 * Create or edit an event. Rust validates (`validate::event`); each refused field's message shows
 * under its input, everything typed is kept. While the times are typed the core is asked what the
 * event would clash with (`check_event`), shown as a warning that does not stop the save. Editing
 * or deleting an occurrence of a series asks which occurrences: this one, this and following, or
 * all.
 */
import { useEffect, useMemo, useRef, useState, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import {
  commands,
  type AppError,
  type CustomerId,
  type DealCard,
  type OpportunityId,
  type EventId,
  type EventInput,
  type EventKind,
  type Occurrence,
  type Span,
} from "../bindings";
import { useRouter } from "../lib/router";
import { CustomerPicker } from "../records/CustomerPicker";
import { call } from "../lib/result";
import { useToast } from "../lib/toast";
import { calendarChanged } from "./api";
import { fromRrule, NO_REPEAT, toRrule, WEEKDAYS, type Repeat } from "./recurrence";
import { defaultStart, hourLater, userZone } from "./time";

const KINDS: EventKind[] = ["meeting", "call", "visit", "demo", "other"];
const REMINDER_CHOICES = [0, 5, 15, 30, 60, 1440];

type Props = {
  id?: EventId;
  /** The occurrence opened (a series' recurrence id), with its shown start and end (RFC 3339). */
  occurrence?: string;
  shownStart?: string;
  shownEnd?: string;
  start?: string;
  end?: string;
  allDay?: boolean;
  owner?: string;
  customer?: CustomerId;
  /** A new event about a deal (from the deal's page). */
  deal?: OpportunityId;
};

/** The wall time `YYYY-MM-DDTHH:MM` of an instant (RFC 3339) in an IANA zone. */
export function wallIn(instant: string, zone: string): string {
  const d = new Date(instant);
  if (Number.isNaN(d.getTime())) return "";
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-CA", { timeZone: zone || "UTC", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23" })
      .formatToParts(d)
      .map((p) => [p.type, p.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}`;
}

function blank(p: Props): EventInput {
  const start = p.start ?? defaultStart(new Date());
  return {
    kind: "meeting",
    title: "",
    location: "",
    notes: "",
    allDay: p.allDay ?? false,
    start,
    end: p.end ?? (p.allDay ? "" : hourLater(start)),
    tz: userZone(),
    rrule: "",
    rdates: [],
    exdates: [],
    reminders: [15],
    customerId: p.customer ?? null,
    opportunityId: p.deal ?? null,
    owner: p.owner ?? "",
    visibility: "team",
    status: "confirmed",
    attendees: [],
  };
}

export function EventFormPage(props: Props) {
  const { t } = useTranslation();
  const { navigate, back } = useRouter();
  const toast = useToast();
  const [input, setInput] = useState<EventInput>(() => blank(props));
  const [repeat, setRepeat] = useState<Repeat>({ ...NO_REPEAT });
  const [repeats, setRepeats] = useState(false);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [clashes, setClashes] = useState<Occurrence[]>([]);
  const [asking, setAsking] = useState<null | "save" | "delete">(null);
  const [customerName, setCustomerName] = useState<string>("");
  const [loaded, setLoaded] = useState(!props.id);

  // A new event takes the user's default reminders (Settings → Reminders).
  useEffect(() => {
    if (props.id) return;
    void call(commands.defaultReminders()).then((r) => r.status === "ok" && setInput((v) => ({ ...v, reminders: r.data })));
  }, [props.id]);

  useEffect(() => {
    if (props.id || !props.customer) return;
    const id = props.customer;
    void call(commands.getCustomer(id)).then((c) => c.status === "ok" && setCustomerName(c.data.name));
  }, [props.id, props.customer]);

  useEffect(() => {
    if (!props.id) return;
    void call(commands.getEvent(props.id)).then((r) => {
      if (r.status !== "ok") {
        setFormError(t("event.loadFailed", { message: r.error.message }));
        return;
      }
      const e = r.data;
      const isSeries = e.rrule !== "" || e.rdates.length > 0;
      let start = e.start;
      let end = e.end;
      // An occurrence of a series: its own times, shown in the event's zone.
      if (isSeries && props.occurrence && props.shownStart) {
        start = e.allDay ? props.shownStart.slice(0, 10) : wallIn(props.shownStart, e.tz);
        end = props.shownEnd ? (e.allDay ? props.shownEnd.slice(0, 10) : wallIn(props.shownEnd, e.tz)) : end;
      }
      setInput({ ...e, start, end, attendees: e.attendees.map((a) => ({ name: a.name, email: a.email, customerId: a.customerId })) });
      setRepeat(fromRrule(e.rrule));
      setRepeats(isSeries);
      setLoaded(true);
      if (e.customerId) {
        void call(commands.getCustomer(e.customerId)).then((c) => c.status === "ok" && setCustomerName(c.data.name));
      }
    });
  }, [props.id, props.occurrence, props.shownStart, props.shownEnd, t]);

  const full: EventInput = useMemo(() => ({ ...input, rrule: toRrule(repeat, input.start.slice(0, 10)) }), [input, repeat]);

  // The clash warning, asked for a moment after the times stop changing.
  useEffect(() => {
    if (!loaded) return;
    const timer = window.setTimeout(() => {
      void call(commands.checkEvent(full, props.id ?? null)).then((r) => setClashes(r.status === "ok" ? r.data : []));
    }, 350);
    return () => window.clearTimeout(timer);
  }, [full.start, full.end, full.allDay, full.tz, full.rrule, full.owner, loaded, props.id]); // eslint-disable-line react-hooks/exhaustive-deps

  const change = (patch: Partial<EventInput>, ...fields: string[]) => {
    setInput((v) => ({ ...v, ...patch }));
    setErrors((e) => {
      const next = { ...e };
      for (const f of fields) delete next[f];
      return next;
    });
    setFormError(null);
  };

  const refuse = (error: AppError) => {
    const all: Record<string, string> = {};
    for (const f of error.fields.length ? error.fields : error.field ? [{ field: error.field, message: error.message }] : []) {
      all[f.field] = f.message;
    }
    setErrors(all);
    setFormError(Object.keys(all).length ? null : error.message);
    const first = Object.keys(all)[0];
    if (first) document.querySelector<HTMLElement>(`[data-field="${first.split(".")[0]}"]`)?.focus();
  };

  const saved = (title: string, found: Occurrence[], day: string) => {
    calendarChanged();
    toast.show({
      kind: found.length ? "clash" : "event-saved",
      tone: found.length ? "error" : "info",
      message: found.length ? t("calendar.clash", { count: found.length, titles: found.map((c) => c.title).join(", ") }) : t("event.saved", { title }),
    });
    // Planned from a deal's page: back to the deal, which now lists it. Otherwise the calendar
    // opens on the event's day.
    if (props.deal && !props.id) back();
    else navigate({ name: "calendar", date: day });
  };

  const save = async (span: Span) => {
    setAsking(null);
    const r = props.id
      ? await call(commands.updateEvent(props.id, full, span, repeats ? (props.occurrence ?? null) : null))
      : await call(commands.createEvent(full));
    if (r.status === "error") return refuse(r.error);
    saved(r.data.event.title, r.data.clashes, full.start.slice(0, 10));
  };

  const remove = async (span: Span) => {
    setAsking(null);
    if (!props.id) return;
    const id = props.id;
    const r = await call(commands.deleteEvent(id, span, repeats ? (props.occurrence ?? null) : null));
    if (r.status === "error") return setFormError(r.error.message);
    calendarChanged();
    toast.show({
      kind: "event-deleted",
      message: t("event.deleted", { title: input.title }),
      action:
        span === "all" || !repeats
          ? { label: t("event.undo"), testId: "undo-delete-event", run: () => void call(commands.restoreEvent(id)).then(() => calendarChanged()) }
          : undefined,
    });
    navigate({ name: "calendar", date: input.start.slice(0, 10) });
  };

  const logActivity = async () => {
    if (!props.id) return;
    const r = await call(commands.logEventAsActivity(props.id, props.occurrence ?? null, "", ""));
    if (r.status === "error") return setFormError(r.error.message);
    toast.show({ kind: "activity-logged", message: t("event.logged") });
    calendarChanged();
  };

  const submit = () => {
    if (props.id && repeats && props.occurrence) setAsking("save");
    else void save("all");
  };
  const submitRef = useRef(submit);
  submitRef.current = submit;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === "s") {
        e.preventDefault();
        submitRef.current();
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);

  const err = (field: string): ReactNode =>
    errors[field] ? (
      <div className="field-error" data-error-for={field} role="alert">
        {errors[field]}
      </div>
    ) : null;
  const invalid = (field: string) => (errors[field] ? { "aria-invalid": true as const } : {});
  const reminderErrors = Object.keys(errors).filter((k) => k.startsWith("reminders"));

  return (
    <div className="page event-page" data-testid="event-form-page">
      <div className="page-header">
        <h1 className="page-title">{props.id ? t("event.edit") : t("event.new")}</h1>
        <div className="page-actions">
          {props.id && input.customerId && (input.kind === "visit" || input.kind === "call" || input.kind === "meeting") && (
            <button type="button" className="btn" data-testid="event-log-activity" onClick={() => void logActivity()}>
              {t("event.logActivity")}
            </button>
          )}
          {props.id && (
            <button type="button" className="btn btn-danger" data-testid="event-delete" onClick={() => (repeats && props.occurrence ? setAsking("delete") : void remove("all"))}>
              {t("event.delete")}
            </button>
          )}
        </div>
      </div>
      <div className="page-body">
      <form
        className="form event-form"
        noValidate
        data-testid="event-form"
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
      >
        {formError && (
          <div className="banner" role="alert" data-error-for="form">
            {formError}
          </div>
        )}
        <div className="form-row">
          <label className="field field-grow">
            <span className="field-label">{t("event.title")}</span>
            <input className="input" data-testid="event-title" data-field="title" autoFocus value={input.title} {...invalid("title")} onChange={(e) => change({ title: e.target.value }, "title")} />
            {err("title")}
          </label>
          <label className="field">
            <span className="field-label">{t("event.kind")}</span>
            <select className="select" data-testid="event-kind" value={input.kind} onChange={(e) => change({ kind: e.target.value as EventKind })}>
              {KINDS.map((k) => (
                <option key={k} value={k}>
                  {t(`eventKind.${k}`)}
                </option>
              ))}
            </select>
          </label>
        </div>
        <div className="form-row">
          <label className="field field-check">
            <input
              type="checkbox"
              data-testid="event-all-day"
              checked={input.allDay}
              onChange={(e) => {
                const allDay = e.target.checked;
                const day = input.start.slice(0, 10);
                change(allDay ? { allDay, start: day, end: "" } : { allDay, start: `${day}T09:00`, end: `${day}T10:00` }, "start", "end");
              }}
            />
            {t("event.allDay")}
          </label>
          <label className="field">
            <span className="field-label">{t("event.start")}</span>
            <input
              className="input"
              type={input.allDay ? "date" : "datetime-local"}
              data-testid="event-start"
              data-field="start"
              value={input.start}
              {...invalid("start")}
              onChange={(e) => change({ start: e.target.value }, "start")}
            />
            {err("start")}
          </label>
          <label className="field">
            <span className="field-label">{t("event.end")}</span>
            <input
              className="input"
              type={input.allDay ? "date" : "datetime-local"}
              data-testid="event-end"
              data-field="end"
              value={input.end}
              {...invalid("end")}
              onChange={(e) => change({ end: e.target.value }, "end")}
            />
            {err("end")}
          </label>
          {!input.allDay && (
            <label className="field">
              <span className="field-label">{t("event.tz")}</span>
              <input className="input" data-testid="event-tz" data-field="tz" value={input.tz} {...invalid("tz")} onChange={(e) => change({ tz: e.target.value }, "tz")} />
              {err("tz")}
            </label>
          )}
        </div>
        {clashes.length > 0 && (
          <div className="banner banner-warning" data-testid="clash-warning" role="status">
            {t("event.clashWarning", { count: clashes.length })}
            <ul>
              {clashes.slice(0, 5).map((c) => (
                <li key={`${c.eventId}|${c.recurrenceId ?? ""}`}>
                  {c.title} · {c.allDay ? c.start : new Date(c.start).toLocaleString()}
                </li>
              ))}
            </ul>
          </div>
        )}
        <RepeatFields repeat={repeat} setRepeat={(r) => { setRepeat(r); change({}, "rrule"); }} error={err("rrule")} />
        <fieldset className="field event-reminders" data-testid="event-reminders" data-field="reminders">
          <legend className="field-label">{t("event.reminders")}</legend>
          {REMINDER_CHOICES.map((m) => (
            <label key={m} className="field-check">
              <input
                type="checkbox"
                data-testid={`reminder-${m}`}
                checked={input.reminders.includes(m)}
                onChange={(e) => change({ reminders: e.target.checked ? [...input.reminders, m].sort((a, b) => a - b) : input.reminders.filter((x) => x !== m) }, ...reminderErrors)}
              />
              {t(`reminder.${m}`)}
            </label>
          ))}
          <label className="field-check">
            {t("event.reminderCustom")}
            <input
              className="input input-narrow"
              type="number"
              min={0}
              data-testid="reminder-custom"
              value={input.reminders.find((m) => !REMINDER_CHOICES.includes(m)) ?? ""}
              onChange={(e) => {
                const rest = input.reminders.filter((m) => REMINDER_CHOICES.includes(m));
                const n = Number(e.target.value);
                change({ reminders: e.target.value === "" || !Number.isInteger(n) ? rest : [...rest, n].sort((a, b) => a - b) }, ...reminderErrors);
              }}
            />
          </label>
          {reminderErrors.map((k) => (
            <div key={k} className="field-error" data-error-for={k} role="alert">
              {errors[k]}
            </div>
          ))}
        </fieldset>
        <div className="form-row">
          <label className="field field-grow">
            <span className="field-label">{t("event.location")}</span>
            <input className="input" data-testid="event-location" data-field="location" value={input.location} {...invalid("location")} onChange={(e) => change({ location: e.target.value }, "location")} />
            {err("location")}
          </label>
          <CustomerPicker
            className="event-customer"
            testId="event-customer"
            label={t("event.customer")}
            placeholder={t("event.customerSearch")}
            removeLabel={t("event.remove")}
            value={input.customerId}
            name={customerName}
            error={err("customerId")}
            onChange={(id, name) => {
              setCustomerName(name);
              // Another customer's deal would be a wrong link: the deal goes with its customer.
              change({ customerId: id, opportunityId: null }, "customerId", "opportunityId");
            }}
          />
          <DealSelect customerId={input.customerId} value={input.opportunityId ?? null} error={err("opportunityId")} onChange={(id) => change({ opportunityId: id }, "opportunityId")} />
        </div>
        <fieldset className="field event-attendees" data-testid="event-attendees" data-field="attendees">
          <legend className="field-label">{t("event.attendees")}</legend>
          {input.attendees.map((a, i) => (
            <div className="form-row" key={i} data-testid="attendee-row">
              <input
                className="input"
                placeholder={t("event.attendeeName")}
                aria-label={t("event.attendeeName")}
                data-testid={`attendee-name-${i}`}
                value={a.name}
                {...invalid(`attendees.${i}.name`)}
                onChange={(e) => change({ attendees: input.attendees.map((x, j) => (j === i ? { ...x, name: e.target.value } : x)) }, `attendees.${i}.name`)}
              />
              <input
                className="input"
                type="email"
                placeholder={t("event.attendeeEmail")}
                aria-label={t("event.attendeeEmail")}
                data-testid={`attendee-email-${i}`}
                value={a.email}
                {...invalid(`attendees.${i}.email`)}
                onChange={(e) => change({ attendees: input.attendees.map((x, j) => (j === i ? { ...x, email: e.target.value } : x)) }, `attendees.${i}.email`)}
              />
              <button type="button" className="btn btn-small" onClick={() => change({ attendees: input.attendees.filter((_, j) => j !== i) })}>
                {t("event.remove")}
              </button>
              {err(`attendees.${i}.name`)}
              {err(`attendees.${i}.email`)}
            </div>
          ))}
          <button type="button" className="btn btn-small" data-testid="attendee-add" onClick={() => change({ attendees: [...input.attendees, { name: "", email: "", customerId: null }] })}>
            {t("event.addAttendee")}
          </button>
          {err("attendees")}
        </fieldset>
        <div className="form-row">
          <label className="field">
            <span className="field-label">{t("event.owner")}</span>
            <input className="input" data-testid="event-owner" data-field="owner" value={input.owner} {...invalid("owner")} onChange={(e) => change({ owner: e.target.value }, "owner")} />
            {err("owner")}
          </label>
          <label className="field">
            <span className="field-label">{t("event.visibility")}</span>
            <select className="select" data-testid="event-visibility" value={input.visibility} onChange={(e) => change({ visibility: e.target.value }, "visibility")}>
              <option value="team">{t("event.visibilityTeam")}</option>
              <option value="private">{t("event.visibilityPrivate")}</option>
            </select>
          </label>
        </div>
        <label className="field">
          <span className="field-label">{t("event.notes")}</span>
          <textarea className="textarea" data-testid="event-notes" data-field="notes" rows={4} value={input.notes} {...invalid("notes")} onChange={(e) => change({ notes: e.target.value }, "notes")} />
          {err("notes")}
        </label>
        <div className="form-actions" data-sticky="bottom">
          <button type="submit" className="btn btn-primary" data-testid="event-save">
            {t("event.save")}
          </button>
          <button type="button" className="btn" data-testid="event-cancel" onClick={back}>
            {t("event.cancel")}
          </button>
        </div>
      </form>
      </div>
      {asking && (
        <div className="dialog-backdrop" role="presentation">
          <div className="dialog" role="dialog" aria-modal="true" aria-label={t("event.spanTitle")} data-testid="span-dialog">
            <h2 className="dialog-title">{t("event.spanTitle")}</h2>
            <div className="dialog-actions">
              {(["this", "following", "all"] as const).map((span) => (
                <button
                  key={span}
                  type="button"
                  className="btn"
                  data-testid={`span-${span}`}
                  onClick={() => void (asking === "save" ? save(span) : remove(span))}
                >
                  {t(`event.span${span === "this" ? "This" : span === "following" ? "Following" : "All"}`)}
                </button>
              ))}
              <button type="button" className="btn" onClick={() => setAsking(null)}>
                {t("event.cancel")}
              </button>
            </div>
          </div>
        </div>
      )}
    </div>
  );
}

function RepeatFields({ repeat, setRepeat, error }: { repeat: Repeat; setRepeat: (r: Repeat) => void; error: ReactNode }) {
  const { t } = useTranslation();
  const set = (patch: Partial<Repeat>) => setRepeat({ ...repeat, ...patch });
  return (
    <fieldset className="field event-repeat" data-testid="event-repeat" data-field="rrule">
      <legend className="field-label">{t("event.repeat")}</legend>
      <div className="form-row">
        <select className="select" data-testid="repeat-freq" value={repeat.freq} onChange={(e) => set({ freq: e.target.value as Repeat["freq"] })}>
          {(["none", "daily", "weekly", "monthly-day", "monthly-nth", "yearly", ...(repeat.freq === "custom" ? ["custom"] : [])] as const).map((f) => (
            <option key={f} value={f}>
              {t(`repeatFreq.${f}`)}
            </option>
          ))}
        </select>
        {repeat.freq !== "none" && repeat.freq !== "custom" && (
          <>
            <label className="field-check">
              {t("event.every")}
              <input className="input input-narrow" type="number" min={1} data-testid="repeat-interval" value={repeat.interval} onChange={(e) => set({ interval: Math.max(1, Number(e.target.value) || 1) })} />
            </label>
            <select className="select" data-testid="repeat-ends" value={repeat.ends} onChange={(e) => set({ ends: e.target.value as Repeat["ends"] })}>
              <option value="never">{t("event.endsNever")}</option>
              <option value="count">{t("event.endsCount")}</option>
              <option value="until">{t("event.endsUntil")}</option>
            </select>
            {repeat.ends === "count" && (
              <label className="field-check">
                <input className="input input-narrow" type="number" min={1} data-testid="repeat-count" value={repeat.count} onChange={(e) => set({ count: Math.max(1, Number(e.target.value) || 1) })} />
                {t("event.endsCountUnit")}
              </label>
            )}
            {repeat.ends === "until" && <input className="input" type="date" data-testid="repeat-until" value={repeat.until} onChange={(e) => set({ until: e.target.value })} />}
          </>
        )}
        {repeat.freq === "custom" && <input className="input field-grow" data-testid="repeat-raw" value={repeat.raw} onChange={(e) => set({ raw: e.target.value })} />}
      </div>
      {repeat.freq === "weekly" && (
        <div className="form-row" data-testid="repeat-days">
          {WEEKDAYS.map((d) => (
            <label key={d} className="field-check">
              <input type="checkbox" data-testid={`repeat-day-${d}`} checked={repeat.days.includes(d)} onChange={(e) => set({ days: e.target.checked ? [...repeat.days, d] : repeat.days.filter((x) => x !== d) })} />
              {t(`weekday.${d}`)}
            </label>
          ))}
        </div>
      )}
      {error}
    </fieldset>
  );
}

/**
 * Which of the customer's deals the event is about (shown once the customer has deals, or the
 * event names one). The deal's page then lists the event.
 */
function DealSelect({ customerId, value, error, onChange }: { customerId: CustomerId | null; value: OpportunityId | null; error: ReactNode; onChange: (id: OpportunityId | null) => void }) {
  const { t } = useTranslation();
  const [deals, setDeals] = useState<DealCard[]>([]);
  useEffect(() => {
    if (!customerId) return setDeals([]);
    const filter = { owners: [], customerId, stages: [], query: "", closeFrom: "", closeTo: "" };
    let live = true;
    void call(commands.listDeals(filter, 200)).then((r) => live && r.status === "ok" && setDeals(r.data));
    return () => {
      live = false;
    };
  }, [customerId]);
  if (deals.length === 0 && !value) return null;
  return (
    <label className="field event-deal">
      <span className="field-label">{t("event.deal")}</span>
      <select className="select" data-testid="event-deal" data-field="opportunityId" aria-invalid={error ? true : undefined} value={value ?? ""} onChange={(e) => onChange(e.target.value ? e.target.value : null)}>
        <option value="">{t("event.noDeal")}</option>
        {value && !deals.some((d) => d.id === value) && <option value={value}>{t("event.dealElsewhere")}</option>}
        {deals.map((d) => (
          <option key={d.id} value={d.id}>
            {d.title}
          </option>
        ))}
      </select>
      {error}
    </label>
  );
}
