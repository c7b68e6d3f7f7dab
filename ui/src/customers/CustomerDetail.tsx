import { useCallback, useEffect, useRef, useState, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { commands, type AppError, type Customer, type CustomerId } from "../bindings";
import { ConfirmDialog } from "../lib/ConfirmDialog";
import { customersChanged, onCustomersChanged } from "../lib/events";
import { formatCalendarDate, formatDateTime } from "../lib/format";
import { Kbd } from "../lib/Kbd";
import { hotkeyLabel, isTypingTarget, SHORTCUTS } from "../lib/keys";
import { call } from "../lib/result";
import { useRouter } from "../lib/router";
import { useToast } from "../lib/toast";
import { useHotkey } from "../lib/useHotkey";
import { Attachments } from "../records/Attachments";
import { RecordPanels } from "../records/RecordPanels";
import { Icon } from "../shell/Icon";
import { useRegisterPageActions, type Action } from "../shell/pageActions";
import { appliesTo, displayValue, fieldLabel, valueOf } from "./customFields";
import { useContactLabels } from "./labels";
import { focusIsLost, useListFocus } from "./listFocus";
import { KindIcon, StagePill } from "./StagePill";
import { Timeline } from "./Timeline";
import { useCustomFields } from "./useCustomFields";

export function CustomerDetail({ id }: { id: CustomerId }) {
  const { t, i18n } = useTranslation();
  const { navigate, back } = useRouter();
  const toast = useToast();
  const listFocus = useListFocus();
  const [customer, setCustomer] = useState<Customer | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  // The timeline's log form; here so that Ctrl+L and the palette can open it.
  const [logging, setLogging] = useState(false);
  // The Delete key's question; what had focus before it, to go back to when it is cancelled.
  const [confirmingDelete, setConfirmingDelete] = useState(false);
  const focusBeforeConfirm = useRef<HTMLElement | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  const headingFocusedFor = useRef<CustomerId | null>(null);

  // The timeline (activities and this record's changes) loads itself, a page at a time.
  const load = useCallback(async () => {
    const result = await call(commands.getCustomer(id));
    if (result.status === "error") {
      setError(result.error);
      return;
    }
    setError(null);
    setCustomer(result.data);
  }, [id]);

  useEffect(() => {
    setCustomer(null);
    setLogging(false);
    setConfirmingDelete(false);
    void load();
    return onCustomersChanged(() => void load());
  }, [load]);

  const trashed = Boolean(customer?.deletedAt);

  // Arriving here from a save, the list or another record, the page that had focus is gone: the
  // heading takes it, so the keyboard goes on from this record rather than from the window's top.
  // Once per record (not on each reload after a change), and never taken from where it still is
  // (the search box a hit was opened from).
  const shownId = customer?.id ?? null;
  useEffect(() => {
    if (shownId === null || headingFocusedFor.current === shownId) return;
    headingFocusedFor.current = shownId;
    if (focusIsLost()) heading.current?.focus({ preventScroll: true });
  }, [shownId]);

  const restore = useCallback(async () => {
    const result = await call(commands.restoreCustomer(id));
    if (result.status === "error") {
      toast.show({ message: result.error.message, tone: "error" });
      return;
    }
    customersChanged();
    toast.show({ message: t("detail.restoredToast", { name: result.data.name }) });
  }, [id, t, toast]);

  const remove = useCallback(async () => {
    if (!customer) return;
    const result = await call(commands.deleteCustomer(id));
    if (result.status === "error") {
      toast.show({ message: result.error.message, tone: "error" });
      return;
    }
    customersChanged();
    // Back on the list, the row now in its place takes focus (see listFocus.tsx).
    listFocus.noteDeleted(id);
    navigate({ name: "customers" }, { replace: true });
    toast.show({
      // A company's people keep it as their company (shown as deleted) until it is restored.
      message: t(customer.kind === "company" ? "detail.trashedCompanyToast" : "detail.trashedToast", { name: customer.name }),
      action: {
        label: t("common.undo"),
        testId: "undo",
        run: async () => {
          const undone = await call(commands.restoreCustomer(id));
          if (undone.status === "error") {
            toast.show({ message: undone.error.message, tone: "error" });
            return;
          }
          customersChanged();
          navigate({ name: "customer", id });
        },
      },
    });
  }, [customer, id, listFocus, navigate, t, toast]);

  // The Delete key asks first, unlike the button and the palette: a key is easily hit by mistake
  // (meant for a text field that had just lost focus), a click on "Delete" is not.
  useHotkey(SHORTCUTS.deleteRecord, (e) => {
    if (isTypingTarget(e.target) || e.defaultPrevented) return;
    e.preventDefault();
    focusBeforeConfirm.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    setConfirmingDelete(true);
  }, Boolean(customer) && !trashed && !confirmingDelete);

  const cancelDelete = useCallback(() => {
    setConfirmingDelete(false);
    // Where the user was, or the heading when that was nowhere (the body) or has gone meanwhile.
    const before = focusBeforeConfirm.current;
    if (before && before !== document.body && before.isConnected) before.focus();
    else heading.current?.focus();
  }, []);

  const edit = useCallback(() => navigate({ name: "edit", id }), [id, navigate]);
  useHotkey(SHORTCUTS.edit, (e) => {
    e.preventDefault();
    edit();
  }, Boolean(customer) && !trashed);

  const logActivity = useCallback(() => {
    setLogging(true);
    // Already open: Ctrl+L again goes back to its first field.
    document.getElementById("activity-kind")?.focus();
  }, []);
  useHotkey(SHORTCUTS.logActivity, (e) => {
    e.preventDefault();
    logActivity();
  }, Boolean(customer) && !trashed);

  const group = t("palette.groupThisCustomer");
  const actions: Action[] = !customer
    ? []
    : trashed
      ? [{ id: "customer-restore", group, label: t("palette.restoreThis"), run: () => void restore() }]
      : [
          { id: "customer-edit", group, label: t("palette.editThis"), hotkey: SHORTCUTS.edit, run: edit },
          { id: "customer-log-activity", group, label: t("activity.log"), hotkey: SHORTCUTS.logActivity, keywords: "call visit meeting email note 电话 拜访 会议 邮件 备注 活动", run: logActivity },
          { id: "customer-delete", group, label: t("palette.deleteThis"), hotkey: SHORTCUTS.deleteRecord, run: () => void remove() },
        ];
  useRegisterPageActions(actions);

  if (error) {
    return (
      <section className="page">
        <div className="empty-state" role="alert">
          <h2>{error.code === "not_found" ? t("detail.notFound") : t("common.somethingWrong")}</h2>
          <p>{error.message}</p>
          <button type="button" className="btn" onClick={() => navigate({ name: "customers" })}>
            {t("detail.backToList")}
          </button>
        </div>
      </section>
    );
  }
  if (!customer) return <section className="page" aria-busy="true" />;

  const locale = i18n.language;
  return (
    <section className="page" data-testid="customer-detail" data-id={customer.id}>
      <header className="page-header">
        <button type="button" className="btn btn-ghost btn-icon" onClick={back} title={`${t("common.back")} (${hotkeyLabel(SHORTCUTS.back)})`} aria-label={t("common.back")}>
          <Icon name="back" />
        </button>
        <KindIcon kind={customer.kind} />
        {/* Focusable from code only (tabIndex -1): where focus lands on arriving, never a Tab stop. */}
        <h1 data-testid="detail-name" ref={heading} tabIndex={-1} title={customer.name}>
          {customer.name}
        </h1>
        {customer.private && (
          <span className="badge badge-private" data-testid="customer-private-badge" title={t("detail.privateHint")}>
            <Icon name="lock" size={12} />
            {t("detail.private")}
          </span>
        )}
        <StagePill stage={customer.stage} />
        {trashed ? (
          <button type="button" className="btn btn-primary" data-testid="restore" onClick={() => void restore()}>
            {t("action.restore")}
          </button>
        ) : (
          <>
            <button type="button" className="btn" data-testid="edit" onClick={edit} title={`${t("action.edit")} (${hotkeyLabel(SHORTCUTS.edit)})`}>
              {t("action.edit")} <Kbd hotkey={SHORTCUTS.edit} />
            </button>
            <button
              type="button"
              className="btn btn-danger"
              data-testid="delete"
              onClick={() => void remove()}
              title={`${t("detail.deleteHint")} (${hotkeyLabel(SHORTCUTS.deleteRecord)})`}
            >
              {t("action.delete")}
            </button>
          </>
        )}
      </header>

      <div className="page-body">
        {trashed && (
          <div className="banner" role="status" style={{ marginBottom: "var(--space-4)" }}>
            {t("detail.inTrash", { date: formatDateTime(customer.deletedAt!, locale) })}
          </div>
        )}
        <div className="detail">
          <div className="detail-main">
            <CustomerFields customer={customer} onOpenCompany={(companyId) => navigate({ name: "customer", id: companyId })} />
            {/* Keyed: a batch still being attached belongs to the record it was picked on. The
                customers' signal both ways: the timeline reloads after a write here, and the
                list after a synced change. */}
            <Attachments
              key={customer.id}
              record={{ recordType: "customer", id: customer.id }}
              readOnly={trashed}
              onChanged={customersChanged}
              subscribe={onCustomersChanged}
            />
            <RecordPanels recordType="customer" recordId={customer.id} readOnly={trashed} />
          </div>
          <Timeline customerId={customer.id} readOnly={trashed} logging={logging && !trashed} onLoggingChange={setLogging} />
        </div>
      </div>
      {confirmingDelete && !trashed && (
        <ConfirmDialog
          testId="customer-delete-dialog"
          title={t("detail.deleteConfirmTitle", { name: customer.name })}
          body={t(customer.kind === "company" ? "detail.deleteConfirmCompanyBody" : "detail.deleteConfirmBody")}
          confirm={t("action.delete")}
          // A move to the trash, with Undo: Delete then Enter is the quick way through.
          focusConfirm
          onCancel={cancelDelete}
          onConfirm={() => {
            setConfirmingDelete(false);
            void remove();
          }}
        />
      )}
    </section>
  );
}

function CustomerFields({ customer, onOpenCompany }: { customer: Customer; onOpenCompany: (id: CustomerId) => void }) {
  const { t, i18n } = useTranslation();
  const labels = useContactLabels();
  const { fields: customFields } = useCustomFields();
  const locale = i18n.language;
  const none = <span className="faint">—</span>;

  const rows: [string, string, ReactNode][] = [
    ["kind", t("field.kind"), t(`kind.${customer.kind}`)],
  ];
  if (customer.kind === "person") {
    rows.push([
      "company",
      t("field.company"),
      customer.companyId ? (
        <button type="button" className="link-button" data-testid="company-link" onClick={() => onOpenCompany(customer.companyId!)}>
          {customer.companyDeleted
            ? t("detail.companyDeleted", { name: customer.companyName ?? customer.companyId })
            : (customer.companyName ?? customer.companyId)}
        </button>
      ) : (
        none
      ),
    ]);
    // "采购经理 · 采购部": a person's role, beside their company, when known.
    const job = [customer.jobTitle, customer.department].filter((part) => part.trim() !== "").join(" · ");
    if (job) rows.push(["job", t("detail.job"), job]);
  }
  rows.push(
    ["owner", t("field.owner"), customer.owner || none],
    ["stage", t("field.stage"), <StagePill stage={customer.stage} />],
    ["source", t("field.source"), customer.source || none],
    // Only people have birthdays; a company shows one only if it holds one (from an import).
    ...(customer.kind === "person" || customer.birthday
      ? [["birthday", t("field.birthday"), customer.birthday ? formatCalendarDate(customer.birthday, locale) : none] as [string, string, ReactNode]]
      : []),
    [
      "tags",
      t("field.tags"),
      customer.tags.length ? (
        <span style={{ display: "inline-flex", flexWrap: "wrap", gap: "var(--space-1)" }}>
          {customer.tags.map((tag) => (
            <span key={tag} className="chip">
              {tag}
            </span>
          ))}
        </span>
      ) : (
        none
      ),
    ],
    [
      "phones",
      t("field.phones"),
      customer.phones.length ? (
        <ul className="contact-list">
          {customer.phones.map((phone, i) => (
            <li key={phone.id ?? i}>
              <span className="muted">{labels.display(phone.label)}</span> {phone.value}
            </li>
          ))}
        </ul>
      ) : (
        none
      ),
    ],
    [
      "emails",
      t("field.emails"),
      customer.emails.length ? (
        <ul className="contact-list">
          {customer.emails.map((email, i) => (
            <li key={email.id ?? i}>
              <span className="muted">{labels.display(email.label)}</span> {email.value}
            </li>
          ))}
        </ul>
      ) : (
        none
      ),
    ],
    [
      "addresses",
      t("field.addresses"),
      customer.addresses.length ? (
        <ul className="contact-list">
          {customer.addresses.map((address, i) => (
            <li key={address.id ?? i}>
              <span className="muted">{labels.display(address.label)}</span>{" "}
              {[address.street, [address.postalCode, address.city].filter(Boolean).join(" "), address.region, address.country]
                .filter(Boolean)
                .join(", ")}
            </li>
          ))}
        </ul>
      ) : (
        none
      ),
    ],
    ["notes", t("field.notes"), customer.notes ? <span className="notes">{customer.notes}</span> : none],
  );
  // The fields that apply to this kind of record, and any other that holds a value.
  for (const field of customFields) {
    const value = valueOf(customer.custom, field.id);
    if (!appliesTo(field, customer.kind) && !value) continue;
    rows.push([`custom-${field.id}`, fieldLabel(field, locale), value ? displayValue(field, value, locale) : none]);
  }
  rows.push(
    ["created", t("field.created"), formatDateTime(customer.createdAt, locale)],
    ["updated", t("field.updated"), formatDateTime(customer.updatedAt, locale)],
  );

  return (
    <dl className="fields">
      {rows.map(([key, label, value]) => (
        <div key={key} style={{ display: "contents" }} data-testid={`detail-${key}`}>
          <dt>{label}</dt>
          <dd className={key === "notes" ? "notes" : undefined}>{value}</dd>
        </div>
      ))}
    </dl>
  );
}
