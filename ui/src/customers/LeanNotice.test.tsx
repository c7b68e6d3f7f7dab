/**
 * The customer list says when the book is too large for the memory allowed (the core's lean
 * mode: slower pages from the disk), in the user's language, and says nothing otherwise.
 */
import { act, render, screen } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import i18n from "../i18n";
import { App } from "../shell/App";
import { useFakeBackend } from "../test/fakeBackend";

const { invoke } = vi.hoisted(() => ({ invoke: vi.fn() }));
vi.mock("@tauri-apps/api/core", () => ({ invoke }));

const backend = useFakeBackend(invoke);

describe("the lean mode note", () => {
  it("is absent while the index is in memory", async () => {
    backend().seed({ name: "Tea Shop" });
    render(<App />);
    await screen.findByText("Tea Shop");
    expect(screen.queryByTestId("lean-mode-note")).toBeNull();
  });

  it("says what the index needs and what is allowed, in English and in Chinese", async () => {
    backend().seed({ name: "Tea Shop" });
    backend().indexMode = { mode: "lean", neededMb: 2400, allowedMb: 512 };
    render(<App />);
    const note = await screen.findByTestId("lean-mode-note");
    expect(note.textContent).toContain("about 2,400 MB, 512 MB allowed");
    expect(note.textContent).toContain("slower");
    await act(async () => {
      await i18n.changeLanguage("zh-CN");
    });
    expect(screen.getByTestId("lean-mode-note").textContent).toContain("约需 2,400 MB，可用 512 MB");
    await act(async () => {
      await i18n.changeLanguage("en");
    });
  });
});
