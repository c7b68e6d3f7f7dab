import { useEffect, useId, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { Kbd } from "../lib/Kbd";
import { useRouter } from "../lib/router";
import { SearchResult } from "./GlobalSearch";
import type { ModuleSearchHit } from "./module";
import type { Action } from "./pageActions";
import { filterActions } from "./paletteFilter";
import { useModuleSearch } from "./useModuleSearch";

/** Hits per module: the palette is for commands first, the search box for long result lists. */
const HIT_LIMIT = 8;

type Item = { type: "action"; action: Action } | { type: "hit"; hit: ModuleSearchHit; group: string; module: string };

type Props = {
  actions: Action[];
  onClose: () => void;
};

/**
 * Ctrl+K: every action by name, and every module's records by anything searchable, in one list
 * driven by the arrow keys. Actions come first because a typed command word is rarely also a
 * customer's name; each module's hits follow under its own heading.
 */
export function CommandPalette({ actions, onClose }: Props) {
  const { t } = useTranslation();
  const { navigate } = useRouter();
  const listId = useId();
  const inputRef = useRef<HTMLInputElement>(null);
  const listRef = useRef<HTMLDivElement>(null);
  const [query, setQuery] = useState("");
  const [activeRaw, setActive] = useState(0);
  const search = useModuleSearch(query, HIT_LIMIT);
  const runFirstWhenReady = useRef(false);

  const matched = filterActions(actions, query);
  const items: Item[] = [
    ...matched.map((action): Item => ({ type: "action", action })),
    ...search.groups.flatMap((group) =>
      group.hits.map((hit): Item => ({ type: "hit", hit, group: t(group.label), module: group.module })),
    ),
  ];

  // Hits arrive after the actions; never point past the end of the list.
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
    else navigate(item.hit.route);
  };

  useEffect(() => {
    if (!runFirstWhenReady.current || search.pending) return;
    runFirstWhenReady.current = false;
    const hit = search.hits[0];
    if (hit) {
      onClose();
      navigate(hit.route);
    }
  }, [search, onClose, navigate]);

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
            const group = item.type === "action" ? item.action.group : item.group;
            // By module for hits, so two modules' groups never merge under one heading.
            const groupKey = item.type === "action" ? `action:${group}` : `module:${item.module}`;
            const header = groupKey !== lastGroup ? <div className="option-group">{group}</div> : null;
            lastGroup = groupKey;
            const id = `${listId}-${index}`;
            if (item.type === "hit") {
              return (
                <div key={`h-${item.module}-${item.hit.id}`} data-index={index}>
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
