import { Fragment, useEffect, useId, useRef, useState, type RefObject } from "react";
import { useTranslation } from "react-i18next";
import { hotkeyLabel, SHORTCUTS } from "../lib/keys";
import { useRouter } from "../lib/router";
import type { ModuleSearchHit } from "./module";
import { useModuleSearch } from "./useModuleSearch";

const RESULT_LIMIT = 20;

/**
 * The one search box in the top bar: asks every module while typing, Enter or click opens the
 * record. With more than one module searching, each module's hits sit under its own heading.
 */
export function GlobalSearch({ inputRef }: { inputRef: RefObject<HTMLInputElement | null> }) {
  const { t } = useTranslation();
  const { navigate } = useRouter();
  const listId = useId();
  const [text, setText] = useState("");
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const search = useModuleSearch(text, RESULT_LIMIT);
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

  useEffect(() => {
    if (!openFirstWhenReady.current || search.pending) return;
    openFirstWhenReady.current = false;
    openHit(search.hits[0]);
    // openHit only reads the latest props; re-running on its identity would reopen records.
  }, [search]);

  useEffect(() => setActive(0), [search.hits]);

  const showList = open && text.trim() !== "";
  const headings = search.sources > 1;
  const failed = search.groups.some((group) => group.error);
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
        aria-activedescendant={showList && search.hits[active] ? `${listId}-${active}` : undefined}
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
            setActive((i) => Math.min(i + 1, Math.max(0, search.hits.length - 1)));
          } else if (e.key === "ArrowUp") {
            e.preventDefault();
            setActive((i) => Math.max(i - 1, 0));
          } else if (e.key === "Enter") {
            e.preventDefault();
            if (search.pending) openFirstWhenReady.current = true;
            else openHit(search.hits[active]);
          } else if (e.key === "Escape") {
            e.preventDefault();
            if (showList) setOpen(false);
            else {
              setText("");
              e.currentTarget.blur();
            }
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
            search.groups.map((group) =>
              group.hits.length === 0 && !group.error ? null : (
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
                    group.hits.map((hit) => {
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
                    })
                  )}
                </Fragment>
              ),
            )
          )}
        </div>
      )}
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
      <span className="option-main">
        {hit.title}
        {hit.subtitle && <span className="muted"> · {hit.subtitle}</span>}
      </span>
      {hit.meta}
    </div>
  );
}
