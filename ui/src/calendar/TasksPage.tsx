/** Tasks: overdue, today, upcoming, no due date, and done; add one inline, tick it done. */
import { useCallback, useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { commands, type Priority, type Task, type TaskList } from "../bindings";
import { call } from "../lib/result";
import { useToast } from "../lib/toast";
import { onCalendarChanged, addQuickTask, toggleTask } from "./api";
import { ReminderList } from "./reminders";
import { dayOf } from "./time";

const LISTS: TaskList[] = ["overdue", "today", "upcoming", "someday", "done"];

export function useTaskLists(lists: TaskList[]) {
  const [data, setData] = useState<Partial<Record<TaskList, Task[]>>>({});
  const key = lists.join(",");
  const load = useCallback(() => {
    const today = dayOf(new Date());
    for (const l of key.split(",") as TaskList[]) {
      void call(commands.listTasks(l, today, [])).then((r) => r.status === "ok" && setData((d) => ({ ...d, [l]: r.data })));
    }
  }, [key]);
  useEffect(() => {
    load();
    return onCalendarChanged(load);
  }, [load]);
  return data;
}

export function TasksPage() {
  const { t } = useTranslation();
  const toast = useToast();
  const lists = useTaskLists(LISTS);
  const [title, setTitle] = useState("");
  const [due, setDue] = useState(dayOf(new Date()));
  const [dueTime, setDueTime] = useState("");
  const [priority, setPriority] = useState<Priority>("normal");
  const [error, setError] = useState<{ field: string; message: string } | null>(null);

  const add = async () => {
    const refused = await addQuickTask({ title, dueDate: due, dueTime, priority });
    if (refused) return setError({ field: refused.field ?? "form", message: refused.message });
    setError(null);
    setTitle("");
  };

  const toggle = async (task: Task) => {
    const refused = await toggleTask(task);
    if (refused) toast.show({ message: refused.message, tone: "error" });
  };

  return (
    <div className="page tasks-page" data-testid="tasks-page">
      <div className="page-header">
        <h1 className="page-title">{t("tasks.title")}</h1>
      </div>
      <div className="page-body">
      <ReminderList />
      <form
        className="task-add"
        noValidate
        data-testid="task-add"
        onSubmit={(e) => {
          e.preventDefault();
          void add();
        }}
      >
        <input className="input field-grow" data-testid="task-title" placeholder={t("tasks.placeholder")} value={title} aria-invalid={error?.field === "title" || undefined} onChange={(e) => setTitle(e.target.value)} />
        <label className="field-check">
          {t("tasks.due")}
          <input className="input" type="date" data-testid="task-due" value={due} onChange={(e) => setDue(e.target.value)} />
        </label>
        <label className="field-check">
          {t("tasks.dueTime")}
          <input className="input" type="time" data-testid="task-due-time" value={dueTime} onChange={(e) => setDueTime(e.target.value)} />
        </label>
        <select className="select" data-testid="task-priority" value={priority} onChange={(e) => setPriority(e.target.value as Priority)} aria-label={t("tasks.priority")}>
          {(["low", "normal", "high"] as const).map((p) => (
            <option key={p} value={p}>
              {t(`priority.${p}`)}
            </option>
          ))}
        </select>
        <button type="submit" className="btn btn-primary" data-testid="task-add-button">
          {t("tasks.add")}
        </button>
      </form>
      {error && (
        <div className="field-error" role="alert" data-error-for={error.field}>
          {error.message}
        </div>
      )}
      <div className="task-lists">
        {LISTS.map((l) => (
          <section key={l} className="task-list" data-testid={`tasks-${l}`}>
            <h2 className="section-title">
              {t(`tasks.${l}`)} <span className="muted">{lists[l]?.length ?? 0}</span>
            </h2>
            {(lists[l] ?? []).length === 0 ? (
              <p className="muted">{t("tasks.empty")}</p>
            ) : (
              <ul>
                {(lists[l] ?? []).map((task) => (
                  <li key={task.id} className={`task-row priority-${task.priority}`} data-testid="task-row" data-id={task.id}>
                    <input type="checkbox" aria-label={task.doneAt ? t("tasks.markOpen") : t("tasks.markDone")} checked={task.doneAt !== null} onChange={() => void toggle(task)} data-testid="task-done" />
                    <span className="task-title">{task.title}</span>
                    <span className="muted">
                      {task.dueDate} {task.dueTime}
                    </span>
                    {task.priority !== "normal" && <span className={`pill priority-pill-${task.priority}`}>{t(`priority.${task.priority}`)}</span>}
                  </li>
                ))}
              </ul>
            )}
          </section>
        ))}
      </div>
      </div>
    </div>
  );
}
