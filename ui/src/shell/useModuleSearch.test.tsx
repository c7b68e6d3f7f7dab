/**
 * The global search's state while typing: "pending" says whether what is shown answers the text in
 * the box. It is read off the text and the answer (not set at each keystroke), so these cases
 * pin down what a user sees and what Enter opens.
 */
import { act, renderHook } from "@testing-library/react";
import type { ReactNode } from "react";
import { describe, expect, it } from "vitest";
import type { ModuleSearchHit, UiModule } from "./module";
import { ModulesProvider } from "./moduleContext";
import { useModuleSearch } from "./useModuleSearch";

/** A module whose answers arrive only when the test says so, one per question, in order. */
function slowModule() {
  const asked: { text: string; answer: (titles: string[]) => void }[] = [];
  const module: UiModule = {
    id: "slow",
    nav: [],
    routes: {},
    useActions: () => [],
    translations: { en: {}, "zh-CN": {} },
    search: {
      label: "nav.slow",
      find: (text) =>
        new Promise((resolve) => {
          asked.push({
            text,
            answer: (titles) =>
              resolve({
                status: "ok",
                data: titles.map((title): ModuleSearchHit => ({ id: title, title, icon: null, route: { name: "customers" } })),
              }),
          });
        }),
    },
  };
  return { module, asked };
}

function setUp() {
  const { module, asked } = slowModule();
  // One registry for the test's life, as the app's is.
  const modules = [module];
  const wrapper = ({ children }: { children: ReactNode }) => <ModulesProvider modules={modules}>{children}</ModulesProvider>;
  const hook = renderHook(({ text }) => useModuleSearch(text, 20), { wrapper, initialProps: { text: "" } });
  const answer = async (i: number, titles: string[]) => {
    const question = asked[i];
    if (!question) throw new Error(`question ${i} was never asked (asked: ${asked.map((a) => a.text).join(", ")})`);
    await act(async () => {
      question.answer(titles);
    });
  };
  return { hook, asked, answer };
}

const titles = (s: ReturnType<typeof useModuleSearch>) => s.hits.map((h) => h.title);

describe("the global search while typing", () => {
  it("is pending from the keystroke until the answer for the text in the box arrives", async () => {
    const { hook, asked, answer } = setUp();
    expect(hook.result.current.pending).toBe(false);

    hook.rerender({ text: "王" });
    expect(hook.result.current.pending).toBe(true);
    expect(asked.map((a) => a.text)).toEqual(["王"]);

    await answer(0, ["王伟"]);
    expect(hook.result.current).toMatchObject({ pending: false, answered: "王" });
    expect(titles(hook.result.current)).toEqual(["王伟"]);
  });

  it("keeps the last answer on screen, marked pending, while the next text is asked", async () => {
    const { hook, asked, answer } = setUp();
    hook.rerender({ text: "王" });
    await answer(0, ["王伟", "王芳"]);

    hook.rerender({ text: "王伟" });
    expect(hook.result.current.pending).toBe(true);
    expect(hook.result.current.answered).toBe("王");
    expect(titles(hook.result.current)).toEqual(["王伟", "王芳"]);

    await answer(1, ["王伟"]);
    expect(asked.map((a) => a.text)).toEqual(["王", "王伟"]);
    expect(hook.result.current).toMatchObject({ pending: false, answered: "王伟" });
  });

  it("is not pending when the text goes back to what the shown answer is for, and a late answer for the abandoned text is dropped", async () => {
    const { hook, asked, answer } = setUp();
    hook.rerender({ text: "王" });
    await answer(0, ["王伟", "王芳"]);

    hook.rerender({ text: "王伟" });
    hook.rerender({ text: "王" });
    // The shown answer is the one for "王": nothing to wait for, Enter may open its first hit.
    expect(hook.result.current).toMatchObject({ pending: false, answered: "王" });

    // "王伟" was on its way; its answer must not replace the one for the text in the box.
    await answer(1, ["王伟"]);
    expect(hook.result.current.answered).toBe("王");
    expect(titles(hook.result.current)).toEqual(["王伟", "王芳"]);
    // "王" was asked again after it (typed while "王伟" was on its way) and answers the same.
    expect(asked.map((a) => a.text)).toEqual(["王", "王伟", "王"]);
    await answer(2, ["王伟", "王芳"]);
    expect(hook.result.current).toMatchObject({ pending: false, answered: "王" });
  });

  it("asks nothing and is not pending for spaces only, and a trailing space asks nothing new", async () => {
    const { hook, asked, answer } = setUp();
    hook.rerender({ text: "   " });
    expect(hook.result.current.pending).toBe(false);
    expect(asked).toHaveLength(0);

    hook.rerender({ text: "王" });
    await answer(0, ["王伟"]);
    hook.rerender({ text: "王 " });
    expect(hook.result.current.pending).toBe(false);
    expect(asked).toHaveLength(1);
  });
});
