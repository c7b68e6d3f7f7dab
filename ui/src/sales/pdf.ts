/**
 * pdf.js, loaded only when a preview opens (its own chunk). The worker is pdf.js's module worker,
 * bundled by Vite as a file of the app (`?url`), so it loads from the app's own origin.
 */
import { GlobalWorkerOptions, getDocument } from "pdfjs-dist";
import workerUrl from "pdfjs-dist/build/pdf.worker.min.mjs?url";

GlobalWorkerOptions.workerSrc = workerUrl;

/** Draws every page of `data` into a fresh canvas, in order; `onPage` receives each as it is drawn. */
export async function renderPdf(data: ArrayBuffer, onPage: (canvas: HTMLCanvasElement, n: number) => void, scale = 1.4): Promise<number> {
  const doc = await getDocument({ data: new Uint8Array(data), isEvalSupported: false }).promise;
  try {
    for (let n = 1; n <= doc.numPages; n++) {
      const page = await doc.getPage(n);
      const viewport = page.getViewport({ scale });
      const canvas = document.createElement("canvas");
      canvas.width = Math.floor(viewport.width);
      canvas.height = Math.floor(viewport.height);
      await page.render({ canvas, viewport }).promise;
      onPage(canvas, n);
    }
    return doc.numPages;
  } finally {
    void doc.destroy();
  }
}
