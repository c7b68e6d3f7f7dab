import { Fragment, useEffect, useId, useRef, useState, type RefObject } from "react";
import { useTranslation } from "react-i18next";
import { formatNumber } from "../lib/format";
import { hotkeyLabel, SHORTCUTS } from "../lib/keys";
import { useRouter } from "../lib/router";
import type { ListFilter, ModuleSearchHit } from "./module";
import { useModuleListFilters } from "./moduleContext";
import { useModuleSearch } from "./useModuleSearch";

const RESULT_LIMIT = 20;
/**
 * Hits shown under each module's heading; its count still says how many it found (up to "20+"),
 * and "Show all in the list" opens the rest. Why not all 20: the popover shows about ten rows at
 * once, and laying out and painting four modules' twenty rows at every keystroke was most of a
 * keystroke's time in the window (the call itself takes 1-4 ms at 100,000 customers;
 * docs/benchmarks.md).
 */
const SHOWN_PER_GROUP = 5;

/** What the arrow keys move through, in the order shown: each group's hits, then its "Show all". */
type Entry = { kind: "hit"; hit: ModuleSearchHit } | { kind: "show-all"; module: string; filter: ListFilter };

/**
 * The one search box in the top bar: asks every module while typing, Enter or click opens the
 * record. With more than one module searching, each module's hits sit under its own heading.
 * Under each module's hits, how many it found ("20+ matches" when there are more than it shows)
 * and, for a module with a list, "Show all in the list", which opens that list filtered by the
 * text. Escape empties the box and takes the text out of those lists' filters too.
 */
export function GlobalSearch({ inputRef }: { inputRef: RefObject<HTMLInputElement | null> }) {
  const { t, i18n } = useTranslation();
  const { navigate } = useRouter();
  const listFilters = useModuleListFilters();
  const listId = useId();
  const [text, setText] = useState("");
  const [open, setOpen] = useState(false);
  const search = useModuleSearch(text, RESULT_LIMIT);
  // The keyboard cursor belongs to one answer: a new answer starts again at its first hit. Told
  // apart by the answer's identity during render, not reset by an effect that could land after
  // an arrow key already moved it.
  const [cursor, setCursor] = useState<{ hits: readonly ModuleSearchHit[]; at: number }>({ hits: [], at: 0 });
  const active = cursor.hits === search.hits ? cursor.at : 0;
  const setActive = (at: number) => setCursor({ hits: search.hits, at });
  // Enter pressed before the answer for the latest keystroke arrived opens the first hit once it does.
  const openFirstWhenReady = useRef(false);

  const openHit = (hit: ModuleSearchHit | undefined) => {
    if (!hit) return;
    // Cleared so the next search starts fresh, whether typed or driven by a test.
    setText("");
    setOpen(false);
    inputRef.current?.blur();
    navigate(hit.route);
  };

  // The text stays in the box, so the box and the list it filters say the same thing, and
  // Escape here clears both.
  const showAll = (filter: ListFilter) => {
    setOpen(false);
    inputRef.current?.blur();
    filter.showAll(text.trim());
  };

  const clearAll = () => {
    setText("");
    setOpen(false);
    for (const { filter } of listFilters) filter.clear();
  };

  useEffect(() => {
    if (!openFirstWhenReady.current || search.pending) return;
    openFirstWhenReady.current = false;
    openHit(search.hits[0]);
    // openHit only reads the latest props; re-running on its identity would reopen records.
  }, [search]);

  const showList = open && text.trim() !== "";
  const headings = search.sources > 1;
  const failed = search.groups.some((group) => group.error);
  const filterOf = (module: string) => listFilters.find((f) => f.module === module)?.filter;
  const entries: Entry[] = search.groups.flatMap((group) => {
    if (group.error || group.hits.length === 0) return [];
    const filter = filterOf(group.module);
    return [
      ...group.hits.slice(0, SHOWN_PER_GROUP).map((hit): Entry => ({ kind: "hit", hit })),
      ...(filter ? [{ kind: "show-all" as const, module: group.module, filter }] : []),
    ];
  });
  const run = (entry: Entry | undefined) => {
    if (entry?.kind === "hit") openHit(entry.hit);
    else if (entry?.kind === "show-all") showAll(entry.filter);
  };
  let index = 0;
  return (
    <div className="search">
      <input
        ref={inputRef}
        className="input"
        type="search"
        data-testid="search-input"
        role="combobox"
        aria-label={t("search.label")}
        aria-expanded={showList}
        aria-controls={listId}
        aria-autocomplete="list"
        aria-activedescendant={showList && entries[active] ? `${listId}-${active}` : undefined}
        autoComplete="off"
        spellCheck={false}
        placeholder={t("search.placeholder")}
        title={t("search.tooltip", { shortcut: hotkeyLabel(SHORTCUTS.search) })}
        value={text}
        onChange={(e) => {
          setText(e.target.value);
          setOpen(true);
        }}
        onFocus={() => setOpen(true)}
        onBlur={() => setOpen(false)}
        onKeyDown={(e) => {
          if (e.key === "ArrowDown") {
            e.preventDefault();
            setOpen(true);
            setActive(Math.min(active + 1, Math.max(0, entries.length - 1)));
          } else if (e.key === "ArrowUp") {
            e.preventDefault();
            setActive(Math.max(active - 1, 0));
          } else if (e.key === "Enter") {
            e.preventDefault();
            if (search.pending) openFirstWhenReady.current = true;
            else run(entries[active]);
          } else if (e.key === "Escape") {
            e.preventDefault();
            // An empty box has nothing more to clear: the second Escape leaves it.
            if (text === "") e.currentTarget.blur();
            clearAll();
          }
        }}
      />
      <span className="search-hint" aria-hidden="true">
        <kbd className="kbd">/</kbd>
      </span>
      {showList && (
        <div
          className="popover"
          role="listbox"
          id={listId}
          aria-label={t("search.results")}
          aria-busy={search.pending}
          data-testid="search-results"
          data-answered={search.answered}
        >
          {search.hits.length === 0 && !failed ? (
            <div className="option-empty" data-testid="search-empty">
              {search.pending ? t("search.searching") : t("search.noResults", { text: text.trim() })}
            </div>
          ) : (
            search.groups.map((group) => {
              if (group.hits.length === 0 && !group.error) return null;
              const filter = filterOf(group.module);
              const count = group.hits.length;
              const formatted = formatNumber(count, i18n.language);
              return (
                <Fragment key={group.module}>
                  {headings && (
                    <div className="option-group" data-testid="search-group" data-module={group.module}>
                      {t(group.label)}
                    </div>
                  )}
                  {group.error ? (
                    // A module that failed says why in its place; the others' hits still show.
                    <div className="option-empty" role="alert">
                      {group.error.message}
                    </div>
                  ) : (
                    <>
                      {group.hits.slice(0, SHOWN_PER_GROUP).map((hit) => {
                        const at = index++;
                        return (
                          <SearchResult
                            key={hit.id}
                            id={`${listId}-${at}`}
                            hit={hit}
                            active={at === active}
                            onHover={() => setActive(at)}
                            onOpen={() => openHit(hit)}
                          />
                        );
                      })}
                      <div className="search-footer">
                        <span className="muted" data-testid="search-count" data-module={group.module} data-more={group.more}>
                          {group.more ? t("search.countMore", { formatted }) : t("search.count", { count, formatted })}
                        </span>
                        {filter && <ShowAllOption id={`${listId}-${index}`} at={index++} active={active} onHover={setActive} onRun={() => showAll(filter)} module={group.module} />}
                      </div>
                    </>
                  )}
                </Fragment>
              );
            })
          )}
        </div>
      )}
    </div>
  );
}

