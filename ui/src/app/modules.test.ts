/**
 * The registry's modules share one sidebar, one set of route names and one set of test ids, so
 * nothing two modules (or a module and the shell) declare may collide: the shell would silently
 * draw the first one.
 */
import { describe, expect, it } from "vitest";
import { navEntries, pageFor, type NavItem } from "../shell/module";
import { MODULES } from "./modules";

const SHELL_ROUTES = ["settings"];
const SHELL_ENTRIES = ["settings"];

const allEntries = (items: NavItem[]): NavItem[] => items.flatMap((item) => [item, ...allEntries(item.children ?? [])]);
const duplicates = (values: string[]) => values.filter((v, i) => values.indexOf(v) !== i);

describe("the registered modules", () => {
  it("have distinct ids", () => {
    expect(duplicates(MODULES.map((m) => m.id))).toEqual([]);
  });

  it("have distinct sidebar entries, none the shell's own", () => {
    const ids = [...SHELL_ENTRIES, ...allEntries(navEntries(MODULES)).map((item) => item.id)];
    expect(duplicates(ids)).toEqual([]);
  });

  it("declare distinct route names, none the shell's own", () => {
    const names = [...SHELL_ROUTES, ...MODULES.flatMap((m) => Object.keys(m.routes))];
    expect(duplicates(names)).toEqual([]);
  });

  it("lead every sidebar entry to a page of its own module", () => {
    for (const module of MODULES) {
      const missing = allEntries(module.nav).filter((item) => !pageFor(item.route, [module]));
      expect(missing.map((item) => item.id)).toEqual([]);
    }
  });
});
