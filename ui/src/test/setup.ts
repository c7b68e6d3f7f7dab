import { cleanup } from "@testing-library/react";
import { afterEach, beforeAll, vi } from "vitest";
import { initI18n } from "../i18n";

initI18n("en");

// The App adds its modules' texts itself; tests that render a module's parts alone need them too.
// Imported only now: the registry brings in bindings.ts, which must see the test file's mock of
// Tauri's `invoke`, and that mock is in place once the test file has been loaded.
beforeAll(async () => {
  const [{ MODULES }, { addModuleTranslations }, { preloadPages }] = await Promise.all([import("../app/modules"), import("../shell/module"), import("../lib/lazy")]);
  addModuleTranslations(MODULES);
  // As the window does once it has started: every page's chunk in, so a test's first visit to a
  // page draws it at once, as later visits do (lib/lazy.test.tsx covers the first-visit path).
  await preloadPages();
});

// jsdom has no layout engine, so it leaves out layout-only APIs the UI calls.
if (!Element.prototype.scrollIntoView) Element.prototype.scrollIntoView = () => {};
// jsdom's Blob has no arrayBuffer() (the import page reads the picked file with it); FileReader does it.
if (!Blob.prototype.arrayBuffer) {
  Blob.prototype.arrayBuffer = function (this: Blob) {
    return new Promise<ArrayBuffer>((resolve, reject) => {
      const reader = new FileReader();
      reader.onload = () => resolve(reader.result as ArrayBuffer);
      reader.onerror = () => reject(reader.error);
      reader.readAsArrayBuffer(this);
    });
  };
}

afterEach(() => {
  // A test that faked the clock (src/test/timers.ts) and failed before giving it back.
  vi.useRealTimers();
  cleanup();
  localStorage.clear();
});
