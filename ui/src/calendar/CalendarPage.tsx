/**
 * The calendar: month, week, day and agenda views (FullCalendar, MIT), drag to move and resize,
 * drag on empty time to create, a team view with several people's days side by side, and keys.
 * Every occurrence comes from the core in the user's zone (`calendar_page`); a drag is one
 * `move_occurrence` (an occurrence of a series moves alone), and a clash comes back as a warning.
 */
import type { DateSelectArg, EventClickArg, EventContentArg, EventInput as FcEvent, EventSourceFuncArg } from "@fullcalendar/core";
import zhCn from "@fullcalendar/core/locales/zh-cn";
import dayGridPlugin from "@fullcalendar/daygrid";
import interactionPlugin, { type EventResizeDoneArg } from "@fullcalendar/interaction";
import type { EventDropArg } from "@fullcalendar/core";
import listPlugin from "@fullcalendar/list";
import FullCalendar from "@fullcalendar/react";
import timeGridPlugin from "@fullcalendar/timegrid";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { commands, type Occurrence } from "../bindings";
import { useRouter } from "../lib/router";
import { call } from "../lib/result";
import { useToast } from "../lib/toast";
import { calendarApi, calendarChanged, importIcs, occurrenceKey, onCalendarChanged, parseOccurrenceKey } from "./api";
import { addDays, dayOf, userZone, wallOf, ymd } from "./time";

export type CalendarView = "month" | "week" | "day" | "agenda";

const FC_VIEW: Record<CalendarView, string> = { month: "dayGridMonth", week: "timeGridWeek", day: "timeGridDay", agenda: "listWeek" };
const PLUGINS = [dayGridPlugin, timeGridPlugin, listPlugin, interactionPlugin];

function toFc(o: Occurrence): FcEvent {
  return {
    id: occurrenceKey(o),
    title: o.title,
    start: o.start,
    end: o.end === o.start ? undefined : o.end,
    allDay: o.allDay,
    classNames: [`event-kind-${o.kind}`, o.status === "done" ? "event-done" : "", o.repeats ? "event-repeats" : ""].filter(Boolean),
    extendedProps: { occurrence: o },
  };
}

/**
 * An event's face, made as plain elements rather than a React component: FullCalendar mounts a
 * React root for each event a component draws, and a week of a busy team holds some 1,500 of
 * them (about 57 MB in the web engine at the demo book's scale; docs/benchmarks.md).
 */
function eventContent(arg: EventContentArg): { domNodes: Node[] } {
  const o = arg.event.extendedProps.occurrence as Occurrence | undefined;
  const span = (className: string, text: string) => {
    const el = document.createElement("span");
    el.className = className;
    el.textContent = text;
    return el;
  };
  const face = document.createElement("div");
  face.className = "cal-event";
  face.dataset.testid = "calendar-event";
  face.dataset.eventId = o?.eventId ?? "";
  face.dataset.recurrenceId = o?.recurrenceId ?? "";
  face.dataset.start = o?.start ?? "";
  face.title = arg.event.title;
  if (arg.timeText) face.append(span("cal-event-time", arg.timeText));
  face.append(span("cal-event-title", `${o?.repeats ? "↻ " : ""}${arg.event.title}`));
  if (o?.location) face.append(span("cal-event-location", ` · ${o.location}`));
  return { domNodes: [face] };
}

/**
 * One FullCalendar, fed by the core: the main one, or one person's column in the team view. The
 * page owns the view and the day and the board follows them; nothing is synced back from the
 * component (it has no toolbar or day links of its own), which once made the two change each
 * other's view in a loop.
 */
