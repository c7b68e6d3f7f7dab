/** The catalogue: search, add or edit a product (prices per currency), import and export CSV. */
import { useCallback, useState } from "react";
import { useTranslation } from "react-i18next";
import { commands, type Product, type ProductInput, type RowError } from "../bindings";
import { call } from "../lib/result";
import { useToast } from "../lib/toast";
import { fieldErrors, importProducts, money, salesChanged, useSalesReload } from "./api";
import { FieldError } from "./parts";

const blank = (): ProductInput => ({ code: "", nameEn: "", nameZh: "", unit: "", taxPercent: "", active: true, notes: "", prices: [{ currency: "", price: "" }] });

export function ProductsPage() {
  const { t } = useTranslation();
  const toast = useToast();
  const [query, setQuery] = useState("");
  const [items, setItems] = useState<Product[] | null>(null);
  const [editing, setEditing] = useState<{ id: string | null; input: ProductInput } | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [rowErrors, setRowErrors] = useState<RowError[]>([]);
  const load = useCallback(() => {
    void call(commands.listProducts(query, true)).then((r) => r.status === "ok" && setItems(r.data));
  }, [query]);
  useSalesReload(load);

  const save = async () => {
    if (!editing) return;
    const r = await call(editing.id ? commands.updateProduct(editing.id, editing.input) : commands.createProduct(editing.input));
    if (r.status === "error") {
      const fe = fieldErrors(r.error);
      return setErrors(Object.keys(fe).length ? fe : { form: r.error.message });
    }
    setErrors({});
    setEditing(null);
    salesChanged();
  };
  const remove = async (p: Product) => {
    if (!window.confirm(t("sales.confirmDeleteProduct", { name: p.nameEn || p.nameZh }))) return;
    const r = await call(commands.deleteProduct(p.id));
    if (r.status === "error") return toast.show({ message: r.error.message, tone: "error" });
    salesChanged();
  };
  const doImport = async (file: File) => {
    const r = await importProducts(file);
    if (r.status === "error") return toast.show({ message: r.error.message, tone: "error" });
    setRowErrors(r.data.errors);
    if (r.data.errors.length === 0) {
      toast.show({ message: t("sales.productsImported", { created: r.data.created, updated: r.data.updated }), kind: "products-imported" });
      salesChanged();
    }
  };
  const doExport = async () => {
    const r = await call(commands.exportProducts());
    if (r.status === "error") return toast.show({ message: r.error.message, tone: "error" });
    toast.show({ message: t("sales.productsExported", { count: r.data.count, path: r.data.path }), kind: "export" });
  };
  const ed = editing?.input;
  const set = (patch: Partial<ProductInput>, ...fields: string[]) => {
    setEditing((e) => (e ? { ...e, input: { ...e.input, ...patch } } : e));
    setErrors((e) => Object.fromEntries(Object.entries(e).filter(([k]) => !fields.some((f) => k === f || k.startsWith(`${f}.`)))));
  };
  const invalid = (f: string) => ({ "aria-invalid": errors[f] ? true : undefined, "data-field": f });

  return (
    <div className="page sales-page products-page" data-testid="products-page">
      <div className="page-header">
        <h1 className="page-title">{t("sales.products")}</h1>
        <div className="page-actions">
          <button type="button" className="btn btn-primary" data-action="new-product" onClick={() => { setErrors({}); setEditing({ id: null, input: blank() }); }}>
            {t("sales.newProduct")}
          </button>
          <label className="btn file-button">
            {t("sales.importCsv")}
            <input type="file" accept=".csv,text/csv" className="visually-hidden" data-action="import-products" data-testid="products-file" onChange={(e) => { const f = e.target.files?.[0]; e.target.value = ""; if (f) void doImport(f); }} />
          </label>
          <button type="button" className="btn" data-action="export-products" onClick={() => void doExport()}>
            {t("sales.exportCsv")}
          </button>
        </div>
      </div>
      <div className="page-body">
        <input spellCheck={false} className="input" type="search" name="query" placeholder={t("sales.searchProducts")} aria-label={t("sales.searchProducts")} value={query} onChange={(e) => setQuery(e.target.value)} />
        {rowErrors.length > 0 && (
          <ul className="field-error" role="alert" data-testid="product-import-errors">
            {rowErrors.map((e, i) => (
              <li key={i}>{t("sales.rowError", { row: e.row, column: e.column || "—", message: e.message })}</li>
            ))}
          </ul>
        )}
        {ed && (
          <form className="card form sales-form product-form" data-testid="product-form" noValidate onSubmit={(e) => { e.preventDefault(); void save(); }}>
            {errors.form && <p className="field-error" role="alert">{errors.form}</p>}
            <div className="form-row form-row-4">
              {(["code", "nameEn", "nameZh", "unit", "taxPercent"] as const).map((k) => (
                <label key={k} className="form-field">
                  <span className="form-label">{t(`sales.${k}`)}</span>
                  <input className="input" name={k} value={ed[k]} {...invalid(k)} onChange={(e) => set({ [k]: e.target.value }, k)} />
                  <FieldError errors={errors} field={k} />
                </label>
              ))}
              <label className="form-field checkbox-field">
                <input type="checkbox" name="active" checked={ed.active} onChange={(e) => set({ active: e.target.checked })} />
                {t("sales.active")}
              </label>
            </div>
            <fieldset className="settings-rows" data-field="prices">
              <legend className="form-label">{t("sales.prices")}</legend>
              {ed.prices.map((p, i) => (
                <div key={i} className="settings-row">
                  <input className="input input-narrow" name={`prices.${i}.currency`} placeholder={t("sales.currency")} aria-label={t("sales.currency")} value={p.currency} {...invalid(`prices.${i}.currency`)} onChange={(e) => set({ prices: ed.prices.map((x, j) => (j === i ? { ...x, currency: e.target.value.toUpperCase() } : x)) }, `prices.${i}.currency`)} />
                  <input className="input" name={`prices.${i}.price`} inputMode="decimal" placeholder={t("sales.unitPrice")} aria-label={t("sales.unitPrice")} value={p.price} {...invalid(`prices.${i}.price`)} onChange={(e) => set({ prices: ed.prices.map((x, j) => (j === i ? { ...x, price: e.target.value } : x)) }, `prices.${i}.price`)} />
                  <button type="button" className="btn btn-small" aria-label={t("sales.remove")} onClick={() => set({ prices: ed.prices.filter((_, j) => j !== i) }, "prices")}>×</button>
                  <FieldError errors={errors} field={`prices.${i}.currency`} />
                  <FieldError errors={errors} field={`prices.${i}.price`} />
                </div>
              ))}
              <button type="button" className="btn btn-small" data-action="add-price" onClick={() => set({ prices: [...ed.prices, { currency: "", price: "" }] })}>
                {t("sales.addPrice")}
              </button>
              <FieldError errors={errors} field="prices" />
            </fieldset>
            <label className="form-field">
              <span className="form-label">{t("sales.notes")}</span>
              <textarea className="textarea" name="notes" rows={2} value={ed.notes} onChange={(e) => set({ notes: e.target.value }, "notes")} />
            </label>
            <div className="form-actions">
              <button type="submit" className="btn btn-primary" data-action="save-product">{t("sales.save")}</button>
              <button type="button" className="btn" onClick={() => setEditing(null)}>{t("sales.cancel")}</button>
            </div>
          </form>
        )}
        {items && (
          <table className="sales-table" data-testid="product-list">
            <thead>
              <tr>
                <th>{t("sales.code")}</th>
                <th>{t("sales.nameEn")}</th>
                <th>{t("sales.nameZh")}</th>
                <th>{t("sales.unit")}</th>
                <th className="num">{t("sales.taxPercent")}</th>
                <th>{t("sales.prices")}</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {items.map((p) => (
                <tr key={p.id} data-testid="product-row" data-product={p.id} data-code={p.code} className={p.active ? "" : "inactive"}>
                  <td>{p.code}</td>
                  <td title={p.nameEn}>{p.nameEn}</td>
                  <td title={p.nameZh}>{p.nameZh}</td>
                  <td>{p.unit}</td>
                  <td className="num">{p.taxPercent}</td>
                  <td>{p.prices.map((x) => money(x.price, x.currency)).join(" · ")}</td>
                  <td>
                    <button type="button" className="btn btn-small" data-action="edit-product" onClick={() => { setErrors({}); setEditing({ id: p.id, input: { code: p.code, nameEn: p.nameEn, nameZh: p.nameZh, unit: p.unit, taxPercent: p.taxPercent, active: p.active, notes: p.notes, prices: p.prices } }); }}>
                      {t("sales.edit")}
                    </button>{" "}
                    <button type="button" className="btn btn-small btn-danger" data-action="delete-product" onClick={() => void remove(p)}>
                      {t("sales.delete")}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
    </div>
  );
}
