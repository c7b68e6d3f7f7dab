import { useEffect, useId, useRef, useState, type RefObject } from "react";
import { useTranslation } from "react-i18next";
import type { SearchHit } from "../bindings";
import { KindIcon, StagePill } from "../customers/StagePill";
import { useCustomerSearch } from "../customers/useCustomerSearch";
import { hotkeyLabel, SHORTCUTS } from "../lib/keys";
import { useRouter } from "../lib/router";

const RESULT_LIMIT = 20;

/** The one search box in the top bar: answers while typing, Enter or click opens the record. */
export function GlobalSearch({ inputRef }: { inputRef: RefObject<HTMLInputElement | null> }) {
  const { t } = useTranslation();
  const { navigate } = useRouter();
  const listId = useId();
  const [text, setText] = useState("");
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const search = useCustomerSearch(text, null, RESULT_LIMIT);
  // Enter pressed before the answer for the latest keystroke arrived opens the first hit once it does.
  const openFirstWhenReady = useRef(false);

  const openHit = (hit: SearchHit | undefined) => {
    if (!hit) return;
    // Cleared so the next search starts fresh, whether typed or driven by a test.
    setText("");
    setOpen(false);
    inputRef.current?.blur();
    navigate({ name: "customer", id: hit.row.id });
  };

  useEffect(() => {
    if (!openFirstWhenReady.current || search.pending) return;
    openFirstWhenReady.current = false;
    openHit(search.hits[0]);
    // openHit only reads the latest props; re-running on its identity would reopen records.
  }, [search]);

  useEffect(() => setActive(0), [search.hits]);

  const showList = open && text.trim() !== "";
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
          {search.error ? (
            <div className="option-empty" role="alert">
              {search.error.message}
            </div>
          ) : search.hits.length === 0 ? (
            <div className="option-empty" data-testid="search-empty">
              {search.pending ? t("search.searching") : t("search.noResults", { text: text.trim() })}
            </div>
          ) : (
            search.hits.map((hit, index) => (
              <SearchResult
                key={hit.row.id}
                id={`${listId}-${index}`}
                hit={hit}
                active={index === active}
                onHover={() => setActive(index)}
                onOpen={() => openHit(hit)}
              />
            ))
          )}
        </div>
      )}
    </div>
  );
}

export function SearchResult({
  id,
  hit,
  active,
  onHover,
  onOpen,
  testId = "search-result",
}: {
  id: string;
  hit: SearchHit;
  active: boolean;
  onHover: () => void;
  onOpen: () => void;
  testId?: string;
}) {
  const { t } = useTranslation();
  const { row } = hit;
  return (
    <div
      id={id}
      role="option"
      className="option"
      data-testid={testId}
      data-id={row.id}
      aria-selected={active}
      // Keep focus in the input so the click is not lost to its blur.
      onMouseDown={(e) => e.preventDefault()}
      onMouseMove={onHover}
      onClick={onOpen}
    >
      <KindIcon kind={row.kind} />
      <span className="option-main">
        {row.name}
        {row.companyName && <span className="muted"> · {row.companyName}</span>}
      </span>
      <span className="badge" title={t("search.matchedIn")}>
        {t(`match.${hit.matched}`)}
      </span>
      <StagePill stage={row.stage} />
    </div>
  );
}
