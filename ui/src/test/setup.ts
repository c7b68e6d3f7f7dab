import { cleanup } from "@testing-library/react";
import { afterEach, beforeAll, vi } from "vitest";
import { initI18n } from "../i18n";

initI18n("en");

// The App adds its modules' texts itself; tests that render a module's parts alone need them too.
// Imported only now: the registry brings in bindings.ts, which must see the test file's mock of
// Tauri's `invoke`, and that mock is in place once the test file has been loaded.
beforeAll(async () => {
  const [{ MODULES }, { addModuleTranslations }] = await Promise.all([import("../app/modules"), import("../shell/module")]);
  addModuleTranslations(MODULES);
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
