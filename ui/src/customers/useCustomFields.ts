import { useEffect, useState } from "react";
import { commands, type AppError, type CustomField } from "../bindings";
import { onCustomFieldsChanged } from "../lib/events";
import { call } from "../lib/result";

export type CustomFieldsState = {
  /** Live fields in their order; empty until loaded (or when loading failed). */
  fields: CustomField[];
  loaded: boolean;
  error: AppError | null;
};

/**
 * The live custom fields of a record type (customers' by default), reloaded whenever a screen in
 * this window changes them.
 */
export function useCustomFields(recordType = "customer"): CustomFieldsState {
  const [state, setState] = useState<CustomFieldsState>({ fields: [], loaded: false, error: null });
  useEffect(() => {
    let alive = true;
    let ticket = 0;
    const load = async () => {
      const mine = ++ticket;
      const result = await call(recordType === "customer" ? commands.customFields() : commands.recordCustomFields(recordType));
      if (!alive || mine !== ticket) return;
      if (result.status === "ok") setState({ fields: result.data, loaded: true, error: null });
      else setState((current) => ({ fields: current.fields, loaded: true, error: result.error }));
    };
    void load();
    const unsubscribe = onCustomFieldsChanged(() => void load());
    return () => {
      alive = false;
      unsubscribe();
    };
  }, [recordType]);
  return state;
}
