import { useCallback, useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { commands, type AppError, type CustomerId, type CustomerRow, type DuplicatePair } from "../bindings";
import { onCustomersChanged } from "../lib/events";
import { formatNumber } from "../lib/format";
import { call } from "../lib/result";
import { useRouter } from "../lib/router";
import { KindIcon } from "./StagePill";

/**
 * The core returns at most this many pairs. A list this long is already more than anyone works
 * through in one sitting, and it keeps the page a plain (unvirtualised) list.
 */
const PAIR_LIMIT = 500;

type Scan = { status: "loading" } | { status: "done"; pairs: DuplicatePair[] } | { status: "error"; error: AppError };

/**
 * Every pair of live customers that look like the same one, for tidying up after imports or
 * several people entering the same contact. Each side opens its own record, and "Merge…" opens
 * the merge page for the pair.
 */
export function DuplicatesPage() {
  const { t, i18n } = useTranslation();
  const { navigate } = useRouter();
  const [scan, setScan] = useState<Scan>({ status: "loading" });
  // Only the latest scan may answer: a slow earlier one must not overwrite a newer result, and
  // nothing may be set after the page is gone.
  const latest = useRef(0);

  const run = useCallback(() => {
    const id = ++latest.current;
    setScan({ status: "loading" });
    void call(commands.duplicatePairs(PAIR_LIMIT)).then((result) => {
      if (id !== latest.current) return;
      setScan(result.status === "ok" ? { status: "done", pairs: result.data } : { status: "error", error: result.error });
    });
  }, []);

  useEffect(() => {
    run();
    // A merge undone (or any other write) while the page is open can bring a pair back.
    const unsubscribe = onCustomersChanged(run);
    return () => {
      unsubscribe();
      latest.current++;
    };
  }, [run]);

  const open = (id: CustomerId) => navigate({ name: "customer", id });
  const merge = (pair: DuplicatePair) => navigate({ name: "merge", keep: pair.a.id, other: pair.b.id });
  const loading = scan.status === "loading";

  return (
    <section className="page" aria-labelledby="duplicates-title" data-testid="duplicates">
      <header className="page-header">
        <h1 id="duplicates-title">{t("nav.duplicates")}</h1>
        {scan.status === "done" && (
          <span className="muted" data-testid="duplicate-count">
            {t("duplicates.count", { count: scan.pairs.length, formatted: formatNumber(scan.pairs.length, i18n.language) })}
          </span>
        )}
        <button type="button" className="btn" data-testid="duplicate-rescan" disabled={loading} aria-busy={loading} onClick={run}>
          {t("duplicates.scanAgain")}
        </button>
      </header>
      <div className="page-body">
        <p className="muted duplicates-explain">{t("duplicates.explain")}</p>
        {scan.status === "loading" && (
          <div className="empty-state" role="status" aria-busy="true" data-testid="duplicates-loading">
            {t("duplicates.scanning")}
          </div>
        )}
        {scan.status === "error" && (
          <p className="field-error" role="alert" data-testid="duplicates-error">
            {t("duplicates.failed", { message: scan.error.message })}
          </p>
        )}
        {scan.status === "done" && scan.pairs.length === 0 && (
          <div className="empty-state" data-testid="empty-state">
            <h2>{t("duplicates.emptyTitle")}</h2>
            <p>{t("duplicates.emptyBody")}</p>
          </div>
        )}
        {scan.status === "done" && scan.pairs.length > 0 && (
          <>
            <ul className="duplicate-pairs" data-testid="duplicate-pairs">
              {scan.pairs.map((pair) => (
                <PairItem key={`${pair.a.id}-${pair.b.id}`} pair={pair} onOpen={open} onMerge={merge} />
              ))}
            </ul>
            {/* Said only when the core may have stopped early, so the header count is not taken as the total. */}
            {scan.pairs.length >= PAIR_LIMIT && (
              <p className="muted duplicates-limited" data-testid="duplicates-limited">
                {t("duplicates.limited", { formatted: formatNumber(PAIR_LIMIT, i18n.language) })}
              </p>
            )}
          </>
        )}
      </div>
    </section>
  );
}

function PairItem({
  pair,
  onOpen,
  onMerge,
}: {
  pair: DuplicatePair;
  onOpen: (id: CustomerId) => void;
  onMerge: (pair: DuplicatePair) => void;
}) {
  const { t } = useTranslation();
  return (
    <li
      className="duplicate-pair"
      data-testid="duplicate-pair"
      data-reason={pair.reason}
      data-ids={`${pair.a.id} ${pair.b.id}`}
    >
      <div className="duplicate-pair-head">
        <div className="duplicate-pair-reason" data-testid="duplicate-reason">
          {reasonText(t, pair)}
        </div>
        <button
          type="button"
          className="btn btn-small"
          data-testid="duplicate-merge"
          aria-label={t("duplicates.mergePair", { a: pair.a.name, b: pair.b.name })}
          onClick={() => onMerge(pair)}
        >
          {t("duplicates.merge")}
        </button>
      </div>
      <div className="duplicate-pair-sides">
        <Side row={pair.a} side="a" pair={pair} onOpen={onOpen} />
        <Side row={pair.b} side="b" pair={pair} onOpen={onOpen} />
      </div>
    </li>
  );
}

/** The same wording as the form's duplicate warning, so both places explain a match alike. */
function reasonText(t: ReturnType<typeof useTranslation>["t"], pair: DuplicatePair): string {
  switch (pair.reason) {
    case "same_email":
      return t("duplicate.sameEmail", { value: pair.matched });
    case "same_phone":
      return t("duplicate.samePhone", { value: pair.matched });
    case "similar_name":
      // Names are compared within one company for people, and among companies for companies.
      return pair.a.kind === "company" ? t("duplicate.similarCompanyName") : t("duplicate.similarName");
  }
}

/**
 * The value a card shares with the other card of its pair, for highlighting: the record's own
 * writing of it (`+86 138-0013-8000` on one card and `13800138000` on the other), whichever of
 * its phones or emails that is; `own` says whether the row's first phone or email is that one
 * (then it is highlighted in place, else shown on a line of its own). A similar name is each
 * card's own name.
 */
function sharedOn(pair: DuplicatePair, row: CustomerRow, side: "a" | "b"): { value: string; own: boolean } {
  const value = side === "a" ? pair.aShared : pair.bShared;
  switch (pair.reason) {
    case "same_email":
      return { value, own: row.email === value };
    case "same_phone":
      return { value, own: row.phone === value };
    case "similar_name":
      return { value: row.name, own: true };
  }
}

function Side({ row, side, pair, onOpen }: { row: CustomerRow; side: "a" | "b"; pair: DuplicatePair; onOpen: (id: CustomerId) => void }) {
  const { t } = useTranslation();
  const shared = sharedOn(pair, row, side);
  const mark = (
    <mark
      className="duplicate-shared"
      data-testid="duplicate-shared"
      data-own={shared.own}
      title={
        shared.own
          ? t("duplicates.shared")
          : t(pair.reason === "same_phone" ? "duplicates.sharedOtherPhone" : "duplicates.sharedOtherEmail")
      }
    >
      {shared.value}
    </mark>
  );
  // The shared phone or email takes the place of the row's own line when it is that line, and
  // follows it when it is another of the record's, so the card still shows its first one.
  const contact = (reason: "same_phone" | "same_email", value: string | null) => {
    if (pair.reason !== reason)
      return (
        value && (
          <div className="muted" title={value}>
            {value}
          </div>
        )
      );
    if (shared.own) return <div>{mark}</div>;
    return (
      <>
        {value && <div className="muted">{value}</div>}
        <div>{mark}</div>
      </>
    );
  };
  return (
    <div className="duplicate-side" data-testid="duplicate-record" data-side={side} data-id={row.id}>
      <div className="duplicate-side-main">
        <div className="duplicate-side-name">
          <KindIcon kind={row.kind} />
          {pair.reason === "similar_name" ? mark : <span title={row.name}>{row.name}</span>}
        </div>
        {row.companyName && (
          <div className="muted" title={row.companyName}>
            {row.companyName}
          </div>
        )}
        {contact("same_phone", row.phone)}
        {contact("same_email", row.email)}
      </div>
      <button
        type="button"
        className="btn btn-small"
        data-testid="duplicate-open"
        data-side={side}
        aria-label={t("duplicates.openRecord", { name: row.name })}
        onClick={() => onOpen(row.id)}
      >
        {t("common.open")}
      </button>
    </div>
  );
}
