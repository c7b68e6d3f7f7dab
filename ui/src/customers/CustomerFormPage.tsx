import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { commands, type AppError, type CustomerId, type CustomerKind } from "../bindings";
import { customersChanged } from "../lib/events";
import { call } from "../lib/result";
import { useRouter } from "../lib/router";
import { CustomerForm } from "./CustomerForm";
import { blankValues, valuesFromCustomer, type FormValues } from "./formState";
import { useContactLabels } from "./labels";

type Props = { mode: { kind: CustomerKind } | { id: CustomerId } };

export function CustomerFormPage({ mode }: Props) {
  const { t } = useTranslation();
  const { navigate, back } = useRouter();
  const labels = useContactLabels();
  const editingId = "id" in mode ? mode.id : null;
  const [initial, setInitial] = useState<FormValues | null>("kind" in mode ? blankValues(mode.kind) : null);
  const [title, setTitle] = useState("");
  const [error, setError] = useState<AppError | null>(null);

  useEffect(() => {
    if (editingId === null) return;
    let alive = true;
    void call(commands.getCustomer(editingId)).then((result) => {
      if (!alive) return;
      if (result.status === "error") setError(result.error);
      else {
        setInitial(valuesFromCustomer(result.data, labels.display));
        setTitle(result.data.name);
      }
    });
    return () => {
      alive = false;
    };
    // Loaded once per record: re-running on a language switch would discard the user's edits.
  }, [editingId]);

  const heading =
    editingId !== null ? t("form.editTitle", { name: title }) : "kind" in mode && mode.kind === "company" ? t("action.newCompany") : t("action.newPerson");

  return (
    <section className="page" aria-labelledby="form-title">
      <header className="page-header">
        <h1 id="form-title">{heading}</h1>
      </header>
      <div className="page-body">
        {error && (
          <div className="banner" role="alert">
            {error.message}
          </div>
        )}
        {initial && (
          <CustomerForm
            // A new key per target resets the form when Ctrl+N is pressed on an open form.
            key={editingId ?? `new-${initial.kind}`}
            initial={initial}
            customerId={editingId}
            onCancel={back}
            onOpenCustomer={(id) => navigate({ name: "customer", id })}
            onSaved={(customer) => {
              customersChanged();
              navigate({ name: "customer", id: customer.id }, { replace: true });
            }}
          />
        )}
      </div>
    </section>
  );
}
