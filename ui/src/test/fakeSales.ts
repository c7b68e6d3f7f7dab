/**
 * The sales part of the fake backend (see fakeBackend.ts): settings, a small catalogue, deals on
 * the board, quotes priced with exact integer arithmetic (BigInt minor units: the fake, like the
 * core, never adds money in floats), contracts. Enough to drive the screens, not a copy of the core.
 */
import type { BoardColumn, Contract, ContractInput, DealCard, DealFilter, DealView, FieldError, Forecast, Opportunity, OpportunityInput, Product, ProductInput, Quote, QuoteInput, QuoteLineInput, QuoteSummary, QuoteTotals, ReadLines, SalesSettings } from "../bindings";

const SCALE = 10000n; // four decimals while computing

function parse(s: string): bigint | null {
  const m = /^\s*(-?)(\d+)(?:\.(\d{1,4}))?\s*$/.exec(s);
  if (!m) return null;
  const v = BigInt(m[2] ?? "0") * SCALE + BigInt((m[3] ?? "").padEnd(4, "0"));
  return m[1] ? -v : v;
}
/** Rounds a 4-decimal fixed value half up to 2 decimals and prints it. */
function fmt(v: bigint): string {
  const neg = v < 0n;
  const a = neg ? -v : v;
  const cents = (a + 50n) / 100n;
  return `${neg ? "-" : ""}${cents / 100n}.${String(cents % 100n).padStart(2, "0")}`;
}
const mul = (a: bigint, b: bigint) => (a * b) / SCALE;
const pct = (a: bigint, p: bigint) => (a * p) / (100n * SCALE);

export class FakeSales {
  settings: SalesSettings = {
    stages: [
      { id: "lead", nameEn: "Lead", nameZh: "线索", probability: 10 },
      { id: "proposal", nameEn: "Proposal", nameZh: "方案", probability: 50 },
      { id: "won", nameEn: "Won", nameZh: "赢单", probability: 100 },
      { id: "lost", nameEn: "Lost", nameZh: "丢单", probability: 0 },
    ],
    lostReasons: ["Price", "Competitor"],
    company: { name: "Satchel Test Co.", lines: ["1 Test Road"], logo: "" },
    numbering: { quotePrefix: "Q", contractPrefix: "C", year: true, width: 4 },
    homeCurrency: "CNY",
    rates: [{ currency: "USD", rate: "7.1", date: "2025-03-01" }],
    validityDays: 30,
    expiryNoticeDays: 3,
    quoteTerms: "Payment within 30 days.",
    contractTerms: "",
  };
  products: Product[] = [
    { id: "p-1", code: "TEA-01", nameEn: "Green tea", nameZh: "绿茶", unit: "kg", taxPercent: "13", active: true, notes: "", prices: [{ currency: "CNY", price: "120.00" }, { currency: "USD", price: "17.00" }] },
    { id: "p-2", code: "SVC-01", nameEn: "Installation", nameZh: "安装服务", unit: "h", taxPercent: "6", active: true, notes: "", prices: [{ currency: "CNY", price: "300.00" }] },
  ];
  deals: Opportunity[] = [
    this.deal("d-1", "Oolong for Huatong", "lead", "12800.00"),
    this.deal("d-2", "Office install", "proposal", "3000.00"),
  ];
  quotes: Quote[] = [];
  contracts: Contract[] = [];
  views: DealView[] = [];
  private seq = 0;

