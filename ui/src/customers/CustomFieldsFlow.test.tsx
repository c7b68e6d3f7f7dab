/**
 * Custom fields across the app, against the in-memory fake of the commands: defined in Settings,
 * filled in the form (with the core's errors under their input), shown on the detail page, in the
 * timeline and as list columns, filtering the list, and removed with an Undo.
 */
import { act, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import i18n from "../i18n";
import { App } from "../shell/App";
import { useFakeBackend } from "../test/fakeBackend";

const { invoke } = vi.hoisted(() => ({ invoke: vi.fn() }));
vi.mock("@tauri-apps/api/core", () => ({ invoke }));

const backend = useFakeBackend(invoke);

const type = (testId: string, value: string) => fireEvent.change(screen.getByTestId(testId), { target: { value } });
const field = (testId: string) => screen.getByTestId(testId) as HTMLInputElement & HTMLSelectElement;

/** A choice field "Level" / "等级" with Gold and Silver. */
function seedLevel(scope: "both" | "company" | "person" = "both") {
  return backend().seedField({
    labelEn: "Level",
    labelZh: "等级",
    kind: "choice",
    scope,
    options: [
      { key: "", en: "Gold", zh: "金牌" },
      { key: "", en: "Silver", zh: "银牌" },
    ],
  });
}

async function save() {
  await act(async () => {
    fireEvent.click(screen.getByTestId("save"));
  });
}

describe("custom fields", () => {
  it("are created in Settings (a choice with two options) and then offered in the customer form", async () => {
    render(<App />);
    fireEvent.click(screen.getByTestId("nav-settings"));
    const section = await screen.findByTestId("custom-fields");
    await within(section).findByTestId("custom-fields-empty");

    fireEvent.click(within(section).getByTestId("add-custom-field"));
    const editor = screen.getByTestId("custom-field-editor");
    type("cf-label-en", "Industry");
    type("cf-label-zh", "行业");
    fireEvent.change(field("cf-kind"), { target: { value: "choice" } });
    fireEvent.change(field("cf-scope"), { target: { value: "company" } });
    // A new field's options: renaming later is fine, deleting is not, and the editor says so.
    expect(within(editor).getByTestId("cf-options-hint").textContent).toContain("renamed but not deleted");
    type("cf-option-en-0", "Tea");
    type("cf-option-zh-0", "茶叶");
    fireEvent.click(screen.getByTestId("cf-add-option"));
    type("cf-option-en-1", "Silk");
    type("cf-option-zh-1", "丝绸");
    await act(async () => {
      fireEvent.click(screen.getByTestId("cf-save"));
    });

    await waitFor(() => expect(screen.queryByTestId("custom-field-editor")).toBeNull());
    const created = backend().fields[0]!;
    expect(created).toMatchObject({
      labelEn: "Industry",
      labelZh: "行业",
      kind: "choice",
      scope: "company",
      options: [
        { key: "o1", en: "Tea", zh: "茶叶" },
        { key: "o2", en: "Silk", zh: "丝绸" },
      ],
    });
    const row = await within(section).findByTestId("custom-field-row");
    expect(row.textContent).toContain("Industry");
    expect(row.textContent).toContain("Choice");
    expect(row.textContent).toContain("Companies");

    // The field applies to companies only: a new company shows it, a new person does not.
    fireEvent.click(screen.getByTestId("new-company"));
    const select = (await screen.findByTestId(`field-custom-${created.id}`)) as HTMLSelectElement;
    expect([...select.options].map((o) => o.textContent)).toEqual(["Not set", "Tea", "Silk"]);
    fireEvent.click(screen.getByTestId("new-person"));
    await waitFor(() => expect((screen.getByTestId("field-kind") as HTMLSelectElement).value).toBe("person"));
    expect(screen.queryByTestId(`field-custom-${created.id}`)).toBeNull();
  });

  it("keeps every option row and every typed letter when clicks and typing come faster than renders", async () => {
    render(<App />);
    fireEvent.click(screen.getByTestId("nav-settings"));
    const section = await screen.findByTestId("custom-fields");
    await within(section).findByTestId("custom-fields-empty");
    fireEvent.click(within(section).getByTestId("add-custom-field"));
    fireEvent.change(field("cf-kind"), { target: { value: "choice" } });
    expect(screen.getAllByTestId("cf-option")).toHaveLength(1);

    // Two quick clicks handled before React renders in between (one batch): two new rows.
    act(() => {
      fireEvent.click(screen.getByTestId("cf-add-option"));
      fireEvent.click(screen.getByTestId("cf-add-option"));
    });
    expect(screen.getAllByTestId("cf-option")).toHaveLength(3);
    // The newest row takes focus, ready for its name.
    expect(document.activeElement).toBe(screen.getByTestId("cf-option-en-2"));

    // Typing in two rows and adding one more in one batch loses none of it.
    act(() => {
      type("cf-option-en-0", "Gold");
      type("cf-option-zh-1", "银牌");
      fireEvent.click(screen.getByTestId("cf-add-option"));
      type("cf-option-en-2", "Bronze");
    });
    expect(screen.getAllByTestId("cf-option")).toHaveLength(4);
    expect(field("cf-option-en-0").value).toBe("Gold");
    expect(field("cf-option-zh-1").value).toBe("银牌");
    expect(field("cf-option-en-2").value).toBe("Bronze");
  });

  it("shows the editor's errors next to its inputs and cannot change an existing field's kind", async () => {
    const level = seedLevel();
    render(<App />);
    fireEvent.click(screen.getByTestId("nav-settings"));
    fireEvent.click(await screen.findByTestId("add-custom-field"));
    await act(async () => {
      fireEvent.click(screen.getByTestId("cf-save"));
    });
    const error = await waitFor(() => {
      const el = document.querySelector('[data-error-for="labelEn"]');
      expect(el).not.toBeNull();
      return el!;
    });
    expect(error.textContent).toBe("English label: is required");
    expect(field("cf-label-en").getAttribute("aria-invalid")).toBe("true");
    fireEvent.click(screen.getByTestId("cf-cancel"));

    fireEvent.click(screen.getByTestId(`cf-edit-${level.id}`));
    expect(field("cf-kind").disabled).toBe(true);
    expect(field("cf-label-en").value).toBe("Level");
    // Stored options can be renamed, not removed; a new one can be dropped again.
    expect(screen.queryByTestId("cf-remove-option-0")).toBeNull();
    expect(screen.getByTestId("cf-options-hint").textContent).toContain("Existing options can be renamed but not deleted");
    fireEvent.click(screen.getByTestId("cf-add-option"));
    type("cf-option-en-2", "Gold");
    await act(async () => {
      fireEvent.click(screen.getByTestId("cf-save"));
    });
    await waitFor(() => expect(document.querySelector('[data-error-for="options.2"]')?.textContent).toBe("Option 3: appears twice"));
    expect(field("cf-option-en-2").getAttribute("aria-invalid")).toBe("true");
    type("cf-option-en-0", "Platinum");
    type("cf-option-en-2", "Bronze");
    await act(async () => {
      fireEvent.click(screen.getByTestId("cf-save"));
    });
    await waitFor(() => expect(screen.queryByTestId("custom-field-editor")).toBeNull());
    const sent = backend().calls.filter((c) => c.command === "update_custom_field").at(-1)?.args;
    expect(sent).toMatchObject({
      id: level.id,
      input: {
        kind: "choice",
        options: [
          { key: "o1", en: "Platinum" },
          { key: "o2", en: "Silver" },
          { key: "", en: "Bronze" },
        ],
      },
    });
  });

  it("puts the core's error about a custom value under that field and keeps what was typed", async () => {
    const budget = backend().seedField({ labelEn: "Budget", labelZh: "预算", kind: "number" });
    render(<App />);
    fireEvent.click(await screen.findByTestId("new-company"));
    type("field-name", "Acme");
    const input = (await screen.findByTestId(`field-custom-${budget.id}`)) as HTMLInputElement;
    expect(input.getAttribute("inputmode")).toBe("decimal");
    type(`field-custom-${budget.id}`, "abc");
    await save();

    const error = await waitFor(() => {
      const el = document.querySelector(`[data-error-for="custom.${budget.id}"]`);
      expect(el).not.toBeNull();
      return el!;
    });
    expect(error.textContent).toBe("Budget: is not a number (like 1234.5)");
    expect(input.parentElement?.contains(error)).toBe(true);
    expect(input.getAttribute("aria-invalid")).toBe("true");
    expect(document.activeElement).toBe(input);
    expect(input.value).toBe("abc");

    // Fixing it clears the message, and the number is saved.
    type(`field-custom-${budget.id}`, "1,200");
    expect(document.querySelector(`[data-error-for="custom.${budget.id}"]`)).toBeNull();
    await save();
    expect((await screen.findByTestId(`detail-custom-${budget.id}`)).textContent).toContain("1200");
  });

  it("saves a choice and a multi choice, shows their labels on the record, in its timeline and as list columns", async () => {
    const level = seedLevel();
    const tags = backend().seedField({
      labelEn: "Channels",
      labelZh: "渠道",
      kind: "multi",
      options: [
        { key: "", en: "Phone", zh: "电话" },
        { key: "", en: "WeChat", zh: "微信" },
        { key: "", en: "Fair", zh: "展会" },
      ],
    });
    const note = backend().seedField({ labelEn: "Note", labelZh: "", kind: "text" });
    render(<App />);
    fireEvent.click(await screen.findByTestId("new-person"));
    type("field-name", "Wang Fang");
    fireEvent.change(await screen.findByTestId(`field-custom-${level.id}`), { target: { value: "o1" } });
    fireEvent.click(screen.getByTestId(`field-custom-${tags.id}-o3`));
    fireEvent.click(screen.getByTestId(`field-custom-${tags.id}-o1`));
    await save();

    const sent = backend().calls.find((c) => c.command === "create_customer")?.args.input as { custom: unknown };
    // Keys, not labels; multi keys in option order; the empty text field left out.
    expect(sent.custom).toEqual([
      { fieldId: level.id, value: "o1" },
      { fieldId: tags.id, value: "o1,o3" },
    ]);
    const detail = await screen.findByTestId("customer-detail");
    expect(within(detail).getByTestId(`detail-custom-${level.id}`).textContent).toBe("LevelGold");
    expect(within(detail).getByTestId(`detail-custom-${tags.id}`).textContent).toBe("ChannelsPhone, Fair");
    expect(within(detail).getByTestId(`detail-custom-${note.id}`).textContent).toBe("Note—");
    await waitFor(() => expect(screen.getAllByTestId("history-line").some((l) => l.textContent === "Level: Gold")).toBe(true));

    // Editing: the form holds the stored values; a change shows as labels in the timeline.
    fireEvent.click(screen.getByTestId("edit"));
    const select = (await screen.findByTestId(`field-custom-${level.id}`)) as HTMLSelectElement;
    await waitFor(() => expect(select.value).toBe("o1"));
    expect((screen.getByTestId(`field-custom-${tags.id}-o3`) as HTMLInputElement).checked).toBe(true);
    fireEvent.change(select, { target: { value: "o2" } });
    fireEvent.click(screen.getByTestId(`field-custom-${tags.id}-o1`));
    fireEvent.click(screen.getByTestId(`field-custom-${tags.id}-o3`));
    await save();
    await screen.findByTestId("customer-detail");
    await waitFor(() => {
      const lines = screen.getAllByTestId("history-line").map((l) => l.textContent);
      expect(lines).toContain("Level: Gold→Silver");
      expect(lines).toContain("Channels: value cleared");
    });

    // In Chinese, labels and options read in Chinese; a missing Chinese label falls back to English.
    await act(async () => {
      await i18n.changeLanguage("zh-CN");
    });
    expect(screen.getByTestId(`detail-custom-${level.id}`).textContent).toBe("等级银牌");
    expect(screen.getByTestId(`detail-custom-${note.id}`).textContent).toContain("Note");
    await act(async () => {
      await i18n.changeLanguage("en");
    });

    fireEvent.click(screen.getByTestId("nav-customers"));
    await screen.findAllByTestId("customer-row");
    expect(screen.queryByTestId(`cell-custom-${level.id}`)).toBeNull();
    fireEvent.click(screen.getByTestId("columns-button"));
    fireEvent.click(screen.getByTestId(`column-toggle-${level.id}`));
    expect(screen.getByTestId(`column-custom-${level.id}`).textContent).toBe("Level");
    expect(screen.getByTestId(`cell-custom-${level.id}`).textContent).toBe("Silver");
    expect(JSON.parse(localStorage.getItem("satchel.customerColumns") ?? "[]")).toEqual([level.id]);
  });

  it("remembers the chosen columns", async () => {
    const level = seedLevel();
    backend().seed({ name: "Acme", kind: "company", custom: [{ fieldId: level.id, value: "o2" }] });
    localStorage.setItem("satchel.customerColumns", JSON.stringify([level.id]));
    render(<App />);
    await waitFor(() => expect(screen.getByTestId(`cell-custom-${level.id}`).textContent).toBe("Silver"));
    fireEvent.click(screen.getByTestId("columns-button"));
    const toggle = screen.getByTestId(`column-toggle-${level.id}`) as HTMLInputElement;
    expect(toggle.checked).toBe(true);
    fireEvent.click(toggle);
    expect(screen.queryByTestId(`cell-custom-${level.id}`)).toBeNull();
    expect(localStorage.getItem("satchel.customerColumns")).toBe("[]");
  });

  it("filters the list by a choice option, and exports what the list shows", async () => {
    const level = seedLevel();
    backend().seed({ name: "Gold Co", kind: "company", custom: [{ fieldId: level.id, value: "o1" }] });
    backend().seed({ name: "Silver Co", kind: "company", custom: [{ fieldId: level.id, value: "o2" }] });
    backend().seed({ name: "Plain Co", kind: "company" });
    render(<App />);
    await waitFor(() => expect(screen.getAllByTestId("customer-row")).toHaveLength(3));

    const filter = screen.getByTestId(`filter-custom-${level.id}`) as HTMLSelectElement;
    expect([...filter.options].map((o) => o.textContent)).toEqual(["Any Level", "Gold", "Silver"]);
    fireEvent.change(filter, { target: { value: "o1" } });
    await waitFor(() => expect(screen.getAllByTestId("customer-row").map((r) => r.textContent)).toEqual([expect.stringContaining("Gold Co")]));
    const query = backend().calls.filter((c) => c.command === "list_customers").at(-1)?.args.query;
    expect(query).toMatchObject({ custom: [{ fieldId: level.id, value: "o1" }] });

    fireEvent.click(screen.getByTestId("export-button"));
    await act(async () => {
      fireEvent.click(screen.getByTestId("export-format-csv"));
    });
    const exported = backend().calls.find((c) => c.command === "export_customers")?.args.query;
    expect(exported).toMatchObject({ custom: [{ fieldId: level.id, value: "o1" }], offset: 0, limit: 0 });
    expect(screen.getByTestId("toast-message").textContent).toContain("Exported 1 customer");

    fireEvent.click(screen.getByTestId("clear-filters"));
    await waitFor(() => expect(screen.getAllByTestId("customer-row")).toHaveLength(3));
    expect(filter.value).toBe("");
    expect(backend().calls.filter((c) => c.command === "list_customers").at(-1)?.args.query).not.toHaveProperty("custom");
  });

  it("asks before removing a field, saying how many records hold a value, and Undo restores it", async () => {
    const level = seedLevel();
    const acme = backend().seed({ name: "Acme", kind: "company", custom: [{ fieldId: level.id, value: "o1" }] });
    backend().seed({ name: "Beta", kind: "company", custom: [{ fieldId: level.id, value: "o2" }] });
    backend().seed({ name: "Gamma", kind: "company" });
    render(<App />);
    fireEvent.click(screen.getByTestId("nav-settings"));
    const remove = await screen.findByTestId(`cf-remove-${level.id}`);
    await act(async () => {
      fireEvent.click(remove);
    });

    const dialog = await screen.findByTestId("cf-remove-dialog");
    expect(backend().calls.some((c) => c.command === "custom_field_usage" && c.args.id === level.id)).toBe(true);
    expect(within(dialog).getByTestId("cf-remove-message").textContent).toBe(
      "2 records have a value for Level. Removing the field hides it; the values stay in each record's history and come back if you restore it.",
    );
    // Cancel leaves it alone.
    fireEvent.click(within(dialog).getByTestId("cf-remove-cancel"));
    expect(screen.queryByTestId("cf-remove-dialog")).toBeNull();
    expect(backend().calls.some((c) => c.command === "remove_custom_field")).toBe(false);

    await act(async () => {
      fireEvent.click(screen.getByTestId(`cf-remove-${level.id}`));
    });
    const confirm = await screen.findByTestId("cf-remove-confirm");
    await act(async () => {
      fireEvent.click(confirm);
    });
    await waitFor(() => expect(screen.queryByTestId(`cf-remove-${level.id}`)).toBeNull());
    expect(backend().fields[0]?.deleted).toBe(true);
    const toast = screen.getByTestId("toast");
    expect(toast.getAttribute("data-kind")).toBe("custom-field-removed");
    expect(within(toast).getByTestId("toast-message").textContent).toBe("Removed the field Level");

    await act(async () => {
      fireEvent.click(within(toast).getByTestId("undo"));
    });
    await screen.findByTestId(`cf-remove-${level.id}`);
    expect(backend().fields[0]?.deleted).toBe(false);
    // The values were kept all along.
    expect((await backend().invoke("get_customer", { id: acme.id })) as { custom: unknown }).toMatchObject({
      custom: [{ fieldId: level.id, value: "o1" }],
    });
  });

  it("keeps a removed field's history readable, named by its id", async () => {
    const level = seedLevel();
    const acme = backend().seed({ name: "Acme", kind: "company", custom: [{ fieldId: level.id, value: "o1" }] });
    await backend().invoke("remove_custom_field", { id: level.id });
    render(<App />);
    fireEvent.click(await screen.findByTestId("customer-row"));
    await screen.findByTestId("customer-detail");
    expect(screen.getByTestId("customer-detail").getAttribute("data-id")).toBe(acme.id);
    expect(screen.queryByTestId(`detail-custom-${level.id}`)).toBeNull();
    await waitFor(() => expect(screen.getAllByTestId("history-line").map((l) => l.textContent)).toContain(`${level.id}: o1`));
  });
});

describe("importing into custom fields", () => {
  it("offers each custom field in the column mapping and sends the field's id", async () => {
    const level = seedLevel();
    const budget = backend().seedField({ labelEn: "Budget", labelZh: "预算", kind: "number" });
    render(<App />);
    fireEvent.click(await screen.findByTestId("import-button"));
    const input = await screen.findByTestId("import-file-input");
    const csv = ["Name,Level,Budget", "Acme,Gold,1200"].join("\n");
    fireEvent.change(input, { target: { files: [new File([csv], "c.csv", { type: "text/csv" })] } });
    await screen.findByTestId("import-preview");

    // The core suggested the Level column; the Budget column is picked by hand.
    const levelColumn = screen.getByTestId("import-map-1") as HTMLSelectElement;
    await waitFor(() => expect(levelColumn.value).toBe(`custom:${level.id}`));
    expect(levelColumn.selectedOptions[0]?.textContent).toBe("Level");
    const budgetColumn = screen.getByTestId("import-map-2") as HTMLSelectElement;
    fireEvent.change(budgetColumn, { target: { value: "ignore" } });
    fireEvent.change(budgetColumn, { target: { value: `custom:${budget.id}` } });
    fireEvent.click(screen.getByTestId("import-check"));
    await screen.findByTestId("import-summary");
    expect(backend().calls.find((c) => c.command === "import_check")?.args.mapping).toEqual([
      { field: "name", group: 0, label: "" },
      { field: "custom", group: 0, label: level.id },
      { field: "custom", group: 0, label: budget.id },
    ]);
  });
});
