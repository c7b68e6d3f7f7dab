// First, so each module's own stylesheet (imported by its module.tsx) follows the shared one in
// the bundle and can build on its classes.
import "./styles.css";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { initI18n } from "./i18n";
import { syncLocaleToCore } from "./i18n/locale";
import { insideTauri } from "./lib/env";
import { preloadPages } from "./lib/lazy";
import { MODULES } from "./app/modules";
import { App } from "./shell/App";
import { homeRoute } from "./shell/module";
import { NotInTauri } from "./shell/NotInTauri";

/** Long enough after the start for the first rows to be drawn on a slow laptop. */
const PRELOAD_AFTER_MS = 2000;

// Marks on the page's clock that `make bench-app` reads to see where a start goes.
performance.mark("satchel:modules-evaluated");
initI18n();
performance.mark("satchel:i18n");
const root = createRoot(document.getElementById("root")!);

if (insideTauri()) {
  // Rust starts with its own default locale; tell it ours before the first error can come back.
  void syncLocaleToCore();
  // What the window opens on may be asked for before the first render (see UiModule.askEarly).
  const home = homeRoute(MODULES);
  for (const module of MODULES) module.askEarly?.(home);
  root.render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
  performance.mark("satchel:render-asked");
  // The other pages' chunks once the list is up, so a page opened later is drawn at once.
  setTimeout(() => void preloadPages(), PRELOAD_AFTER_MS);
} else {
  root.render(<NotInTauri />);
}