/** "Show all in the list": an option of the listbox like a hit, so the arrows and Enter reach it. */
function ShowAllOption({
  id,
  at,
  active,
  module,
  onHover,
  onRun,
}: {
  id: string;
  at: number;
  active: number;
  module: string;
  onHover: (at: number) => void;
  onRun: () => void;
}) {
  const { t } = useTranslation();
  return (
    <div
      id={id}
      role="option"
      className="option search-show-all"
      data-testid="search-show-all"
      data-module={module}
      aria-selected={at === active}
      // Keep focus in the input so the click is not lost to its blur.
      onMouseDown={(e) => e.preventDefault()}
      onMouseMove={() => onHover(at)}
      onClick={onRun}
    >
      {t("search.showAll")}
    </div>
  );
}

/** One hit of any module, in the search popover and in the palette. */
export function SearchResult({
  id,
  hit,
  active,
  onHover,
  onOpen,
  testId = "search-result",
}: {
  id: string;
  hit: ModuleSearchHit;
  active: boolean;
  onHover: () => void;
  onOpen: () => void;
  testId?: string;
}) {
  return (
    <div
      id={id}
      role="option"
      className="option"
      data-testid={testId}
      data-id={hit.id}
      aria-selected={active}
      // Keep focus in the input so the click is not lost to its blur.
      onMouseDown={(e) => e.preventDefault()}
      onMouseMove={onHover}
      onClick={onOpen}
    >
      {hit.icon}
      <span className="option-main" title={hit.subtitle ? `${hit.title} · ${hit.subtitle}` : hit.title}>
        {hit.title}
        {hit.subtitle && <span className="muted"> · {hit.subtitle}</span>}
      </span>
      {hit.meta}
    </div>
  );
}
