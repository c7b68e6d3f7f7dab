/**
 * The service part of the fake backend (see fakeBackend.ts): the team's hours, holidays, SLA
 * targets and escalation rules; tickets with the core's workflow table, comments and saved
 * queues; knowledge-base articles. SLA due times are not computed here (the core's business-time
 * arithmetic is tested in Rust): tests set a ticket's `due` and `badge` directly. Enough to drive
 * the screens, not a copy of the core.
 */
import type { Article, ArticleHit, ArticleInput, EscalationRules, FieldError, QueueFilter, QueueItem, ServiceSettings, Ticket, TicketComment, TicketInput, TicketPriority, TicketStatus, TicketView } from "../bindings";

type Help = { fail: (reason: string) => never; invalid: (problems: FieldError[]) => never; field: (field: string, reason: string, params?: Record<string, string>) => FieldError; customerName: (id: string | null) => string };

/** The core's workflow (crates/core/src/service/workflow.rs). */
export const NEXT: Record<TicketStatus, TicketStatus[]> = {
  new: ["assigned", "in_progress", "waiting", "resolved"],
  assigned: ["in_progress", "waiting", "resolved"],
  in_progress: ["assigned", "waiting", "resolved"],
  waiting: ["in_progress", "resolved"],
  resolved: ["closed", "in_progress"],
  closed: ["in_progress"],
};
const PRIORITIES: TicketPriority[] = ["urgent", "high", "normal", "low"];
const CHANNELS = ["phone", "email", "visit", "chat", "other"];
const RANK: Record<TicketPriority, number> = { urgent: 0, high: 1, normal: 2, low: 3 };

/** `30m`, `4h`, `1h30m` in minutes, or null. */
function minutes(text: string): number | null {
  const m = /^\s*(?:(\d+)h)?\s*(?:(\d+)m)?\s*$/.exec(text);
  if (!m || (!m[1] && !m[2])) return null;
  const total = Number(m[1] ?? 0) * 60 + Number(m[2] ?? 0);
  return total > 0 ? total : null;
}

export class FakeService {
  me = "Tester";
  settings: ServiceSettings = {
    hours: { days: ["mon", "tue", "wed", "thu", "fri"], open: "09:00", close: "18:00", tz: "Asia/Shanghai" },
    sla: [
      ["urgent", { firstResponseMinutes: 60, resolutionMinutes: 480 }],
      ["high", { firstResponseMinutes: 240, resolutionMinutes: 1440 }],
      ["normal", { firstResponseMinutes: 480, resolutionMinutes: 2400 }],
      ["low", { firstResponseMinutes: 1440, resolutionMinutes: 4800 }],
    ],
    days: [],
    escalation: { manager: "", managerAfterMinutes: 60, raisePriority: false, reassignTo: "" },
  };
  tickets: Ticket[] = [];
  /** Each ticket's queue badge and due time (tests set them; new tickets are "running"). */
  badges = new Map<string, { badge: string; due: string | null; minutesLeft: number | null }>();
  comments = new Map<string, TicketComment[]>();
  links = new Map<string, string[]>();
  articles: Article[] = [];
  views: TicketView[] = [];
  private seq = 0;

  private id(prefix: string) {
    return `${prefix}-${++this.seq}`;
  }

  private item(t: Ticket): QueueItem {
    const done = t.status === "resolved" || t.status === "closed";
    const b = this.badges.get(t.id) ?? { badge: done ? "none" : "running", due: done ? null : t.firstResponseDue, minutesLeft: done ? null : 480 };
    return { id: t.id, number: t.number, customerName: t.customerName, subject: t.subject, status: t.status, priority: t.priority, assignee: t.assignee, openedAt: t.openedAt, due: b.due, badge: b.badge, minutesLeft: b.minutesLeft };
  }

  private ticket(id: unknown, h: Help): Ticket {
    const t = this.tickets.find((x) => x.id === id);
    return t ?? h.fail("not_found");
  }

  private check(input: TicketInput, h: Help) {
    const problems: FieldError[] = [];
    if (!input.subject.trim()) problems.push(h.field("subject", "invalid.required"));
    if (!PRIORITIES.includes(input.priority as TicketPriority)) problems.push(h.field("priority", "invalid.oneOf", { value: input.priority, allowed: PRIORITIES.join(", ") }));
    if (input.channel && !CHANNELS.includes(input.channel)) problems.push(h.field("channel", "invalid.oneOf", { value: input.channel, allowed: CHANNELS.join(", ") }));
    if (!input.customerId) problems.push(h.field("customerId", "invalid.required"));
    if (problems.length) h.invalid(problems);
  }

