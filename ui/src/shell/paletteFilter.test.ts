import { describe, expect, it } from "vitest";
import type { Action } from "./pageActions";
import { filterActions } from "./paletteFilter";

const action = (id: string, label: string, keywords?: string): Action => ({ id, label, group: "Go", keywords, run: () => {} });
const actions = [
  action("new-person", "New person"),
  action("new-company", "New company"),
  action("trash", "Open trash"),
  action("lang", "切换到简体中文", "language chinese 语言"),
];

describe("filterActions", () => {
  it("returns everything for an empty query", () => {
    expect(filterActions(actions, "  ")).toHaveLength(4);
  });

  it("needs every word, in any order", () => {
    expect(filterActions(actions, "company new").map((a) => a.id)).toEqual(["new-company"]);
  });

  it("finds actions by keywords in either language", () => {
    expect(filterActions(actions, "language").map((a) => a.id)).toEqual(["lang"]);
    expect(filterActions(actions, "中文").map((a) => a.id)).toEqual(["lang"]);
  });

  it("ranks labels that start with the query first", () => {
    const list = [action("a", "Open trash"), action("b", "Trash settings")];
    expect(filterActions(list, "trash").map((a) => a.id)).toEqual(["b", "a"]);
  });
});
