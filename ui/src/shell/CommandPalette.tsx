import { useEffect, useId, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import type { SearchHit } from "../bindings";
import { useCustomerSearch } from "../customers/useCustomerSearch";
import { Kbd } from "../lib/Kbd";
import { SearchResult } from "./GlobalSearch";
import type { Action } from "./pageActions";
import { filterActions } from "./paletteFilter";

const CUSTOMER_LIMIT = 8;

type Item = { type: "action"; action: Action } | { type: "customer"; hit: SearchHit };

type Props = {
  actions: Action[];
  onClose: () => void;
  onOpenCustomer: (hit: SearchHit) => void;
};

/**
 * Ctrl+K: every action by name, and customers by anything searchable, in one list driven by the
 * arrow keys. Actions come first because a typed command word is rarely also a customer's name.
 */
export function CommandPalette({ actions, onClose, onOpenCustomer }: Props) {
  const { t } = useTranslation();
  const listId = useId();
  const inputRef = useRef<HTMLInputElement>(null);
  const listRef = useRef<HTMLDivElement>(null);
  const [query, setQuery] = useState("");
  const [activeRaw, setActive] = useState(0);
  const search = useCustomerSearch(query, null, CUSTOMER_LIMIT);
  const runFirstWhenReady = useRef(false);

  const matched = filterActions(actions, query);
  const items: Item[] = [
    ...matched.map((action): Item => ({ type: "action", action })),
    ...search.hits.map((hit): Item => ({ type: "customer", hit })),
  ];

  // Customer hits arrive after the actions; never point past the end of the list.
  const active = Math.min(activeRaw, Math.max(0, items.length - 1));

  useEffect(() => inputRef.current?.focus(), []);
  useEffect(() => setActive(0), [query]);
  useEffect(() => {
    listRef.current?.querySelector(`[data-index="${active}"]`)?.scrollIntoView({ block: "nearest" });
  }, [active]);

  const run = (item: Item | undefined) => {
    if (!item) return;
    onClose();
    if (item.type === "action") item.action.run();
    else onOpenCustomer(item.hit);
  };

  useEffect(() => {
    if (!runFirstWhenReady.current || search.pending) return;
    runFirstWhenReady.current = false;
    const hit = search.hits[0];
    if (hit) {
      onClose();
      onOpenCustomer(hit);
    }
  }, [search, onClose, onOpenCustomer]);

  let lastGroup = "";
  return (
    <div
      className="overlay"
      data-testid="palette"
      onMouseDown={(e) => {
        if (e.target === e.currentTarget) onClose();
      }}
    >
      <div className="palette" role="dialog" aria-modal="true" aria-label={t("palette.title")}>
        <input
          ref={inputRef}
          className="palette-input"
          data-testid="palette-input"
          role="combobox"
          aria-expanded="true"
          aria-controls={listId}
          aria-activedescendant={items[active] ? `${listId}-${active}` : undefined}
          aria-autocomplete="list"
          autoComplete="off"
          spellCheck={false}
          placeholder={t("palette.placeholder")}
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === "ArrowDown") {
              e.preventDefault();
              setActive((i) => Math.min(i + 1, Math.max(0, items.length - 1)));
            } else if (e.key === "ArrowUp") {
              e.preventDefault();
              setActive((i) => Math.max(i - 1, 0));
            } else if (e.key === "Enter") {
              e.preventDefault();
              if (items.length === 0 && search.pending) runFirstWhenReady.current = true;
              else run(items[active]);
            } else if (e.key === "Escape") {
              e.preventDefault();
              e.stopPropagation();
              onClose();
            } else if (e.key === "Tab") {
              // Focus stays in the dialog; the list is driven by the arrow keys.
              e.preventDefault();
            }
          }}
        />
        <div className="palette-list" role="listbox" id={listId} ref={listRef}>
          {items.length === 0 && (
            <div className="option-empty">{search.pending ? t("search.searching") : t("palette.nothing")}</div>
          )}
          {items.map((item, index) => {
            const group = item.type === "action" ? item.action.group : t("palette.groupCustomers");
            const header = group !== lastGroup ? <div className="option-group">{group}</div> : null;
            lastGroup = group;
            const id = `${listId}-${index}`;
            if (item.type === "customer") {
              return (
                <div key={`c-${item.hit.row.id}`} data-index={index}>
                  {header}
                  <SearchResult
                    id={id}
                    hit={item.hit}
                    active={index === active}
                    testId="palette-result"
                    onHover={() => setActive(index)}
                    onOpen={() => run(item)}
                  />
                </div>
              );
            }
            const { action } = item;
            return (
              <div key={`a-${action.id}`} data-index={index}>
                {header}
                <div
                  id={id}
                  role="option"
                  className="option"
                  data-testid="palette-item"
                  data-action={action.id}
                  aria-selected={index === active}
                  onMouseDown={(e) => e.preventDefault()}
                  onMouseMove={() => setActive(index)}
                  onClick={() => run(item)}
                >
                  <span className="option-main">{action.label}</span>
                  {action.badge && <span className="badge">{action.badge}</span>}
                  {action.hotkey && <Kbd hotkey={action.hotkey} />}
                </div>
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}
