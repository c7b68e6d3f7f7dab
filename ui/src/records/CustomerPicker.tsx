/**
 * Links a record to a customer, found by the core's search as the name is typed. Shared by the
 * modules whose records name a customer (a calendar event, a deal, a quote); each passes its own
 * words and test ids (`<testId>-search`, `<testId>-hit`, `<testId>-name`, `<testId>-clear`).
 */
import { useEffect, useState, type ReactNode } from "react";
import "./customerPicker.css";
import { commands, type CustomerId, type SearchHit } from "../bindings";
import { call } from "../lib/result";

type Props = {
  value: CustomerId | null;
  name: string;
  error: ReactNode;
  onChange: (id: CustomerId | null, name: string) => void;
  label: string;
  placeholder: string;
  removeLabel: string;
  testId: string;
  className?: string;
};

export function CustomerPicker({ value, name, error, onChange, label, placeholder, removeLabel, testId, className = "" }: Props) {
  const [text, setText] = useState("");
  const [hits, setHits] = useState<SearchHit[]>([]);
  useEffect(() => {
    const q = text.trim();
    if (!q) return setHits([]);
    const timer = window.setTimeout(() => {
      void call(commands.searchCustomers(q, null, 8)).then((r) => setHits(r.status === "ok" ? r.data : []));
    }, 150);
    return () => window.clearTimeout(timer);
  }, [text]);
  return (
    <div className={`field field-grow customer-picker ${className}`} data-field="customerId">
      <span className="field-label">{label}</span>
      {value ? (
        <div className="customer-picker-chosen">
          <span data-testid={`${testId}-name`}>{name || value}</span>
          <button type="button" className="btn btn-small" data-testid={`${testId}-clear`} onClick={() => onChange(null, "")}>
            {removeLabel}
          </button>
        </div>
      ) : (
        <>
          <input spellCheck={false} className="input" name="customerSearch" data-testid={`${testId}-search`} placeholder={placeholder} value={text} onChange={(e) => setText(e.target.value)} />
          {hits.length > 0 && (
            <ul className="menu customer-picker-hits" role="listbox">
              {hits.map((h) => (
                <li key={h.row.id}>
                  <button
                    type="button"
                    role="option"
                    aria-selected={false}
                    className="menu-item"
                    data-testid={`${testId}-hit`}
                    data-id={h.row.id}
                    onClick={() => {
                      onChange(h.row.id, h.row.name);
                      setText("");
                      setHits([]);
                    }}
                  >
                    {h.row.name}
                    {h.row.companyName ? ` · ${h.row.companyName}` : ""}
                  </button>
                </li>
              ))}
            </ul>
          )}
        </>
      )}
      {error}
    </div>
  );
}
