/**
 * A lazy page: drawn once its chunk is in, drawn at once after that, and never started over while
 * it is shown (what the user typed stays).
 */
import { act, fireEvent, render, screen } from "@testing-library/react";
import { Component, Suspense, useState, type ComponentType, type ReactNode } from "react";
import { describe, expect, it, vi } from "vitest";
import { lazyPages } from "./lazy";

function Form({ label }: { label: string }) {
  const [text, setText] = useState("");
  return (
    <label>
      {label}
      <input data-testid="typed" value={text} onChange={(e) => setText(e.target.value)} />
    </label>
  );
}

function chunk() {
  let arrive!: () => void;
  const loads: number[] = [];
  const load = () => {
    loads.push(1);
    return new Promise<{ Form: typeof Form }>((resolve) => (arrive = () => resolve({ Form })));
  };
  return { load, loads, arrive: () => arrive() };
}

function Host({ Page }: { Page: ComponentType<{ label: string }> }) {
  const [n, setN] = useState(0);
  return (
    <Suspense fallback={<p data-testid="waiting" />}>
      <button data-testid="rerender" onClick={() => setN(n + 1)}>
        {n}
      </button>
      <Page label={`Name ${n}`} />
    </Suspense>
  );
}

describe("lazyPages", () => {
  it("draws the page when its chunk arrives, keeps it through its parent's renders, and draws it at once next time", async () => {
    const c = chunk();
    const { Form: Page } = lazyPages(c.load);
    const first = render(<Host Page={Page} />);
    expect(screen.getByTestId("waiting")).toBeTruthy();
    expect(screen.queryByTestId("typed")).toBeNull();
    await act(async () => c.arrive());
    const box = await screen.findByTestId("typed");
    fireEvent.change(box, { target: { value: "王芳" } });
    fireEvent.click(screen.getByTestId("rerender"));
    expect(screen.getByText("Name 1")).toBeTruthy();
    // The same input, with what was typed: the page was not started over.
    expect((screen.getByTestId("typed") as HTMLInputElement).value).toBe("王芳");
    first.unmount();

    // Its chunk is in now: drawn in the first render, no waiting, and not fetched again.
    render(<Host Page={Page} />);
    expect(screen.queryByTestId("waiting")).toBeNull();
    expect((screen.getByTestId("typed") as HTMLInputElement).value).toBe("");
    expect(c.loads.length).toBe(1);
  });

  it("fails with the page's name when its chunk does not export it", async () => {
    const c = chunk();
    const { Missing } = lazyPages(c.load as unknown as () => Promise<{ Form: typeof Form; Missing: typeof Form }>);
    let caught: unknown = null;
    class Boundary extends Component<{ children: ReactNode }, { failed: boolean }> {
      state = { failed: false };
      static getDerivedStateFromError() {
        return { failed: true };
      }
      componentDidCatch(error: unknown) {
        caught = error;
      }
      render() {
        return this.state.failed ? <p data-testid="failed" /> : this.props.children;
      }
    }
    const quiet = vi.spyOn(console, "error").mockImplementation(() => {});
    render(
      <Boundary>
        <Host Page={Missing} />
      </Boundary>,
    );
    await act(async () => c.arrive());
    await screen.findByTestId("failed");
    quiet.mockRestore();
    expect(String(caught)).toContain("Missing is not among the pages its chunk exports");
  });
});
