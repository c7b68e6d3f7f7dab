/**
 * The small "today" panel under Calendar in the sidebar, on every page: today's events left and
 * the tasks due, so the day's plan is a glance away wherever the user is.
 */
import { useCallback, useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import type { Occurrence } from "../bindings";
import { useRouter } from "../lib/router";
import { calendarApi, onCalendarChanged } from "./api";
import { useTaskLists } from "./TasksPage";
import { addDays, dayOf, userZone } from "./time";

export function TodayPanel() {
  const { t, i18n } = useTranslation();
  const { navigate } = useRouter();
  const [events, setEvents] = useState<Occurrence[]>([]);
  const tasks = useTaskLists(["today", "overdue"]);
  const load = useCallback(() => {
    const today = dayOf(new Date());
    void calendarApi.page(today, addDays(today, 1), userZone(), null).then((r) => r.status === "ok" && setEvents(r.data));
  }, []);
  useEffect(() => {
    load();
    const timer = window.setInterval(load, 5 * 60_000);
    const off = onCalendarChanged(load);
    return () => {
      window.clearInterval(timer);
      off();
    };
  }, [load]);
  const now = Date.now();
  const upcoming = events.filter((e) => e.allDay || new Date(e.end).getTime() >= now);
  const due = tasks.today?.length ?? 0;
  const overdue = tasks.overdue?.length ?? 0;
  const time = (iso: string) => new Intl.DateTimeFormat(i18n.language, { hour: "2-digit", minute: "2-digit" }).format(new Date(iso));
  return (
    <div className="today-panel" data-testid="today-panel">
      <div className="today-panel-head">{t("todayPanel.title")}</div>
      {upcoming.length === 0 && due === 0 && overdue === 0 && <div className="muted">{t("todayPanel.nothing")}</div>}
      <ul>
        {upcoming.slice(0, 4).map((e) => (
          <li key={`${e.eventId}|${e.recurrenceId ?? ""}`}>
            <button type="button" className="today-item" data-testid="today-event" onClick={() => navigate({ name: "event", id: e.eventId, occurrence: e.recurrenceId ?? undefined, shownStart: e.start, shownEnd: e.end })}>
              <span className="today-time">{e.allDay ? t("event.allDay") : time(e.start)}</span> {e.title}
            </button>
          </li>
        ))}
      </ul>
      {(due > 0 || overdue > 0) && (
        <button type="button" className="today-item today-tasks" data-testid="today-tasks" onClick={() => navigate({ name: "tasks" })}>
          {t("todayPanel.tasks", { count: due })}
          {overdue > 0 ? ` · ${t("todayPanel.overdue", { count: overdue })}` : ""}
        </button>
      )}
    </div>
  );
}