  private move(t: Ticket, to: TicketStatus, h: Help, rating: number | null = null, comment = "") {
    if (!NEXT[t.status].includes(to)) h.invalid([h.field("status", "invalid.move", { ticket: t.number, from: t.status, to, allowed: NEXT[t.status].join(", ") })]);
    if (rating !== null && (rating < 1 || rating > 5)) h.invalid([h.field("rating", "invalid.outOfRange", { min: "1", max: "5" })]);
    if (rating !== null && t.rating !== null) h.invalid([h.field("rating", "invalid.duplicate")]);
    return { ...t, status: to, next: NEXT[to], rating: to === "closed" && rating !== null ? rating : t.rating, ratingComment: to === "closed" && rating !== null ? comment : t.ratingComment };
  }

  private put(t: Ticket) {
    this.tickets = this.tickets.map((x) => (x.id === t.id ? t : x));
    return t;
  }

  private hit(a: Article): ArticleHit {
    return { id: a.id, title: a.title, language: a.language };
  }

  /** Answers a service command, or `undefined` when `command` is not one. */
  handle(command: string, args: Record<string, unknown>, h: Help): unknown {
    switch (command) {
      case "service_settings":
        return this.settings;
      case "set_service_hours": {
        const [open, close] = [String(args.open), String(args.close)];
        const problems: FieldError[] = [];
        if (!/^\d\d:\d\d$/.test(open)) problems.push(h.field("open", "invalid.dateTime"));
        if (!/^\d\d:\d\d$/.test(close)) problems.push(h.field("close", "invalid.dateTime"));
        else if (close <= open) problems.push(h.field("close", "invalid.endsBeforeStart"));
        if (problems.length) h.invalid(problems);
        this.settings = { ...this.settings, hours: { days: args.days as string[], open, close, tz: String(args.tz) } };
        return this.settings;
      }
      case "set_service_day": {
        const date = String(args.date);
        if (!/^\d{4}-\d\d-\d\d$/.test(date) || Number.isNaN(Date.parse(`${date}T00:00:00Z`)) || new Date(`${date}T00:00:00Z`).toISOString().slice(0, 10) !== date) h.invalid([h.field("date", "invalid.date")]);
        this.settings = { ...this.settings, days: [...this.settings.days.filter((d) => d.date !== date), { date, working: Boolean(args.working) }].sort((a, b) => (a.date < b.date ? -1 : 1)) };
        return this.settings;
      }
      case "clear_service_day":
        this.settings = { ...this.settings, days: this.settings.days.filter((d) => d.date !== args.date) };
        return this.settings;
      case "set_sla": {
        const priority = String(args.priority) as TicketPriority;
        const [f, r] = [minutes(String(args.firstResponse)), minutes(String(args.resolution))];
        const problems: FieldError[] = [];
        if (f === null) problems.push(h.field("firstResponse", "invalid.duration"));
        if (r === null) problems.push(h.field("resolution", "invalid.duration"));
        if (problems.length) h.invalid(problems);
        this.settings = { ...this.settings, sla: this.settings.sla.map(([p, t]) => (p === priority ? [p, { firstResponseMinutes: f!, resolutionMinutes: r! }] : [p, t])) };
        return this.settings;
      }
      case "set_escalation":
        this.settings = { ...this.settings, escalation: args.rules as EscalationRules };
        return this.settings;
      case "ticket_queue": {
        const f = args.filter as QueueFilter;
        const words = (f.query ?? "").toLowerCase().split(/\s+/).filter(Boolean);
        const items = this.tickets
          .filter((t) => {
            const open = t.status !== "closed";
            const badge = this.item(t).badge;
            const view = f.view ?? "open";
            const inView =
              view === "all" || (open && (view === "open" || (view === "mine" && t.assignee === this.me) || (view === "unassigned" && !t.assignee) || (view === "breached" && badge === "breached") || (view === "breaching_soon" && badge === "soon")));
            return (
              inView &&
              (!f.statuses?.length || f.statuses.includes(t.status)) &&
              (!f.priorities?.length || f.priorities.includes(t.priority)) &&
              (!f.customerId || t.customerId === f.customerId) &&
              (!f.assignee || t.assignee === f.assignee) &&
              words.every((w) => `${t.number} ${t.subject} ${t.customerName}`.toLowerCase().includes(w))
            );
          })
          .map((t) => this.item(t));
        const sort = f.sort ?? "due";
        items.sort((a, b) =>
          sort === "opened" ? (a.openedAt < b.openedAt ? 1 : -1) : sort === "priority" ? RANK[a.priority] - RANK[b.priority] : (a.due ?? "~") < (b.due ?? "~") ? -1 : (a.due ?? "~") > (b.due ?? "~") ? 1 : a.number < b.number ? -1 : 1,
        );
        return items.slice(0, Number(args.limit ?? 200));
      }
      case "get_ticket":
        return this.ticket(args.id, h);
      case "create_ticket": {
        const input = args.input as TicketInput;
        this.check(input, h);
        const n = this.tickets.length + 1;
        const status: TicketStatus = input.assignee ? "assigned" : "new";
        const t: Ticket = {
          id: this.id("t"),
          number: `T-2026-${String(n).padStart(4, "0")}`,
          customerId: input.customerId,
          customerName: h.customerName(input.customerId),
          subject: input.subject.trim(),
          priority: input.priority as TicketPriority,
          status,
          channel: (input.channel || "phone") as Ticket["channel"],
          assignee: input.assignee ?? "",
          openedAt: input.openedAt || "2026-11-30T09:00:00+08:00",
          firstResponseDue: "2026-11-30T17:00:00+08:00",
          resolutionDue: "2026-12-04T17:00:00+08:00",
          firstResponse: { state: "running", minutesLeft: 480 },
          resolution: { state: "running", minutesLeft: 2400 },
          description: input.description,
          category: input.category ?? "",
          contractId: input.contractId ?? null,
          contractNumber: "",
          productId: input.productId ?? null,
          productName: "",
          firstResponseAt: null,
          resolvedAt: null,
          closedAt: null,
          rating: null,
          ratingComment: "",
          next: NEXT[status],
          custom: input.custom ?? [],
        };
        this.tickets = [...this.tickets, t];
        return t;
      }
      case "update_ticket": {
        const input = args.input as TicketInput;
        this.check(input, h);
        const t = this.ticket(args.id, h);
        const status: TicketStatus = t.status === "new" && input.assignee ? "assigned" : t.status;
        return this.put({ ...t, subject: input.subject.trim(), description: input.description, priority: input.priority as TicketPriority, channel: (input.channel || "phone") as Ticket["channel"], category: input.category ?? "", assignee: input.assignee ?? "", customerId: input.customerId, customerName: h.customerName(input.customerId), status, next: NEXT[status], custom: input.custom ?? [] });
      }
      case "move_ticket":
        return this.put(this.move(this.ticket(args.id, h), args.to as TicketStatus, h, (args.rating as number | null) ?? null, String(args.comment ?? "")));
      case "move_tickets": {
        const moved = (args.ids as string[]).map((id) => this.move(this.ticket(id, h), args.to as TicketStatus, h));
        moved.forEach((t) => this.put(t));
        return moved.length;
      }
      case "assign_tickets": {
        const ids = args.ids as string[];
        for (const id of ids) {
          const t = this.ticket(id, h);
          const assignee = String(args.assignee).trim();
          const status: TicketStatus = t.status === "new" && assignee ? "assigned" : t.status;
          this.put({ ...t, assignee, status, next: NEXT[status] });
        }
        return ids.length;
      }
      case "ticket_comments":
        return this.comments.get(String(args.id)) ?? [];
      case "add_ticket_comment": {
        const t = this.ticket(args.id, h);
        const body = String(args.body).trim();
        if (!body) h.invalid([h.field("body", "invalid.required")]);
        const list = [...(this.comments.get(t.id) ?? []), { id: this.id("c"), body, internal: Boolean(args.internal), author: this.me, createdAt: "2026-11-30T10:00:00+08:00" }];
        this.comments.set(t.id, list);
        if (!args.internal && !t.firstResponseAt) this.put({ ...t, firstResponseAt: "2026-11-30T10:00:00+08:00", firstResponse: { state: "met" } });
        return list;
      }
      case "ticket_assignees":
        return [...new Set([this.me, ...this.tickets.map((t) => t.assignee).filter(Boolean)])].sort();
      case "ticket_views":
        return this.views;
      case "save_ticket_view": {
        const name = String(args.name).trim();
        if (!name) h.invalid([h.field("name", "invalid.required")]);
        const v: TicketView = { id: this.id("v"), name, filter: args.filter as QueueFilter };
        this.views = [...this.views, v];
        return v;
      }
      case "delete_ticket_view":
        this.views = this.views.filter((v) => v.id !== args.id);
        return null;
      case "search_articles":
      case "suggest_articles": {
        const text = String(args.query ?? args.subject ?? "").toLowerCase();
        const words = command === "search_articles" ? text.split(/\s+/).filter(Boolean) : [];
        const found = this.articles.filter((a) => {
          const hay = `${a.title} ${a.tags.join(" ")} ${a.problem} ${a.solution}`.toLowerCase();
          if (command === "search_articles") return words.every((w) => hay.includes(w));
          // Suggestions: any two characters of the subject in a row appear in the title or tags.
          const chars = [...text.replace(/\s+/g, "")];
          return chars.some((c, i) => i + 1 < chars.length && `${a.title} ${a.tags.join(" ")}`.toLowerCase().includes(c + chars[i + 1]));
        });
        return found.slice(0, Number(args.limit ?? 20)).map((a) => this.hit(a));
      }
      case "get_article":
        return this.articles.find((a) => a.id === args.id) ?? h.fail("not_found");
      case "create_article":
      case "update_article": {
        const input = args.input as ArticleInput;
        const problems: FieldError[] = [];
        if (!input.title.trim()) problems.push(h.field("title", "invalid.required"));
        if (!input.solution.trim()) problems.push(h.field("solution", "invalid.required"));
        if (problems.length) h.invalid(problems);
        const id = (args.id as string | undefined) ?? this.id("a");
        const old = this.articles.find((a) => a.id === id);
        const a: Article = { id, title: input.title.trim(), problem: input.problem.trim(), solution: input.solution.trim(), tags: input.tags, language: input.language, sourceTicketId: old?.sourceTicketId ?? null, productId: input.productId ?? null };
        this.articles = [...this.articles.filter((x) => x.id !== id), a];
        return a;
      }
      case "link_article": {
        const list = [...new Set([...(this.links.get(String(args.ticket)) ?? []), String(args.article)])];
        this.links.set(String(args.ticket), list);
        return this.articles.filter((a) => list.includes(a.id));
      }
      case "ticket_articles":
        return this.articles.filter((a) => (this.links.get(String(args.ticket)) ?? []).includes(a.id));
      case "article_from_ticket": {
        const t = this.ticket(args.ticket, h);
        if (t.status !== "resolved" && t.status !== "closed") h.invalid([h.field("status", "invalid.oneOf", { value: t.status, allowed: "resolved, closed" })]);
        if (!String(args.solution).trim()) h.invalid([h.field("solution", "invalid.required")]);
        const a: Article = { id: this.id("a"), title: t.subject, problem: t.description, solution: String(args.solution).trim(), tags: [], language: "", sourceTicketId: t.id, productId: t.productId };
        this.articles = [...this.articles, a];
        this.links.set(t.id, [...(this.links.get(t.id) ?? []), a.id]);
        return a;
      }
      default:
        return undefined;
    }
  }

  /** The raw-body command: an .ics holiday calendar (all-day VEVENTs' DTSTART dates). */
  handleRaw(command: string, bytes: Uint8Array, h: Help): unknown {
    if (command !== "import_holidays") return undefined;
    const text = new TextDecoder().decode(bytes);
    if (!text.includes("BEGIN:VCALENDAR")) h.fail("not an iCalendar file");
    let holidays = 0;
    let workingDays = 0;
    for (const block of text.split("BEGIN:VEVENT").slice(1)) {
      const date = /DTSTART;VALUE=DATE:(\d{4})(\d\d)(\d\d)/.exec(block);
      if (!date) continue;
      const working = /SUMMARY:.*(班|working day)/i.test(block);
      const iso = `${date[1]}-${date[2]}-${date[3]}`;
      this.settings = { ...this.settings, days: [...this.settings.days.filter((d) => d.date !== iso), { date: iso, working }] };
      if (working) workingDays++;
      else holidays++;
    }
    return { holidays, workingDays };
  }
}