  private deal(id: string, title: string, stage: string, amount: string): Opportunity {
    return { id, title, customerId: null, customerName: "", owner: "Tester", visibility: "team", stage, amount, currency: "CNY", probability: "", effectiveProbability: 0, expectedClose: "2025-04-30", lostReason: "", closedOn: "", competitors: [], notes: "", custom: [] };
  }
  private id(prefix: string) {
    return `${prefix}-${++this.seq}`;
  }
  private card(o: Opportunity): DealCard {
    const p = o.probability ? Number(o.probability) : (this.settings.stages.find((s) => s.id === o.stage)?.probability ?? 0);
    return { id: o.id, title: o.title, customerName: o.customerName, owner: o.owner, amount: o.amount, currency: o.currency, probability: p, expectedClose: o.expectedClose };
  }
  private matches(o: Opportunity, f: DealFilter) {
    const q = (f.query ?? "").toLowerCase();
    return (!q || o.title.toLowerCase().includes(q) || o.customerName.toLowerCase().includes(q)) && (!f.stages?.length || f.stages.includes(o.stage)) && (!f.customerId || o.customerId === f.customerId) && (!f.owners?.length || f.owners.includes(o.owner));
  }

  /** Answers a sales command, or `undefined` when `command` is not one. `fail` throws the core's refusal. */
  handle(command: string, args: Record<string, unknown>, h: { fail: (reason: string) => never; invalid: (problems: FieldError[]) => never; field: (field: string, reason: string, params?: Record<string, string>) => FieldError; customerName: (id: string | null) => string }): unknown {
    switch (command) {
      case "sales_settings":
        return this.settings;
      case "save_sales_settings":
        this.settings = args.settings as SalesSettings;
        return this.settings;
      case "list_products": {
        const q = String(args.query ?? "").toLowerCase();
        return this.products.filter((p) => (args.includeInactive || p.active) && (!q || `${p.code} ${p.nameEn} ${p.nameZh}`.toLowerCase().includes(q)));
      }
      case "create_product":
      case "update_product": {
        const input = args.input as ProductInput;
        const problems: FieldError[] = [];
        if (!input.code.trim()) problems.push(h.field("code", "invalid.required"));
        input.prices.forEach((p, i) => parse(p.price) === null && problems.push(h.field(`prices.${i}.price`, "invalid.number")));
        if (problems.length) h.invalid(problems);
        const id = (args.id as string | undefined) ?? this.id("p");
        const product = { ...input, id };
        this.products = [...this.products.filter((p) => p.id !== id), product];
        return product;
      }
      case "delete_product":
        this.products = this.products.filter((p) => p.id !== args.id);
        return null;
      case "export_products":
        return { path: "/home/test/Downloads/satchel-products.csv", count: this.products.length };
      case "sales_board": {
        const f = args.filter as DealFilter;
        return this.settings.stages.map((stage): BoardColumn => {
          const deals = this.deals.filter((d) => d.stage === stage.id && this.matches(d, f));
          const sums = new Map<string, bigint>();
          for (const d of deals) sums.set(d.currency, (sums.get(d.currency) ?? 0n) + (parse(d.amount) ?? 0n));
          return { stage, count: deals.length, sums: [...sums].map(([currency, v]) => ({ currency, amount: fmt(v) })), cards: deals.map((d) => this.card(d)) };
        });
      }
      case "list_deals":
        return this.deals.filter((d) => this.matches(d, args.filter as DealFilter)).map((d) => this.card(d));
      case "sales_forecast":
        return { homeCurrency: this.settings.homeCurrency, rows: [], months: [], missingRates: [] } satisfies Forecast;
      case "deal_views":
        return this.views;
      case "save_deal_view": {
        if (!String(args.name).trim()) h.invalid([h.field("name", "invalid.required")]);
        const view = { id: this.id("v"), name: String(args.name), filter: args.filter as DealFilter };
        this.views.push(view);
        return view;
      }
      case "delete_deal_view":
        this.views = this.views.filter((v) => v.id !== args.id);
        return null;
      case "get_opportunity":
        return this.deals.find((d) => d.id === args.id) ?? h.fail("error.notFound");
      case "create_opportunity":
      case "update_opportunity": {
        const input = args.input as OpportunityInput;
        const problems: FieldError[] = [];
        if (!input.title.trim()) problems.push(h.field("title", "invalid.required"));
        if (input.amount && parse(input.amount) === null) problems.push(h.field("amount", "invalid.number"));
        if (input.stage === "lost" && !input.lostReason) problems.push(h.field("lostReason", "invalid.required"));
        if (problems.length) h.invalid(problems);
        const id = (args.id as string | undefined) ?? this.id("d");
        const deal: Opportunity = { ...this.deal(id, input.title, input.stage || "lead", input.amount), ...input, stage: input.stage || "lead", id, customerName: h.customerName(input.customerId), effectiveProbability: 0, closedOn: "" };
        this.deals = [...this.deals.filter((d) => d.id !== id), deal];
        return deal;
      }
      case "move_opportunity": {
        const deal = this.deals.find((d) => d.id === args.id) ?? h.fail("error.notFound");
        if (args.stage === "lost" && !args.lostReason) h.invalid([h.field("lostReason", "invalid.required")]);
        deal.stage = String(args.stage);
        deal.lostReason = String(args.lostReason ?? "");
        return deal;
      }
      case "delete_opportunity":
        this.deals = this.deals.filter((d) => d.id !== args.id);
        return null;
      case "preview_quote":
        return this.totals(args.input as QuoteInput, h);
      case "create_quote":
      case "update_quote": {
        const input = args.input as QuoteInput;
        const totals = this.totals(input, h);
        const existing = this.quotes.find((q) => q.id === args.id);
        const id = existing?.id ?? this.id("q");
        const number = existing?.number ?? `Q-2025-${String(this.quotes.length + 1).padStart(4, "0")}`;
        const quote: Quote = {
          id, number, version: 1, versionLabel: "1", customerId: input.customerId, customerName: h.customerName(input.customerId), contactId: null, contactName: "", opportunityId: input.opportunityId, owner: "Tester", visibility: "team",
          currency: totals.currency, issuedOn: input.issuedOn || "2025-03-01", validUntil: input.validUntil || "2025-03-31", discountPercent: input.discountPercent, notes: input.notes, terms: input.terms, status: "draft", sentOn: "", decidedOn: "",
          lines: input.lines.map((l, i) => ({ ...l, id: `${id}-l${i}`, net: totals.lines[i]?.net ?? "", tax: totals.lines[i]?.tax ?? "" })),
          subtotal: totals.subtotal, discount: totals.discount, tax: totals.tax, total: totals.total, taxes: totals.taxes, versions: [{ id, version: 1, label: "1", status: "draft" }], custom: input.custom ?? [],
        };
        this.quotes = [...this.quotes.filter((q) => q.id !== id), quote];
        return quote;
      }
      case "get_quote":
        return this.quotes.find((q) => q.id === args.id) ?? h.fail("error.notFound");
      case "list_quotes":
        return this.quotes.filter((q) => !args.customerId || q.customerId === args.customerId).map((q): QuoteSummary => ({ id: q.id, number: q.number, version: q.version, customerId: q.customerId, customerName: q.customerName, opportunityId: q.opportunityId, currency: q.currency, issuedOn: q.issuedOn, validUntil: q.validUntil, status: q.status, total: q.total }));
      case "quote_action": {
        const q = this.quotes.find((x) => x.id === args.id) ?? h.fail("error.notFound");
        q.status = ({ send: "sent", accept: "accepted", reject: "rejected", revise: q.status } as const)[args.action as "send"];
        return q;
      }
      case "delete_quote":
        this.quotes = this.quotes.filter((q) => q.id !== args.id);
        return null;
      case "read_quote_lines":
        return this.readLines(String(args.text));
      case "contract_from_quote": {
        const q = this.quotes.find((x) => x.id === args.quoteId) ?? h.fail("error.notFound");
        const c: Contract = { id: this.id("c"), number: `C-2025-${String(this.contracts.length + 1).padStart(4, "0")}`, title: `Contract from ${q.number}`, customerId: q.customerId, customerName: q.customerName, contactId: null, contactName: "", quoteId: q.id, quoteNumber: q.number, owner: "Tester", visibility: "team", value: q.total, currency: q.currency, startsOn: "2025-03-01", endsOn: "2026-02-28", terms: "", status: "draft", signedOn: "", noticeDays: 30, instalments: [], custom: [] };
        this.contracts.push(c);
        return c;
      }
      case "get_contract": {
        // Copies, as the real command's answers are: a window holding an earlier answer re-renders.
        const c = this.contracts.find((x) => x.id === args.id) ?? h.fail("error.notFound");
        return { ...c, instalments: c.instalments.map((i) => ({ ...i })) };
      }
      case "list_contracts":
        return this.contracts.filter((c) => !args.customerId || c.customerId === args.customerId).map((c) => ({ id: c.id, number: c.number, title: c.title, customerName: c.customerName, value: c.value, currency: c.currency, startsOn: c.startsOn, endsOn: c.endsOn, status: c.status }));
      case "set_contract_status": {
        const c = this.contracts.find((x) => x.id === args.id) ?? h.fail("error.notFound");
        c.status = args.status as Contract["status"];
        return c;
      }
      case "sales_search": {
        const q = String(args.text).toLowerCase();
        return this.deals.filter((d) => d.title.toLowerCase().includes(q)).map((d) => ({ kind: "deal", id: d.id, title: d.title, subtitle: d.customerName }));
      }
      case "set_instalment_paid": {
        const c = this.contracts.find((x) => x.instalments.some((i) => i.id === args.id)) ?? h.fail("error.notFound");
        c.instalments = c.instalments.map((i) => (i.id === args.id ? { ...i, paidOn: args.paid ? "2025-03-15" : "" } : i));
        return { ...c, instalments: c.instalments.map((i) => ({ ...i })) };
      }
      case "update_contract": {
        const c = this.contracts.find((x) => x.id === args.id) ?? h.fail("error.notFound");
        const input = args.input as ContractInput;
        // As the core: a schedule must add up to the value (compared in cents, as strings).
        const cents = (s: string) => { const [i, f = ""] = s.trim().split("."); return Number(i) * 100 + Number((f + "00").slice(0, 2)); };
        const sum = input.instalments.reduce((a, x) => a + cents(x.amount), 0);
        if (input.instalments.length > 0 && sum !== cents(input.value)) {
          h.invalid([h.field("instalments", "invalid.scheduleSum", { sum: (sum / 100).toFixed(2), value: input.value })]);
        }
        Object.assign(c, { title: input.title, value: input.value, startsOn: input.startsOn, endsOn: input.endsOn, terms: input.terms, noticeDays: input.noticeDays, custom: input.custom ?? [] });
        c.instalments = input.instalments.map((x, i) => ({ id: `${c.id}-i${i}`, label: x.label, dueOn: x.dueOn, amount: x.amount, paidOn: "", taskId: null }));
        return { ...c, instalments: c.instalments.map((i) => ({ ...i })) };
      }
      case "convert_lead":
        return { companyId: null, personId: null, opportunity: this.handle("create_opportunity", { input: (args.conversion as { opportunity: OpportunityInput }).opportunity }, h) };
      case "save_document_pdf":
        return { path: `/home/test/Downloads/${String(args.kind)}-${String(args.id)}.pdf`, count: 1 };
      case "open_document_pdf":
        return null;
      default:
        return undefined;
    }
  }

