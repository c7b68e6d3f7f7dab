/**
 * The calendar module as the shell sees it: the calendar (month, week, day, agenda, team), events
 * and series, tasks, and the today panel in the sidebar. Registered in src/app/modules.ts.
 */
import { lazy, Suspense } from "react";
import { calendarSearch } from "./search";
import type { CustomerId, EventId, OpportunityId, RecordsChanged } from "../bindings";
import type { UiModule } from "../shell/module";
import { calendarChanged } from "./api";
import type { CalendarView } from "./CalendarPage";
import { CustomerCalendarPanel } from "./CustomerPanel";
import { EventFormPage } from "./EventFormPage";
import en from "./i18n/en.json";
import zhCN from "./i18n/zh-CN.json";
import { RemindersProvider, RemindersSection } from "./reminders";
import { TasksPage } from "./TasksPage";
import { TodayPanel } from "./TodayPanel";
import "./calendar.css";

/**
 * The calendar's grid (FullCalendar, a quarter of the app's script) is fetched when the calendar
 * is first opened, not evaluated at every start before the customer list can show: the window
 * starts on the list (docs/benchmarks.md, "Fourth pass").
 */
const CalendarPage = lazy(() => import("./CalendarPage").then((m) => ({ default: m.CalendarPage })));

declare module "../lib/router" {
  interface Routes {
    /** The calendar, in a view, around a day (`YYYY-MM-DD`). */
    calendar: { view?: CalendarView; date?: string };
    /** An event; `occurrence` names one occurrence of a series, shown at `shownStart`-`shownEnd` (RFC 3339). */
    event: { id: EventId; occurrence?: string; shownStart?: string; shownEnd?: string };
    /** A new event, with times picked on the calendar (wall times, or dates all day). */
    "event-new": { start?: string; end?: string; allDay?: boolean; owner?: string; customer?: CustomerId; deal?: OpportunityId };
    tasks: {};
  }
}

function onRecordsChanged(changed: RecordsChanged): void {
  if (changed.modules.includes("calendar")) calendarChanged();
}

export const calendarModule: UiModule = {
  id: "calendar",
  nav: [
    {
      id: "calendar",
      label: "nav.calendar",
      icon: "calendar",
      route: { name: "calendar" },
      order: 20,
      isCurrent: (route) => route.name === "calendar" || route.name === "event" || route.name === "event-new",
      children: [{ id: "tasks", label: "nav.tasks", icon: "note", route: { name: "tasks" } }],
      After: TodayPanel,
    },
  ],
  routes: {
    calendar: (route) => (
      <Suspense fallback={null}>
        <CalendarPage view={route.view} date={route.date} />
      </Suspense>
    ),
    event: (route) => <EventFormPage key={`${route.id}|${route.occurrence ?? ""}`} id={route.id} occurrence={route.occurrence} shownStart={route.shownStart} shownEnd={route.shownEnd} />,
    "event-new": (route) => <EventFormPage key={`${route.start}|${route.end}`} start={route.start} end={route.end} allDay={route.allDay} owner={route.owner} customer={route.customer} deal={route.deal} />,
    tasks: () => <TasksPage />,
  },
  useActions: () => [],
  Provider: RemindersProvider,
  SettingsSection: RemindersSection,
  search: calendarSearch,
  translations: { en, "zh-CN": zhCN },
  recordPanels: [{ recordType: "customer", Panel: CustomerCalendarPanel }],
  onRecordsChanged,
};
