/// <reference types="vitest/config" />
import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";

// Tauri serves the built files from ui/dist over its own protocol, so asset paths must be
// relative; the dev server port is the one src-tauri's devUrl points at.
export default defineConfig({
  base: "./",
  plugins: [react()],
  clearScreen: false,
  // The dev server may read above ui/: the UI bundles the shared message catalogues from
  // ../locales (see src/i18n/index.ts).
  server: { port: 1420, strictPort: true, fs: { allow: [".."] } },
  // The oldest webviews Tauri 2 ships on: WebView2 (Chromium) on Windows, WebKit on macOS and Linux.
  // One bundle read from disk (never over a network), so the 500 kB web warning means little here.
  build: { outDir: "dist", target: ["chrome105", "safari15"], emptyOutDir: true, chunkSizeWarningLimit: 800 },
  test: {
    environment: "jsdom",
    globals: true,
    setupFiles: ["src/test/setup.ts"],
    include: ["src/**/*.test.{ts,tsx}"],
  },
});
