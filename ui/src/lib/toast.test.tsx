/**
 * Toasts as the user sees them: they leave by themselves (an Undo toast once its undo window is
 * over), and they never sit over a form's sticky Save bar.
 */
import { act, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { App } from "../shell/App";
import { useFakeBackend } from "../test/fakeBackend";
import { ACTION_TOAST_MS, TOAST_MS, ToastProvider, useToast } from "./toast";

const { invoke } = vi.hoisted(() => ({ invoke: vi.fn() }));
vi.mock("@tauri-apps/api/core", () => ({ invoke }));

function Buttons() {
  const toast = useToast();
  return (
    <>
      <button type="button" onClick={() => toast.show({ message: "Saved" })}>
        info
      </button>
      <button type="button" onClick={() => toast.show({ message: "Deleted Acme", action: { label: "Undo", testId: "undo", run: () => {} } })}>
        undo
      </button>
    </>
  );
}

describe("toasts", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("leave by themselves: a plain one after a few seconds, one with Undo once its undo window is over", () => {
    vi.useFakeTimers();
    render(
      <ToastProvider>
        <Buttons />
      </ToastProvider>,
    );
    fireEvent.click(screen.getByText("info"));
    fireEvent.click(screen.getByText("undo"));
    const messages = () => screen.queryAllByTestId("toast-message").map((m) => m.textContent);
    expect(messages()).toEqual(["Saved", "Deleted Acme"]);

    act(() => vi.advanceTimersByTime(TOAST_MS - 1));
    expect(messages()).toEqual(["Saved", "Deleted Acme"]);
    act(() => vi.advanceTimersByTime(1));
    // The plain toast is gone; Undo is still within reach.
    expect(messages()).toEqual(["Deleted Acme"]);
    expect(screen.getByTestId("undo")).toBeTruthy();

    act(() => vi.advanceTimersByTime(ACTION_TOAST_MS - TOAST_MS));
    expect(messages()).toEqual([]);
    expect(screen.queryByTestId("toast")).toBeNull();
  });

  it("keep their few seconds each, however many arrive after them", () => {
    vi.useFakeTimers();
    render(
      <ToastProvider>
        <Buttons />
      </ToastProvider>,
    );
    fireEvent.click(screen.getByText("info"));
    act(() => vi.advanceTimersByTime(TOAST_MS / 2));
    fireEvent.click(screen.getByText("info"));
    act(() => vi.advanceTimersByTime(TOAST_MS / 2));
    expect(screen.getAllByTestId("toast")).toHaveLength(1);
    act(() => vi.advanceTimersByTime(TOAST_MS / 2));
    expect(screen.queryByTestId("toast")).toBeNull();
  });
});

describe("toasts over a form", () => {
  const backend = useFakeBackend(invoke);
  const HEIGHT = 700;
  // jsdom has no layout: the form's Save bar is put at the window's foot, as on a small laptop
  // screen where the form is longer than the window and the bar sticks there.
  const placeBar = (top: number) =>
    vi.spyOn(HTMLElement.prototype, "getBoundingClientRect").mockImplementation(function (this: HTMLElement) {
      const box = this.classList.contains("form-actions") ? { top, bottom: top + 56, height: 56 } : { top: 0, bottom: 0, height: 0 };
      return { ...box, left: 0, right: 800, width: 800, x: 0, y: box.top, toJSON: () => box } as DOMRect;
    });

  afterEach(() => {
    vi.restoreAllMocks();
  });

  it("move up above the sticky Save bar while the form is open, and back down once it is closed", async () => {
    vi.spyOn(window, "innerHeight", "get").mockReturnValue(HEIGHT);
    placeBar(HEIGHT - 56);
    const acme = backend().seed({ name: "Acme" });
    render(<App />);
    fireEvent.click(await screen.findByTestId("customer-row"));
    await screen.findByTestId("customer-detail");
    await act(async () => {
      fireEvent.click(screen.getByTestId("delete"));
    });
    await screen.findByTestId("undo");
    expect(backend().customers.get(acme.id)?.deletedAt).not.toBeNull();
    const toasts = screen.getByTestId("toasts");
    expect(toasts.dataset.lifted).toBeUndefined();

    fireEvent.click(screen.getByTestId("new-person"));
    await screen.findByTestId("customer-form");
    // The toasts' bottom edge is above the bar's top: Save and Cancel stay visible and clickable.
    await waitFor(() => expect(toasts.dataset.lifted).toBe("true"));
    const toastsBottom = HEIGHT - parseFloat(toasts.style.bottom);
    expect(toastsBottom).toBeLessThan(HEIGHT - 56);
    expect(screen.getByTestId("undo")).toBeTruthy();

    fireEvent.click(screen.getByTestId("cancel"));
    await waitFor(() => expect(screen.queryByTestId("customer-form")).toBeNull());
    await waitFor(() => expect(toasts.dataset.lifted).toBeUndefined());
    expect(toasts.style.bottom).toBe("");
  });

  it("stay in their corner when a short form's Save bar ends well above it", async () => {
    vi.spyOn(window, "innerHeight", "get").mockReturnValue(HEIGHT);
    placeBar(300);
    const acme = backend().seed({ name: "Acme" });
    render(<App />);
    fireEvent.click(await screen.findByTestId("customer-row"));
    await screen.findByTestId("customer-detail");
    await act(async () => {
      fireEvent.click(screen.getByTestId("delete"));
    });
    await screen.findByTestId("undo");
    expect(backend().customers.get(acme.id)?.deletedAt).not.toBeNull();
    fireEvent.click(screen.getByTestId("new-person"));
    await screen.findByTestId("customer-form");
    expect(screen.getByTestId("toasts").dataset.lifted).toBeUndefined();
  });
});
