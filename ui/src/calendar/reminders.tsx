/**
 * Reminders in the window: a notification clicked opens its record (the desktop's
 * `ReminderOpened` event), the list of reminders that fired (snooze, dismiss), and the
 * Settings → Reminders card (default reminders, keep running in the tray, start at login).
 */
import { useCallback, useEffect, useState, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { commands, events, type DueReminder, type ReminderSettings, type Snooze } from "../bindings";
import { listenTo } from "../lib/listen";
import { useRouter } from "../lib/router";
import { call } from "../lib/result";
import { useToast } from "../lib/toast";
import { calendarChanged, onCalendarChanged } from "./api";

const CHOICES = [0, 5, 15, 30, 60, 1440];

/** The module's provider: routes a clicked notification to its record, refreshes on changes. */
export function RemindersProvider({ children }: { children: ReactNode }) {
  const { navigate } = useRouter();
  useEffect(
    () =>
      listenTo(events.reminderOpened, (r) => {
        if (r.recordType === "event") navigate({ name: "event", id: r.id, occurrence: r.recurrenceId ?? undefined });
        else if (r.recordType === "customer") navigate({ name: "customer", id: r.id });
        else if (r.recordType === "task") navigate({ name: "tasks" });
      }),
    [navigate],
  );
  useEffect(() => listenTo(events.remindersChanged, () => calendarChanged()), []);
  return <>{children}</>;
}

/** The reminders that fired and wait for an answer (the newest first). */
export function ReminderList() {
  const { t, i18n } = useTranslation();
  const toast = useToast();
  const [due, setDue] = useState<DueReminder[]>([]);
  const load = useCallback(() => void call(commands.dueReminders()).then((r) => r.status === "ok" && setDue(r.data)), []);
  useEffect(() => {
    load();
    return onCalendarChanged(load);
  }, [load]);
  const act = async (r: DueReminder, choice: Snooze | "dismiss") => {
    const res = choice === "dismiss" ? await call(commands.dismissReminder(r)) : await call(commands.snoozeReminder(r, choice));
    if (res.status === "error") toast.show({ message: res.error.message, tone: "error" });
    load();
  };
  if (due.length === 0) return null;
  const when = (iso: string, allDay: boolean) =>
    new Intl.DateTimeFormat(i18n.language, allDay ? { dateStyle: "medium" } : { dateStyle: "medium", timeStyle: "short" }).format(new Date(iso));
  return (
    <section className="reminder-list" data-testid="reminder-list">
      <h2 className="section-title">{t("reminders.title")}</h2>
      <ul>
        {due.map((r) => (
          <li key={r.key} className="reminder-row" data-testid="reminder-row" data-key={r.key}>
            <span className="task-title">
              {r.title} <span className="muted">· {when(r.startsAt, r.allDay)}</span>
              {r.missed && <span className="pill"> {t("reminders.missed")}</span>}
            </span>
            <button type="button" className="btn btn-small" data-testid="reminder-snooze-10" onClick={() => void act(r, "ten_minutes")}>
              {t("reminders.snooze10")}
            </button>
            <button type="button" className="btn btn-small" onClick={() => void act(r, "one_hour")}>
              {t("reminders.snooze60")}
            </button>
            <button type="button" className="btn btn-small" onClick={() => void act(r, "tomorrow")}>
              {t("reminders.tomorrow")}
            </button>
            <button type="button" className="btn btn-small" data-testid="reminder-dismiss" onClick={() => void act(r, "dismiss")}>
              {t("reminders.dismiss")}
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** Settings → Reminders. */
export function RemindersSection() {
  const { t } = useTranslation();
  const toast = useToast();
  const [defaults, setDefaults] = useState<number[] | null>(null);
  const [settings, setSettings] = useState<ReminderSettings | null>(null);
  useEffect(() => {
    void call(commands.defaultReminders()).then((r) => r.status === "ok" && setDefaults(r.data));
    void call(commands.reminderSettings()).then((r) => r.status === "ok" && setSettings(r.data));
  }, []);
  const fail = (message: string) => toast.show({ message, tone: "error" });
  const toggle = async (m: number, on: boolean) => {
    const next = on ? [...(defaults ?? []), m] : (defaults ?? []).filter((x) => x !== m);
    const r = await call(commands.setDefaultReminders(next));
    if (r.status === "ok") setDefaults(r.data);
    else fail(r.error.message);
  };
  return (
    <section className="card" id="settings-reminders" data-testid="settings-reminders">
      <h2>{t("reminders.settingsTitle")}</h2>
      <fieldset className="event-reminders">
        <legend className="field-label">{t("reminders.defaults")}</legend>
        {CHOICES.map((m) => (
          <label key={m} className="field-check">
            <input type="checkbox" data-testid={`default-reminder-${m}`} checked={defaults?.includes(m) ?? false} disabled={!defaults} onChange={(e) => void toggle(m, e.target.checked)} />
            {t(`reminder.${m}`)}
          </label>
        ))}
      </fieldset>
      {settings && (
        <div className="settings-toggles">
          <label className="field-check">
            <input
              type="checkbox"
              data-testid="close-to-tray"
              checked={settings.closeToTray}
              onChange={(e) => void call(commands.setCloseToTray(e.target.checked)).then((r) => (r.status === "ok" ? setSettings(r.data) : fail(r.error.message)))}
            />
            {t("reminders.closeToTray")}
          </label>
          {!settings.trayAvailable && <p className="muted">{t("reminders.noTray")}</p>}
          <label className="field-check">
            <input
              type="checkbox"
              data-testid="start-at-login"
              checked={settings.startAtLogin}
              disabled={!settings.startAtLoginAvailable}
              onChange={(e) => void call(commands.setStartAtLogin(e.target.checked)).then((r) => (r.status === "ok" ? setSettings(r.data) : fail(r.error.message)))}
            />
            {t("reminders.startAtLogin")}
          </label>
        </div>
      )}
    </section>
  );
}
