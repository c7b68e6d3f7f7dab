/**
 * The knowledge base: articles found as you type (Chinese substrings too: the core matches them,
 * the page only passes the text on), one article with its problem and solution as written, and
 * the editor that writes or changes one.
 */
import { useCallback, useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { commands, type Article, type ArticleHit, type ArticleId, type ArticleInput, type Product } from "../bindings";
import { call } from "../lib/result";
import { useRouter, type Route } from "../lib/router";
import { useKeepClearOfToasts, useToast } from "../lib/toast";
import { fieldErrors, onServiceChanged, serviceChanged, useServiceReload } from "./api";
import { FieldError } from "./parts";

declare module "../lib/router" {
  interface Routes {
    articles: {};
    article: { id: ArticleId };
    "article-new": {};
    "article-edit": { id: ArticleId };
  }
}

/** How many articles a search lists; an empty query lists them all, up to this. */
const LIMIT = 200;
/** Typing pauses this long before the search runs, so each keystroke does not ask the core. */
const DEBOUNCE_MS = 150;
/** An article's language: empty for any, `en` or `zh`. */
const LANGUAGES = ["", "en", "zh"] as const;

/** Keeps line breaks as they were typed (steps, numbered lists). */
const PRE_WRAP = { whiteSpace: "pre-wrap" } as const;

/** A language as the page names it; a value the core has and the page does not know, as it is. */
function useLanguageName(): (language: string) => string {
  const { t } = useTranslation();
  return (language) => (language === "" ? t("kb.languages.any") : language === "en" ? t("kb.languages.en") : language === "zh" ? t("kb.languages.zh") : language);
}

/** Tags as typed: split on commas (ASCII or Chinese, and 、), trimmed, empty and repeated ones dropped. */
export function parseTags(text: string): string[] {
  return [...new Set(text.split(/[,，、]/).map((s) => s.trim()).filter(Boolean))];
}

function Message({ text, error = false }: { text: string; error?: boolean }) {
  return (
    <div className="page">
      <div className="page-body">{error ? <p className="banner banner-error" role="alert">{text}</p> : <p className="muted">{text}</p>}</div>
    </div>
  );
}

export function ArticlesPage() {
  const { t } = useTranslation();
  const { navigate } = useRouter();
  const languageName = useLanguageName();
  const [query, setQuery] = useState("");
  const [hits, setHits] = useState<ArticleHit[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  // Bumped when articles change (saved here, or another device's arrived): the search runs again.
  const [version, setVersion] = useState(0);
  const first = useRef(true);
  useEffect(() => onServiceChanged(() => setVersion((v) => v + 1)), []);
  useEffect(() => {
    let live = true;
    const delay = first.current ? 0 : DEBOUNCE_MS;
    first.current = false;
    const timer = setTimeout(() => {
      void call(commands.searchArticles(query.trim(), LIMIT)).then((r) => {
        if (!live) return;
        if (r.status === "ok") {
          setHits(r.data);
          setError(null);
        } else setError(r.error.message);
      });
    }, delay);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [query, version]);

  return (
    <div className="page kb-page articles-page" data-testid="articles-page">
      <div className="page-header">
        <h1 className="page-title">{t("kb.title")}</h1>
        <div className="page-actions">
          <button type="button" className="btn btn-primary" data-action="new-article" onClick={() => navigate({ name: "article-new" })}>
            {t("kb.newArticle")}
          </button>
        </div>
      </div>
      <div className="page-body">
        <input
          className="input"
          type="search"
          name="query"
          data-testid="kb-search"
          spellCheck={false}
          placeholder={t("kb.search")}
          aria-label={t("kb.search")}
          value={query}
          autoFocus
          onChange={(e) => setQuery(e.target.value)}
        />
        {error && (
          <p className="banner banner-error" role="alert">
            {error}
          </p>
        )}
        {hits?.length === 0 && <p className="muted" data-testid="kb-empty">{query.trim() ? t("kb.noMatch", { query: query.trim() }) : t("kb.empty")}</p>}
        {hits && hits.length > 0 && (
          <ul className="kb-hits" data-testid="kb-hits" style={{ listStyle: "none", padding: 0 }}>
            {hits.map((h) => (
              <li key={h.id}>
                <button type="button" className="link-button kb-hit" data-testid="kb-hit" data-id={h.id} onClick={() => navigate({ name: "article", id: h.id })}>
                  <span className="kb-hit-title">{h.title}</span>
                  {h.language && (
                    <>
                      {" "}
                      <span className="badge kb-language" data-language={h.language}>
                        {languageName(h.language)}
                      </span>
                    </>
                  )}
                </button>
              </li>
            ))}
          </ul>
        )}
      </div>
    </div>
  );
}

export function ArticlePage({ id }: { id: ArticleId }) {
  const { t } = useTranslation();
  const { navigate } = useRouter();
  const languageName = useLanguageName();
  const products = useProducts();
  const [article, setArticle] = useState<Article | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(() => {
    void call(commands.getArticle(id)).then((r) => (r.status === "ok" ? setArticle(r.data) : setError(r.error.message)));
  }, [id]);
  useServiceReload(load);
  if (error) return <Message text={error} error />;
  if (!article) return <Message text={t("kb.loading")} />;
  const a = article;
  const ticket = a.sourceTicketId;
  return (
    <div className="page kb-page article-page" data-testid="article-page" data-id={a.id}>
      <div className="page-header">
        <h1 className="page-title" title={a.title} data-testid="article-title">
          {a.title}
        </h1>
        <div className="page-actions">
          <button type="button" className="btn" data-action="edit-article" onClick={() => navigate({ name: "article-edit", id: a.id })}>
            {t("kb.edit")}
          </button>
        </div>
      </div>
      <div className="page-body">
        <dl className="card kb-facts">
          <dt>{t("kb.field.language")}</dt>
          <dd data-testid="article-language" data-language={a.language}>
            {languageName(a.language)}
          </dd>
          {a.productId && (
            <>
              <dt>{t("kb.field.product")}</dt>
              <dd data-testid="article-product">{products.find((p) => p.id === a.productId)?.name ?? ""}</dd>
            </>
          )}
          {a.tags.length > 0 && (
            <>
              <dt>{t("kb.field.tags")}</dt>
              <dd className="kb-tags" data-testid="article-tags">
                {a.tags.map((tag) => (
                  <span key={tag} className="chip" data-testid="article-tag">
                    {tag}
                  </span>
                ))}
              </dd>
            </>
          )}
          {ticket && (
            <>
              <dt>{t("kb.source")}</dt>
              <dd>
                <button
                  type="button"
                  className="link-button"
                  data-testid="article-source-ticket"
                  // The ticket page is the service module's; its route is declared in module.tsx.
                  onClick={() => navigate({ name: "ticket", id: ticket } as unknown as Route)}
                >
                  {t("kb.fromTicket")}
                </button>
              </dd>
            </>
          )}
        </dl>
        {a.problem && (
          <section>
            <h2 className="section-title">{t("kb.field.problem")}</h2>
            <p className="pre-wrap" style={PRE_WRAP} data-testid="article-problem">
              {a.problem}
            </p>
          </section>
        )}
        <section>
          <h2 className="section-title">{t("kb.field.solution")}</h2>
          <p className="pre-wrap" style={PRE_WRAP} data-testid="article-solution">
            {a.solution}
          </p>
        </section>
      </div>
    </div>
  );
}

type Draft = Omit<ArticleInput, "tags" | "productId"> & { tags: string; productId: string };

const blank = (): Draft => ({ title: "", problem: "", solution: "", tags: "", language: "", productId: "" });

/** The catalogue's products (for an article's product), in the UI's language. */
function useProducts(): { id: string; name: string }[] {
  const { i18n } = useTranslation();
  const [products, setProducts] = useState<Product[]>([]);
  useEffect(() => {
    void call(commands.listProducts("", true)).then((r) => r.status === "ok" && setProducts(r.data));
  }, []);
  const zh = i18n.language.startsWith("zh");
  return products.map((p) => ({ id: p.id, name: (zh ? p.nameZh || p.nameEn : p.nameEn || p.nameZh) || p.code }));
}

/** Writes a new article, or with `id` changes that one; Save opens it, Cancel goes back. */
export function ArticleEditor({ id }: { id?: ArticleId }) {
  const { t } = useTranslation();
  const { navigate, back } = useRouter();
  const toast = useToast();
  const keepClearOfToasts = useKeepClearOfToasts();
  const languageName = useLanguageName();
  const products = useProducts();
  const [draft, setDraft] = useState<Draft | null>(() => (id ? null : blank()));
  const [loadError, setLoadError] = useState<string | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [saving, setSaving] = useState(false);

  useEffect(() => {
    if (!id) return;
    let live = true;
    void call(commands.getArticle(id)).then((r) => {
      if (!live) return;
      if (r.status === "error") return setLoadError(r.error.message);
      const a = r.data;
      setDraft({ title: a.title, problem: a.problem, solution: a.solution, tags: a.tags.join(", "), language: a.language, productId: a.productId ?? "" });
    });
    return () => {
      live = false;
    };
  }, [id]);

  if (loadError) return <Message text={loadError} error />;
  if (!draft) return <Message text={t("kb.loading")} />;

  const change = (field: keyof Draft, value: string) => {
    setDraft((d) => (d ? { ...d, [field]: value } : d));
    setErrors((e) => Object.fromEntries(Object.entries(e).filter(([k]) => k !== field && k !== "form")));
  };
  const save = async () => {
    const input: ArticleInput = { ...draft, tags: parseTags(draft.tags), productId: draft.productId || null };
    setSaving(true);
    const r = await call(id ? commands.updateArticle(id, input) : commands.createArticle(input));
    setSaving(false);
    if (r.status === "error") {
      const fe = fieldErrors(r.error);
      return setErrors(Object.keys(fe).length ? fe : { form: r.error.message });
    }
    serviceChanged();
    toast.show({ message: t("kb.saved", { title: r.data.title }), kind: "article-saved" });
    navigate({ name: "article", id: r.data.id }, { replace: true });
  };
  const invalid = (field: string) => ({ "aria-invalid": errors[field] ? true : undefined, "data-field": field });

  return (
    <div className="page kb-page article-editor" data-testid="article-editor" data-id={id}>
      <div className="page-header">
        <h1 className="page-title">{id ? t("kb.editArticle") : t("kb.newArticle")}</h1>
      </div>
      <div className="page-body">
        <form
          className="form kb-form"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            void save();
          }}
        >
          {errors.form && (
            <p className="field-error" role="alert">
              {errors.form}
            </p>
          )}
          <label className="form-field">
            <span className="form-label">{t("kb.field.title")}</span>
            <input className="input" name="title" value={draft.title} {...invalid("title")} onChange={(e) => change("title", e.target.value)} />
            <FieldError errors={errors} field="title" />
          </label>
          <label className="form-field">
            <span className="form-label">{t("kb.field.problem")}</span>
            <textarea className="textarea" name="problem" rows={4} placeholder={t("kb.problemHint")} value={draft.problem} {...invalid("problem")} onChange={(e) => change("problem", e.target.value)} />
            <FieldError errors={errors} field="problem" />
          </label>
          <label className="form-field">
            <span className="form-label">{t("kb.field.solution")}</span>
            <textarea className="textarea" name="solution" rows={8} placeholder={t("kb.solutionHint")} value={draft.solution} {...invalid("solution")} onChange={(e) => change("solution", e.target.value)} />
            <FieldError errors={errors} field="solution" />
          </label>
          <div className="form-row">
            <label className="form-field">
              <span className="form-label">{t("kb.field.tags")}</span>
              <input className="input" name="tags" placeholder={t("kb.tagsHint")} value={draft.tags} {...invalid("tags")} onChange={(e) => change("tags", e.target.value)} />
              <FieldError errors={errors} field="tags" />
            </label>
            <label className="form-field">
              <span className="form-label">{t("kb.field.language")}</span>
              <select className="select" name="language" value={draft.language} {...invalid("language")} onChange={(e) => change("language", e.target.value)}>
                {LANGUAGES.map((l) => (
                  <option key={l} value={l}>
                    {languageName(l)}
                  </option>
                ))}
                {!(LANGUAGES as readonly string[]).includes(draft.language) && <option value={draft.language}>{draft.language}</option>}
              </select>
              <FieldError errors={errors} field="language" />
            </label>
            <label className="form-field">
              <span className="form-label">{t("kb.field.product")}</span>
              <select className="select" name="productId" value={draft.productId} {...invalid("productId")} onChange={(e) => change("productId", e.target.value)}>
                <option value="">{t("kb.noProduct")}</option>
                {products.map((p) => (
                  <option key={p.id} value={p.id}>
                    {p.name}
                  </option>
                ))}
              </select>
              <FieldError errors={errors} field="productId" />
            </label>
          </div>
          <div className="form-actions" data-sticky="bottom" ref={keepClearOfToasts}>
            <button type="submit" className="btn btn-primary" data-action="save-article" disabled={saving}>
              {t("kb.save")}
            </button>
            <button type="button" className="btn" data-action="cancel-article" onClick={() => back()}>
              {t("kb.cancel")}
            </button>
          </div>
        </form>
      </div>
    </div>
  );
}