  /** The raw-body commands (their body is the bytes). */
  handleRaw(command: string, bytes: Uint8Array, h: { invalid: (problems: FieldError[]) => never; field: (field: string, reason: string) => FieldError }): unknown {
    switch (command) {
      case "set_logo": {
        const png = bytes[0] === 0x89 && bytes[1] === 0x50;
        const jpeg = bytes[0] === 0xff && bytes[1] === 0xd8;
        if (!png && !jpeg) h.invalid([h.field("logo", "invalid.notAnImage")]);
        this.settings = { ...this.settings, company: { ...this.settings.company, logo: "iVBORw0KGgo=" } };
        return this.settings;
      }
      case "import_products":
        return { created: 0, updated: 0, errors: [] };
      case "read_quote_lines_file":
        return this.readLines(new TextDecoder().decode(bytes));
      case "document_pdf":
        return new TextEncoder().encode("%PDF-1.4 fake").buffer;
      default:
        return undefined;
    }
  }

  /** Tab- or comma-separated rows: description, quantity, unit, unit price[, discount %, tax %]; a header row is skipped. */
  private readLines(text: string): ReadLines {
    const lines: QuoteLineInput[] = [];
    const errors: ReadLines["errors"] = [];
    text.split(/\r?\n/).forEach((row, i) => {
      if (!row.trim()) return;
      const cells = row.split(row.includes("\t") ? "\t" : ",").map((c) => c.trim());
      if (i === 0 && /description|描述/i.test(cells[0] ?? "")) return;
      const [description = "", quantity = "", unit = "", unitPrice = "", discountPercent = "", taxPercent = ""] = cells;
      if (parse(quantity) === null) errors.push({ row: i + 1, column: "quantity", message: `Quantity: is not a number (like 1234.5)` });
      if (parse(unitPrice) === null) errors.push({ row: i + 1, column: "unit price", message: `Unit price: is not a number (like 1234.5)` });
      lines.push({ productId: null, description, quantity, unit, unitPrice, discountPercent, taxPercent });
    });
    return errors.length ? { lines: [], errors } : { lines, errors };
  }

