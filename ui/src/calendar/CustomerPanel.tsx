/** A customer's events and open tasks, on its page (a `RecordPanel` of the calendar module). */
import { useCallback, useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { commands, type CustomerCalendar } from "../bindings";
import { useRouter } from "../lib/router";
import { call } from "../lib/result";
import { onCalendarChanged } from "./api";

export function CustomerCalendarPanel({ recordId, readOnly }: { recordId: string; readOnly: boolean }) {
  const { t, i18n } = useTranslation();
  const { navigate } = useRouter();
  const [data, setData] = useState<CustomerCalendar | null>(null);
  const load = useCallback(() => {
    void call(commands.customerCalendar(recordId)).then((r) => r.status === "ok" && setData(r.data));
  }, [recordId]);
  useEffect(() => {
    load();
    return onCalendarChanged(load);
  }, [load]);
  const when = (start: string, allDay: boolean) => {
    if (allDay) return start;
    const [day, time] = start.split("T");
    return `${day} ${time ?? ""}`;
  };
  const open = data?.tasks.filter((task) => task.doneAt === null) ?? [];
  return (
    <section className="detail-section customer-calendar" data-testid="customer-calendar">
      <div className="section-header">
        <h2 className="section-title">{t("nav.calendar")}</h2>
        {!readOnly && (
          <button type="button" className="btn btn-small" data-testid="customer-new-event" onClick={() => navigate({ name: "event-new", customer: recordId })}>
            {t("calendar.newEvent")}
          </button>
        )}
      </div>
      {data && data.events.length === 0 && open.length === 0 && <p className="muted">{t("calendar.noEvents")}</p>}
      <ul className="customer-calendar-list">
        {data?.events.slice(0, 10).map((e) => (
          <li key={e.id}>
            <button type="button" className="today-item" data-testid="customer-event" onClick={() => navigate({ name: "event", id: e.id })}>
              <span className="today-time">{when(e.start, e.allDay)}</span> {e.title} <span className="muted">· {t(`eventKind.${e.kind}`)}</span>
              {e.rrule ? ` · ${t("calendar.repeats")}` : ""}
            </button>
          </li>
        ))}
        {open.slice(0, 10).map((task) => (
          <li key={task.id} data-testid="customer-task">
            ☐ {task.title} <span className="muted">{task.dueDate && new Intl.DateTimeFormat(i18n.language).format(new Date(`${task.dueDate}T12:00:00`))}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}
