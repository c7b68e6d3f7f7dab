/** Settings → Sales: a file that is not an image is refused next to the logo field. */
import { act, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import { App } from "../shell/App";
import { useFakeBackend } from "../test/fakeBackend";

const { invoke } = vi.hoisted(() => ({ invoke: vi.fn() }));
vi.mock("@tauri-apps/api/core", () => ({ invoke }));

describe("the sales settings", () => {
  const backend = useFakeBackend(invoke);

  it("shows why a logo that is not an image was refused, and takes a PNG", async () => {
    render(<App />);
    fireEvent.click(await screen.findByTestId("nav-settings"));
    const input = (await screen.findByTestId("logo-input")) as HTMLInputElement;
    await act(async () => {
      fireEvent.change(input, { target: { files: [new File(["not an image"], "notes.txt", { type: "text/plain" })] } });
    });
    await waitFor(() => expect(document.querySelector('[data-error-for="logo"]')).not.toBeNull());
    const error = document.querySelector('[data-error-for="logo"]')!;
    expect(error.textContent).toBe("Logo: is not an image (choose a PNG or JPEG file)");
    expect(input.getAttribute("aria-invalid")).toBe("true");
    await act(async () => {
      fireEvent.change(input, { target: { files: [new File([new Uint8Array([0x89, 0x50, 0x4e, 0x47])], "logo.png", { type: "image/png" })] } });
    });
    await screen.findByTestId("logo-preview");
    expect(document.querySelector('[data-error-for="logo"]')).toBeNull();
    expect(backend().calls.filter((c) => c.command === "set_logo")).toHaveLength(2);
  });

  it("saves the settings typed", async () => {
    render(<App />);
    fireEvent.click(await screen.findByTestId("nav-settings"));
    await screen.findByTestId("sales-settings");
    fireEvent.change(document.querySelector('[name="homeCurrency"]')!, { target: { value: "usd" } });
    await act(async () => {
      fireEvent.click(document.querySelector('[data-action="save-sales-settings"]')!);
    });
    await waitFor(() => expect(backend().sales.settings.homeCurrency).toBe("USD"));
  });
});