function Board({
  view,
  date,
  owners,
  header,
}: {
  view: CalendarView;
  date: string;
  owners: string[] | null;
  header?: string;
}) {
  const { t, i18n } = useTranslation();
  const { navigate } = useRouter();
  const toast = useToast();
  const ref = useRef<FullCalendar>(null);
  const zone = useMemo(userZone, []);
  const ownersKey = JSON.stringify(owners);

  useEffect(() => onCalendarChanged(() => ref.current?.getApi().refetchEvents()), []);
  useEffect(() => {
    const api = ref.current?.getApi();
    if (!api) return;
    if (api.view.type !== FC_VIEW[view]) api.changeView(FC_VIEW[view], date);
    else if (dayOf(api.getDate()) !== date) api.gotoDate(date);
  }, [view, date]);

  const events = useCallback(
    (info: EventSourceFuncArg, ok: (events: FcEvent[]) => void, fail: (e: Error) => void) => {
      void calendarApi.page(dayOf(info.start), dayOf(info.end), zone, JSON.parse(ownersKey) as string[] | null).then((r) => {
        if (r.status === "ok") ok(r.data.map(toFc));
        else {
          toast.show({ message: t("calendar.loadFailed", { message: r.error.message }), tone: "error" });
          fail(new Error(r.error.message));
        }
      });
    },
    [ownersKey, zone, toast, t],
  );

  const move = async (arg: EventDropArg | EventResizeDoneArg) => {
    const ev = arg.event;
    const { eventId, recurrenceId } = parseOccurrenceKey(ev.id);
    const start = ev.allDay ? dayOf(ev.start!) : wallOf(ev.start!);
    const end = ev.allDay ? (ev.end ? dayOf(ev.end) : addDays(start, 1)) : wallOf(ev.end ?? ev.start!);
    const r = await call(commands.moveOccurrence(eventId, recurrenceId, start, end, zone));
    if (r.status === "error") {
      arg.revert();
      toast.show({ message: r.error.message, tone: "error" });
      return;
    }
    const clashes = r.data.clashes;
    toast.show({
      kind: clashes.length ? "clash" : "moved",
      tone: clashes.length ? "error" : "info",
      message: clashes.length
        ? t("calendar.clash", { count: clashes.length, titles: clashes.map((c) => c.title).join(", ") })
        : t("calendar.moved", { title: ev.title }),
    });
    calendarChanged();
  };

  const select = (arg: DateSelectArg) => {
    const allDay = arg.allDay;
    navigate({
      name: "event-new",
      start: allDay ? arg.startStr.slice(0, 10) : wallOf(arg.start),
      end: allDay ? arg.endStr.slice(0, 10) : wallOf(arg.end),
      allDay,
      owner: owners && owners.length === 1 ? owners[0] : undefined,
    });
  };

  const click = (arg: EventClickArg) => {
    const { eventId, recurrenceId } = parseOccurrenceKey(arg.event.id);
    navigate({ name: "event", id: eventId, occurrence: recurrenceId ?? undefined });
  };

  return (
    <div className="cal-board" data-testid={header ? "team-column" : "calendar-board"} data-owner={header}>
      {header && <div className="cal-board-owner">{header}</div>}
      <FullCalendar
        ref={ref}
        plugins={PLUGINS}
        initialView={FC_VIEW[view]}
        initialDate={date}
        headerToolbar={false}
        locales={[zhCn]}
        locale={i18n.language === "zh-CN" ? "zh-cn" : "en"}
        firstDay={1}
        height="100%"
        nowIndicator
        editable
        eventResizableFromStart
        selectable
        selectMirror
        dayMaxEvents
        // A busy week of a team holds thousands of events: at most three side by side in a time
        // slot, the rest behind "+N" (a week at the demo book's scale drew 13,700 elements and
        // took 300 MB in the web engine; docs/benchmarks.md).
        eventMaxStack={3}
        allDayText={t("event.allDay")}
        noEventsText={t("calendar.noEvents")}
        scrollTime="08:00:00"
        events={events}
        eventContent={eventContent}
        eventDrop={(arg) => void move(arg)}
        eventResize={(arg) => void move(arg)}
        select={select}
        eventClick={click}
      />
    </div>
  );
}

