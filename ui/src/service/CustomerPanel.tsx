/** A customer's tickets on its page, with "New ticket" for it (the customer filled in). */
import { useCallback, useState } from "react";
import { useTranslation } from "react-i18next";
import { commands, type QueueItem } from "../bindings";
import { useRouter } from "../lib/router";
import { call } from "../lib/result";
import { useServiceReload } from "./api";
import { SlaBadge, StatusBadge } from "./parts";

export function CustomerServicePanel({ recordId, readOnly }: { recordId: string; readOnly: boolean }) {
  const { t } = useTranslation();
  const { navigate } = useRouter();
  const [tickets, setTickets] = useState<QueueItem[]>([]);
  const load = useCallback(() => {
    void call(commands.ticketQueue({ view: "all", sort: "opened", customerId: recordId }, 50)).then((r) => r.status === "ok" && setTickets(r.data));
  }, [recordId]);
  useServiceReload(load);
  return (
    <section className="detail-section customer-service" data-testid="customer-tickets">
      <div className="section-header">
        <h2 className="section-title">{t("service.tickets")}</h2>
        {!readOnly && (
          <div className="page-actions">
            <button type="button" className="btn btn-small" data-action="new-ticket" data-testid="customer-new-ticket" onClick={() => navigate({ name: "ticket-new", customer: recordId })}>
              {t("service.newTicket")}
            </button>
          </div>
        )}
      </div>
      {tickets.length === 0 && <p className="muted">{t("service.noTicketsHere")}</p>}
      <ul className="sales-mini-list">
        {tickets.map((x) => (
          <li key={x.id} data-testid="customer-ticket" data-ticket={x.id} data-badge={x.badge}>
            <button type="button" className="link-button" onClick={() => navigate({ name: "ticket", id: x.id })}>
              {x.number}
            </button>{" "}
            {x.subject} <StatusBadge status={x.status} /> <SlaBadge badge={x.badge} due={x.due} minutesLeft={x.minutesLeft} />
          </li>
        ))}
      </ul>
    </section>
  );
}