  private totals(input: QuoteInput, h: { invalid: (problems: FieldError[]) => never; field: (field: string, reason: string, params?: Record<string, string>) => FieldError }): QuoteTotals {
    const problems: FieldError[] = [];
    const currency = input.currency || this.settings.homeCurrency;
    if (!/^[A-Z]{3}$/.test(currency)) problems.push(h.field("currency", "invalid.currency", { value: currency }));
    if (input.lines.length === 0) problems.push(h.field("lines", "invalid.noLines"));
    const num = (v: string, field: string, empty: bigint | null = null) => {
      if (v.trim() === "" && empty !== null) return empty;
      const n = parse(v);
      if (n === null) problems.push(h.field(field, "invalid.number"));
      return n ?? 0n;
    };
    const lines = input.lines.map((l, i) => {
      if (!l.description.trim()) problems.push(h.field(`lines.${i}.description`, "invalid.required"));
      const q = num(l.quantity, `lines.${i}.quantity`);
      const p = num(l.unitPrice, `lines.${i}.unitPrice`);
      const d = num(l.discountPercent, `lines.${i}.discountPercent`, 0n);
      const t = num(l.taxPercent, `lines.${i}.taxPercent`, 0n);
      const gross = mul(q, p);
      const net = gross - pct(gross, d);
      return { net, t };
    });
    const qd = num(input.discountPercent, "discountPercent", 0n);
    if (problems.length) h.invalid(problems);
    const subtotal = lines.reduce((a, l) => a + l.net, 0n);
    const discount = pct(subtotal, qd);
    const bands = new Map<string, bigint>();
    for (const l of lines) {
      const netAfter = l.net - pct(l.net, qd);
      const key = fmt(l.t).replace(/\.00$/, "");
      bands.set(key, (bands.get(key) ?? 0n) + pct(netAfter, l.t));
    }
    const tax = [...bands.values()].reduce((a, b) => a + b, 0n);
    return {
      currency,
      lines: lines.map((l) => ({ net: fmt(l.net), tax: fmt(pct(l.net, l.t)) })),
      subtotal: fmt(subtotal),
      discount: fmt(discount),
      tax: fmt(tax),
      total: fmt(subtotal - discount + tax),
      taxes: [...bands].filter(([, v]) => v !== 0n).map(([percent, v]) => ({ percent, tax: fmt(v) })),
    };
  }
}