/** The days [from, to) a view around `date` shows (weeks start on Monday, as the board's do). */
function shownRange(view: CalendarView, date: string): [string, string] {
  const [y, m, d] = ymd(date);
  if (view === "month") return [dayOf(new Date(y, m - 1, 1)), dayOf(new Date(y, m, 1))];
  if (view === "day") return [date, addDays(date, 1)];
  const monday = addDays(date, -((new Date(y, m - 1, d).getDay() + 6) % 7));
  return [monday, addDays(monday, 7)];
}

function step(view: CalendarView, date: string, dir: 1 | -1): string {
  if (view === "month") {
    const [y, m] = ymd(date);
    return dayOf(new Date(y, m - 1 + dir, 1));
  }
  return addDays(date, dir * (view === "day" ? 1 : 7));
}

function isTyping(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  return !!el && (el.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(el.tagName));
}

export function CalendarPage({ view: initialView, date: initialDate }: { view?: CalendarView; date?: string }) {
  const { t, i18n } = useTranslation();
  const { navigate } = useRouter();
  const [view, setView] = useState<CalendarView>(initialView ?? "week");
  const [date, setDate] = useState<string>(initialDate ?? dayOf(new Date()));
  const [team, setTeam] = useState(false);
  const [people, setPeople] = useState<string[]>([]);
  const [shown, setShown] = useState<string[]>([]);

  useEffect(() => {
    void call(commands.calendarPeople()).then((r) => {
      if (r.status !== "ok") return;
      setPeople(r.data);
      setShown((s) => (s.length ? s : r.data.slice(0, 10)));
    });
  }, []);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey || isTyping(e.target)) return;
      const k = e.key;
      if (k === "t" || k === "T") setDate(dayOf(new Date()));
      else if (k === "ArrowLeft") setDate((d) => step(view, d, -1));
      else if (k === "ArrowRight") setDate((d) => step(view, d, 1));
      else if (k === "m") setView("month");
      else if (k === "w") setView("week");
      else if (k === "d") setView("day");
      else if (k === "a") setView("agenda");
      else if (k === "n") navigate({ name: "event-new" });
      else return;
      e.preventDefault();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [view, navigate]);

  const title = useMemo(() => {
    const [y, m, d] = ymd(date);
    const at = new Date(y, m - 1, d);
    const opts: Intl.DateTimeFormatOptions = view === "month" ? { year: "numeric", month: "long" } : { year: "numeric", month: "long", day: "numeric" };
    return new Intl.DateTimeFormat(i18n.language, opts).format(at);
  }, [date, view, i18n.language]);

  const teamView: CalendarView = view === "month" || view === "agenda" ? "day" : view;

  return (
    <div className="page calendar-page" data-testid="calendar-page">
      <div className="page-header cal-toolbar">
        <h1 className="page-title" data-testid="calendar-title">
          {title}
        </h1>
        <div className="cal-nav" role="group">
          <button type="button" className="btn" data-testid="calendar-today" onClick={() => setDate(dayOf(new Date()))}>
            {t("calendar.today")}
          </button>
          <button type="button" className="btn" aria-label={t("calendar.prev")} data-testid="calendar-prev" onClick={() => setDate((d) => step(view, d, -1))}>
            ‹
          </button>
          <button type="button" className="btn" aria-label={t("calendar.next")} data-testid="calendar-next" onClick={() => setDate((d) => step(view, d, 1))}>
            ›
          </button>
        </div>
        <div className="cal-views" role="tablist">
          {(["month", "week", "day", "agenda"] as const).map((v) => (
            <button
              key={v}
              type="button"
              role="tab"
              aria-selected={view === v && !team}
              className={`btn${view === v && !team ? " btn-selected" : ""}`}
              data-testid={`calendar-view-${v}`}
              onClick={() => {
                setTeam(false);
                setView(v);
              }}
            >
              {t(`calendar.${v}`)}
            </button>
          ))}
          <button
            type="button"
            role="tab"
            aria-selected={team}
            className={`btn${team ? " btn-selected" : ""}`}
            data-testid="calendar-view-team"
            onClick={() => setTeam((x) => !x)}
          >
            {t("calendar.team")}
          </button>
        </div>
        <IcsButtons range={shownRange(team ? teamView : view, date)} />
        <button type="button" className="btn btn-primary" data-testid="new-event" onClick={() => navigate({ name: "event-new" })}>
          {t("calendar.newEvent")}
        </button>
      </div>
      {team && (
        <fieldset className="cal-people" data-testid="team-people">
          <legend>{t("calendar.teamPeople")}</legend>
          {people.map((p) => (
            <label key={p} className="cal-person">
              <input
                type="checkbox"
                checked={shown.includes(p)}
                onChange={(e) => setShown((s) => (e.target.checked ? [...s, p] : s.filter((x) => x !== p)))}
              />
              {p}
            </label>
          ))}
        </fieldset>
      )}
      <div className="cal-body">
        {team ? (
          <div className="cal-team" data-testid="calendar-team">
            {shown.map((p) => (
              <Board key={p} view={teamView} date={date} owners={[p]} header={p} />
            ))}
          </div>
        ) : (
          <Board view={view} date={date} owners={null} />
        )}
      </div>
      <p className="cal-keys">{t("calendar.keys")}</p>
    </div>
  );
}

