/** A quote's or contract's PDF: preview in the window (pdf.js), save to Downloads, open, print. */
import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { commands, type DocumentKind } from "../bindings";
import { call } from "../lib/result";
import { useToast } from "../lib/toast";
import { documentPdf } from "./api";

export function PdfButtons({ kind, id }: { kind: DocumentKind; id: string }) {
  const { t } = useTranslation();
  const toast = useToast();
  const [preview, setPreview] = useState(false);
  const [saved, setSaved] = useState<string | null>(null);
  const open = async (print: boolean) => {
    const r = await call(commands.openDocumentPdf(kind, id, print));
    if (r.status === "error") toast.show({ message: r.error.message, tone: "error" });
  };
  const save = async () => {
    const r = await call(commands.saveDocumentPdf(kind, id));
    if (r.status === "error") return toast.show({ message: r.error.message, tone: "error" });
    setSaved(r.data.path);
    toast.show({ message: t("sales.pdfSaved", { path: r.data.path }), kind: "pdf-saved" });
  };
  return (
    <div className="pdf-buttons" data-testid="pdf-buttons">
      <button type="button" className="btn btn-small" data-action="preview-pdf" onClick={() => setPreview(true)}>
        {t("sales.pdfPreview")}
      </button>
      <button type="button" className="btn btn-small" data-action="save-pdf" onClick={() => void save()}>
        {t("sales.pdfSave")}
      </button>
      <button type="button" className="btn btn-small" data-action="open-pdf" onClick={() => void open(false)}>
        {t("sales.pdfOpen")}
      </button>
      <button type="button" className="btn btn-small" data-action="print-pdf" onClick={() => void open(true)}>
        {t("sales.pdfPrint")}
      </button>
      {saved && (
        <span className="muted pdf-saved" data-saved-pdf={saved} title={saved}>
          {t("sales.pdfSavedAt", { path: saved })}
        </span>
      )}
      {preview && <PdfPreview kind={kind} id={id} onClose={() => setPreview(false)} onOpen={() => void open(false)} />}
    </div>
  );
}

function PdfPreview({ kind, id, onClose, onOpen }: { kind: DocumentKind; id: string; onClose: () => void; onOpen: () => void }) {
  const { t } = useTranslation();
  const pages = useRef<HTMLDivElement>(null);
  const [state, setState] = useState<{ busy: boolean; error: string | null; count: number }>({ busy: true, error: null, count: 0 });
  useEffect(() => {
    let cancelled = false;
    const holder = pages.current;
    void (async () => {
      const bytes = await documentPdf(kind, id);
      if (cancelled) return;
      if (bytes.status === "error") return setState({ busy: false, error: bytes.error.message, count: 0 });
      try {
        const { renderPdf } = await import("./pdf");
        const count = await renderPdf(bytes.data, (canvas, n) => {
          if (cancelled || !holder) return;
          canvas.dataset.pdfPage = String(n);
          canvas.className = "pdf-page";
          holder.appendChild(canvas);
        });
        if (!cancelled) setState({ busy: false, error: null, count });
      } catch (e) {
        if (!cancelled) setState({ busy: false, error: e instanceof Error ? e.message : String(e), count: 0 });
      }
    })();
    return () => {
      cancelled = true;
      holder?.replaceChildren();
    };
  }, [kind, id]);
  return (
    <div className="overlay" role="presentation" onKeyDown={(e) => e.key === "Escape" && onClose()}>
      <div className="dialog pdf-dialog" role="dialog" aria-modal="true" aria-label={t("sales.pdfPreview")} data-pdf-preview={kind} data-testid="pdf-preview" aria-busy={state.busy || undefined} data-pages={state.count}>
        <div className="pdf-dialog-head">
          <h2 className="dialog-title">{t("sales.pdfPreview")}</h2>
          <button type="button" className="btn btn-small" data-action="close-preview" autoFocus onClick={onClose}>
            {t("sales.close")}
          </button>
        </div>
        {state.busy && <p className="muted">{t("sales.loading")}</p>}
        {state.error && (
          <div className="banner banner-error" role="alert" data-testid="pdf-error">
            {t("sales.pdfFailed", { message: state.error })}{" "}
            <button type="button" className="btn btn-small" data-action="open-pdf-instead" onClick={onOpen}>
              {t("sales.pdfOpen")}
            </button>
          </div>
        )}
        <div className="pdf-pages" ref={pages} />
      </div>
    </div>
  );
}
