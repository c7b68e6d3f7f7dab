/**
 * The knowledge base against the in-memory fake: a Chinese substring typed in the search narrows
 * the list; an article written keeps its line breaks; a missing solution is refused next to its
 * field and keeps what was typed; tags are edited; the pages speak Chinese.
 */
import { act, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { beforeAll, describe, expect, it, vi } from "vitest";
import type { Article } from "../bindings";
import i18n, { copyCatalogue } from "../i18n";
import { RouterProvider, useRouter, type Route } from "../lib/router";
import { ToastProvider } from "../lib/toast";
import { useFakeBackend } from "../test/fakeBackend";
import { ArticleEditor, ArticlePage, ArticlesPage } from "./ArticlePages";
import en from "./i18n/kb.en.json";
import zhCN from "./i18n/kb.zh-CN.json";

const { invoke } = vi.hoisted(() => ({ invoke: vi.fn() }));
vi.mock("@tauri-apps/api/core", () => ({ invoke }));

// The pages render here without the App, so the tests add the knowledge base's texts as the App does.
beforeAll(() => {
  i18n.addResourceBundle("en", "translation", copyCatalogue(en), true, false);
  i18n.addResourceBundle("zh-CN", "translation", copyCatalogue(zhCN), true, false);
});

const backend = useFakeBackend(invoke);

/** The knowledge base's routes as module.tsx will map them; any other page shows its route. */
function Pages() {
  const { route } = useRouter();
  switch (route.name) {
    case "articles":
      return <ArticlesPage />;
    case "article":
      return <ArticlePage key={route.id} id={route.id} />;
    case "article-new":
      return <ArticleEditor />;
    case "article-edit":
      return <ArticleEditor key={route.id} id={route.id} />;
    default:
      return <div data-testid="other-route">{JSON.stringify(route)}</div>;
  }
}

function open(initial: Route = { name: "articles" }) {
  return render(
    <ToastProvider>
      <RouterProvider home={{ name: "articles" }} initial={initial}>
        <Pages />
      </RouterProvider>
    </ToastProvider>,
  );
}

const article = (over: Partial<Article> & Pick<Article, "id" | "title">): Article => ({ problem: "", solution: "See above.", tags: [], language: "", sourceTicketId: null, productId: null, ...over });

function seed() {
  backend().service.articles.push(
    article({ id: "a-1", title: "打印机卡纸怎么办", problem: "打印到一半卡纸", solution: "1. 关机\n2. 打开后盖取出卡纸", tags: ["打印机"], language: "zh" }),
    article({ id: "a-2", title: "VPN cannot connect", solution: "Reinstall the client.", tags: ["network"], language: "en" }),
    article({ id: "a-3", title: "发票抬头修改", solution: "在开票前联系财务修改抬头。", tags: ["财务"], language: "zh" }),
  );
}

const field = <T extends HTMLElement = HTMLInputElement>(name: string) => document.querySelector<T>(`[name="${name}"]`)!;
const type = (name: string, value: string) => fireEvent.change(field(name), { target: { value } });
const hitTitles = () => screen.queryAllByTestId("kb-hit").map((b) => b.querySelector(".kb-hit-title")!.textContent);
const click = async (selector: string) => {
  await act(async () => {
    fireEvent.click(document.querySelector(selector)!);
  });
};

describe("the knowledge base", () => {
  it("narrows the list to a Chinese substring as it is typed, and opens the article found", async () => {
    seed();
    open();
    await waitFor(() => expect(hitTitles()).toEqual(["打印机卡纸怎么办", "VPN cannot connect", "发票抬头修改"]));
    fireEvent.change(screen.getByTestId("kb-search"), { target: { value: "卡纸" } });
    await waitFor(() => expect(hitTitles()).toEqual(["打印机卡纸怎么办"]));
    fireEvent.change(screen.getByTestId("kb-search"), { target: { value: "没有这种问题" } });
    await waitFor(() => expect(screen.getByTestId("kb-empty").textContent).toBe("No article matches “没有这种问题”."));
    // Cleared: every article again.
    fireEvent.change(screen.getByTestId("kb-search"), { target: { value: "" } });
    await waitFor(() => expect(hitTitles()).toHaveLength(3));
    fireEvent.change(screen.getByTestId("kb-search"), { target: { value: "卡纸" } });
    await waitFor(() => expect(hitTitles()).toEqual(["打印机卡纸怎么办"]));
    fireEvent.click(screen.getByTestId("kb-hit"));
    expect((await screen.findByTestId("article-title")).textContent).toBe("打印机卡纸怎么办");
    expect(screen.getByTestId("article-page").dataset.id).toBe("a-1");
  });

  it("saves a new article, which then shows its title and its solution with the line breaks typed", async () => {
    open();
    await screen.findByTestId("articles-page");
    await click('[data-action="new-article"]');
    await screen.findByTestId("article-editor");
    type("title", "打印机卡纸怎么办");
    type("problem", "打印到一半卡纸，\n面板显示 E-05");
    type("solution", "1. 关机\n2. 打开后盖，取出卡纸\n3. 重新开机");
    type("tags", "打印机，硬件, 打印机");
    fireEvent.change(field<HTMLSelectElement>("language"), { target: { value: "zh" } });
    // The catalogue's product it is about (the fake's "Green tea").
    await waitFor(() => expect(field<HTMLSelectElement>("productId").options.length).toBeGreaterThan(1));
    fireEvent.change(field<HTMLSelectElement>("productId"), { target: { value: "p-1" } });
    await click('[data-action="save-article"]');
    await screen.findByTestId("article-page");
    const [saved] = backend().service.articles;
    expect(saved).toMatchObject({ title: "打印机卡纸怎么办", solution: "1. 关机\n2. 打开后盖，取出卡纸\n3. 重新开机", tags: ["打印机", "硬件"], language: "zh", productId: "p-1" });
    await waitFor(() => expect(screen.getByTestId("article-product").textContent).toBe("Green tea"));
    expect(screen.getByTestId("article-title").textContent).toBe("打印机卡纸怎么办");
    const solution = screen.getByTestId("article-solution");
    expect(solution.textContent).toBe("1. 关机\n2. 打开后盖，取出卡纸\n3. 重新开机");
    expect(getComputedStyle(solution).whiteSpace).toBe("pre-wrap");
    expect(screen.getByTestId("article-problem").textContent).toBe("打印到一半卡纸，\n面板显示 E-05");
    expect(screen.getAllByTestId("article-tag").map((c) => c.textContent)).toEqual(["打印机", "硬件"]);
    expect(screen.getByTestId("article-language").textContent).toBe("Chinese");
    // Editing it and cancelling leaves it as it was.
    await click('[data-action="edit-article"]');
    await screen.findByTestId("article-editor");
    await click('[data-action="cancel-article"]');
    expect((await screen.findByTestId("article-solution")).textContent).toBe("1. 关机\n2. 打开后盖，取出卡纸\n3. 重新开机");
  });

  it("refuses an article without a solution next to that field, keeping the title typed", async () => {
    open({ name: "article-new" });
    await screen.findByTestId("article-editor");
    type("title", "VPN cannot connect");
    type("problem", "Error 809 after the update");
    await click('[data-action="save-article"]');
    const error = await waitFor(() => {
      const found = document.querySelector('[data-error-for="solution"]');
      expect(found).not.toBeNull();
      return found!;
    });
    expect(error.getAttribute("role")).toBe("alert");
    expect(error.textContent).toBe("Solution: is required");
    expect(field<HTMLTextAreaElement>("solution").closest("label")!.contains(error)).toBe(true);
    expect(document.querySelector('[data-error-for="title"]')).toBeNull();
    expect(field("title").value).toBe("VPN cannot connect");
    expect(field<HTMLTextAreaElement>("problem").value).toBe("Error 809 after the update");
    expect(backend().service.articles).toEqual([]);
    // Typing in the field clears its refusal; the article then saves.
    type("solution", "Reinstall the client.");
    expect(document.querySelector('[data-error-for="solution"]')).toBeNull();
    await click('[data-action="save-article"]');
    await screen.findByTestId("article-page");
    expect(backend().service.articles.map((a) => a.title)).toEqual(["VPN cannot connect"]);
  });

  it("changes an article's tags from its page, leaving the rest as it was", async () => {
    seed();
    open({ name: "article", id: "a-2" });
    await screen.findByTestId("article-page");
    expect(screen.getAllByTestId("article-tag").map((c) => c.textContent)).toEqual(["network"]);
    await click('[data-action="edit-article"]');
    await screen.findByTestId("article-editor");
    await waitFor(() => expect(field("tags").value).toBe("network"));
    expect(field("title").value).toBe("VPN cannot connect");
    type("tags", "network, VPN，远程办公");
    await click('[data-action="save-article"]');
    await screen.findByTestId("article-page");
    await waitFor(() => expect(screen.getAllByTestId("article-tag").map((c) => c.textContent)).toEqual(["network", "VPN", "远程办公"]));
    expect(backend().service.articles.find((a) => a.id === "a-2")).toMatchObject({ title: "VPN cannot connect", solution: "Reinstall the client.", tags: ["network", "VPN", "远程办公"], language: "en" });
  });

  it("links an article written from a ticket to that ticket", async () => {
    backend().service.articles.push(article({ id: "a-9", title: "退款流程", solution: "按合同条款退款。", sourceTicketId: "t-7" }));
    open({ name: "article", id: "a-9" });
    const link = await screen.findByTestId("article-source-ticket");
    expect(link.textContent).toBe("Written from a ticket");
    fireEvent.click(link);
    expect(JSON.parse(screen.getByTestId("other-route").textContent!)).toEqual({ name: "ticket", id: "t-7" });
  });

  it("speaks Chinese: the list, the editor's labels and its refusals", async () => {
    backend().locale = "zh-CN";
    await act(async () => {
      await i18n.changeLanguage("zh-CN");
    });
    seed();
    open();
    await waitFor(() => expect(hitTitles()).toHaveLength(3));
    expect(screen.getByRole("heading", { level: 1 }).textContent).toBe("知识库");
    expect(screen.getByTestId("kb-search").getAttribute("placeholder")).toBe("搜索文章");
    expect(document.querySelector('[data-action="new-article"]')!.textContent).toBe("新建文章");
    expect(screen.getAllByTestId("kb-hit")[1]!.textContent).toContain("英文");
    await click('[data-action="new-article"]');
    await screen.findByTestId("article-editor");
    expect(screen.getByRole("heading", { level: 1 }).textContent).toBe("新建文章");
    expect([...document.querySelectorAll(".form-label")].map((l) => l.textContent)).toEqual(["标题", "问题", "解决方法", "标签", "语言", "产品"]);
    expect([...field<HTMLSelectElement>("language").options].map((o) => o.textContent)).toEqual(["不限", "英文", "中文"]);
    expect(document.querySelector('[data-action="save-article"]')!.textContent).toBe("保存");
    expect(document.querySelector('[data-action="cancel-article"]')!.textContent).toBe("取消");
    await click('[data-action="save-article"]');
    await waitFor(() => expect(document.querySelector('[data-error-for="title"]')!.textContent).toBe("标题：不能为空"));
    expect(document.querySelector('[data-error-for="solution"]')!.textContent).toBe("解决方法：不能为空");
    // Cancel goes back to the list.
    await click('[data-action="cancel-article"]');
    await screen.findByTestId("articles-page");
  });
});