/** Import an .ics file (every event or none; the refused ones are listed) and export the calendar. */
function IcsButtons({ range }: { range: [string, string] }) {
  const { t } = useTranslation();
  const toast = useToast();
  const input = useRef<HTMLInputElement>(null);
  const [problems, setProblems] = useState<string[]>([]);
  const pick = async (file: File) => {
    const r = await importIcs(file);
    if (r.status === "error") {
      setProblems([]);
      toast.show({ kind: "ics-import", tone: "error", message: r.error.message });
      return;
    }
    const d = r.data;
    if (!d.written) {
      setProblems(d.errors.map((e) => e.message));
      toast.show({ kind: "ics-import", tone: "error", message: t("calendar.icsRefused", { count: d.refused }) });
      return;
    }
    setProblems([]);
    toast.show({ kind: "ics-import", message: t("calendar.icsImported", { created: d.created, updated: d.updated }) });
    calendarChanged();
  };
  const exportIcs = async (shown: boolean) => {
    const r = await call(shown ? commands.exportIcs(range[0], range[1], userZone()) : commands.exportIcs(null, null, null));
    toast.show(
      r.status === "ok"
        ? { kind: "ics-export", message: t("calendar.icsExported", { count: r.data.count, path: r.data.path }) }
        : { kind: "ics-export", tone: "error", message: r.error.message },
    );
  };
  return (
    <>
      <input
        ref={input}
        type="file"
        accept=".ics,text/calendar"
        hidden
        data-testid="ics-file"
        onChange={(e) => {
          const file = e.target.files?.[0];
          e.target.value = "";
          if (file) void pick(file);
        }}
      />
      <button type="button" className="btn" data-testid="ics-import" onClick={() => input.current?.click()}>
        {t("calendar.icsImport")}
      </button>
      <button type="button" className="btn" data-testid="ics-export" title={t("calendar.icsExportAllHint")} onClick={() => void exportIcs(false)}>
        {t("calendar.icsExport")}
      </button>
      <button type="button" className="btn" data-testid="ics-export-view" title={t("calendar.icsExportViewHint", { from: range[0], to: addDays(range[1], -1) })} onClick={() => void exportIcs(true)}>
        {t("calendar.icsExportView")}
      </button>
      {problems.length > 0 && (
        <div className="banner" role="alert" data-testid="ics-problems">
          <ul>
            {problems.slice(0, 20).map((p, i) => (
              <li key={i}>{p}</li>
            ))}
          </ul>
        </div>
      )}
    </>
  );
}
