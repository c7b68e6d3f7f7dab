import { useCallback, useState } from "react";
import { useTranslation } from "react-i18next";
import { commands, type CustomerRow } from "../bindings";
import { customersChanged } from "../lib/events";
import { formatNumber } from "../lib/format";
import { call } from "../lib/result";
import { useRouter } from "../lib/router";
import { useToast } from "../lib/toast";
import { CustomerTable } from "./CustomerTable";
import { DEFAULT_FILTERS, toggleSort, type ListFilters } from "./filters";

export function TrashPage() {
  const { t, i18n } = useTranslation();
  const { navigate } = useRouter();
  const toast = useToast();
  const [filters, setFilters] = useState<ListFilters>(DEFAULT_FILTERS);
  const [total, setTotal] = useState<number | null>(null);
  const onTotal = useCallback((n: number | null) => setTotal(n), []);

  const restore = async (row: CustomerRow) => {
    const result = await call(commands.restoreCustomer(row.id));
    if (result.status === "error") {
      toast.show({ message: result.error.message, tone: "error" });
      return;
    }
    customersChanged();
    toast.show({
      message: t("detail.restoredToast", { name: row.name }),
      action: { label: t("common.open"), testId: "toast-open", run: () => navigate({ name: "customer", id: row.id }) },
    });
  };

  return (
    <section className="page" aria-labelledby="trash-title">
      <header className="page-header">
        <h1 id="trash-title">{t("nav.trash")}</h1>
        {total !== null && (
          <span className="muted">{t("list.count", { count: total, formatted: formatNumber(total, i18n.language) })}</span>
        )}
      </header>
      <p className="muted filters">{t("trash.explain")}</p>
      <CustomerTable
        filters={filters}
        trash
        onSort={(key) => setFilters((f) => toggleSort(f, key))}
        onOpen={(row) => navigate({ name: "customer", id: row.id })}
        onTotal={onTotal}
        empty={
          <div className="empty-state" data-testid="empty-state">
            <h2>{t("trash.emptyTitle")}</h2>
            <p>{t("trash.emptyBody")}</p>
          </div>
        }
        action={(row) => (
          <button type="button" className="btn btn-small" data-testid="restore" onClick={() => void restore(row)}>
            {t("action.restore")}
          </button>
        )}
      />
    </section>
  );
}
