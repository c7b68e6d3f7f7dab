/**
 * Importing customers inside the whole app, against the in-memory fake of the commands: pick a
 * file, see it read and its columns guessed, change what a column becomes, check (nothing
 * written), confirm with progress, cancel, and the refusals that never reach the backend.
 */
import { act, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import i18n from "../i18n";
import { App } from "../shell/App";
import { useFakeBackend } from "../test/fakeBackend";

const { invoke, Channel } = vi.hoisted(() => {
  /** Tauri's Channel without the IPC: the fake backend calls `onmessage` itself. */
  class Channel<T> {
    onmessage: (message: T) => void = () => {};
  }
  return { invoke: vi.fn(), Channel };
});
vi.mock("@tauri-apps/api/core", () => ({ invoke, Channel }));

const backend = useFakeBackend(invoke);
const calls = (command: string) => backend().calls.filter((c) => c.command === command);
const text = (testId: string) => screen.getByTestId(testId).textContent;
const select = (testId: string) => screen.getByTestId(testId) as HTMLSelectElement;

const CONTACTS = [
  "Name,Company,Mobile,Email,Notes",
  "Wang Fang,Hangzhou Tea Co.,138-0013-8000,wang@example.com,met at the fair",
  "Li Lei,,13900000000,li@example.com,",
  ",,13700000000,,no name here",
  "Zhao Min,,,zhao-at-example.com,",
].join("\n");

async function openImportPage() {
  render(<App />);
  fireEvent.click(await screen.findByTestId("import-button"));
  return screen.findByTestId("import-file-input");
}

async function choose(file: File) {
  const input = await openImportPage();
  fireEvent.change(input, { target: { files: [file] } });
  return screen.findByTestId("import-preview");
}

async function check() {
  fireEvent.click(screen.getByTestId("import-check"));
  return screen.findByTestId("import-summary");
}

describe("importing customers", () => {
  it("folds away columns no row fills and says which columns will not be imported (issue 13)", async () => {
    const outlook = ["Name,Middle Name,Nickname,Suffix,Email", "Ann,,Annie,,ann@acme.example", "Bo,,, ,bo@globex.example"].join("\n");
    await choose(new File([outlook], "contacts.csv"));
    // Middle Name and Suffix are empty in every row: folded, and counted.
    expect(screen.queryByTestId("import-map-1")).toBeNull();
    expect(screen.queryByTestId("import-map-3")).toBeNull();
    expect(screen.getAllByTestId("import-map-row")).toHaveLength(3);
    expect(text("import-empty-columns")).toBe("2 empty columns left out");
    // Nickname has values and maps to nothing: said before the import.
    expect(select("import-map-2").value).toBe("ignore");
    expect(text("import-not-imported")).toBe("Not imported: Nickname");
    fireEvent.change(select("import-map-2"), { target: { value: "notes" } });
    expect(screen.queryByTestId("import-not-imported")).toBeNull();
  });

  it("reads the chosen file and shows its columns with a suggested mapping and sample values", async () => {
    await choose(new File([CONTACTS], "客户 2025.csv", { type: "text/csv" }));

    // The bytes are the raw body; the name travels percent-encoded in a header and arrives intact.
    expect(invoke).toHaveBeenCalledWith("import_open_bytes", expect.any(Uint8Array), {
      headers: { "x-file-name": "%E5%AE%A2%E6%88%B7%202025.csv" },
    });
    expect(calls("import_open_bytes")).toEqual([{ command: "import_open_bytes", args: { fileName: "客户 2025.csv", size: CONTACTS.length } }]);
    expect(text("import-file-name")).toBe("客户 2025.csv");
    expect(text("import-format")).toBe("CSV");
    expect(text("import-rows")).toBe("4 rows");
    expect(select("import-encoding").value).toBe("utf8");
    expect(screen.queryByTestId("import-dialect")).toBeNull();

    expect(screen.getAllByTestId("import-map-row")).toHaveLength(5);
    expect(select("import-map-0").value).toBe("name");
    expect(select("import-map-1").value).toBe("company");
    expect(select("import-map-2").value).toBe("phone");
    expect(select("import-map-3").value).toBe("email");
    expect(select("import-map-4").value).toBe("ignore");
    const options = [...select("import-map-0").options].map((o) => o.textContent);
    expect(options).toContain("Given name");
    expect(options).toContain("Satchel id");
    expect(options).toContain("Job title");
    expect(options).toContain("Department");
    expect(options).toHaveLength(26);

    const [first] = screen.getAllByTestId("import-map-row");
    expect(within(first!).getByRole("rowheader").textContent).toBe("Name");
    expect([...first!.querySelectorAll(".import-sample")].map((s) => s.textContent)).toEqual(["Wang Fang", "Li Lei", "—"]);
    // Nothing is checked, let alone written, until asked.
    expect(screen.queryByTestId("import-summary")).toBeNull();
    expect(calls("import_check")).toEqual([]);
  });

  it("sends the mapping as the user changed it to the check", async () => {
    await choose(new File([CONTACTS], "contacts.csv"));
    const map = (i: number, value: string) => fireEvent.change(screen.getByTestId(`import-map-${i}`), { target: { value } });

    map(4, "email"); // a phone or email the user picks is a number of its own
    map(1, "city"); // address parts the user picks form one address
    map(2, "email");
    map(2, "phone"); // back to the suggestion: its group and "mobile" label return
    map(0, "given_name");
    await check();

    expect(calls("import_check")).toEqual([
      {
        command: "import_check",
        args: {
          mapping: [
            { field: "given_name", group: 0, label: "" },
            { field: "city", group: 1, label: "" },
            { field: "phone", group: 102, label: "mobile" },
            { field: "email", group: 103, label: "" },
            { field: "email", group: 1004, label: "" },
          ],
        },
      },
    ]);
  });

  it("shows what the check found: new, updated, new companies and the rows it will skip", async () => {
    backend().seed({ name: "Li Lei (old)", emails: [{ id: null, label: "work", value: "LI@example.com" }] });
    backend().importErrorsShown = 1;
    await choose(new File([CONTACTS], "contacts.csv"));
    const summary = await check();

    expect(summary.textContent).toContain("2 new, 1 to update, 1 new company (Hangzhou Tea Co.)");
    expect(summary.textContent).toContain("2 rows will be skipped");
    const rows = within(screen.getByTestId("import-errors")).getAllByTestId("import-error-row");
    expect(rows).toHaveLength(1);
    expect(rows[0]!.getAttribute("data-row")).toBe("4");
    expect(rows[0]!.textContent).toBe("4—Name: is required");
    expect(text("import-errors-more")).toBe("… and 1 more");
    // What the file holds, apart from the company its company column makes (issue 13).
    expect(text("import-holds")).toBe("The file holds 2 people, plus 1 new company from their company column.");
    expect(text("import-confirm")).toBe("Import 2 people, 1 new company");
    expect(backend().customers.size).toBe(1);

    // A changed mapping makes the old answer wrong: it goes until the user checks again.
    fireEvent.change(screen.getByTestId("import-map-4"), { target: { value: "notes" } });
    expect(screen.queryByTestId("import-summary")).toBeNull();
    expect(screen.queryByTestId("import-confirm")).toBeNull();
  });

  it("imports on confirm, with progress, and offers the way back to the list", async () => {
    backend().seed({ name: "Li Lei (old)", emails: [{ id: null, label: "work", value: "li@example.com" }] });
    await choose(new File([CONTACTS], "contacts.csv"));
    await check();
    const release = backend().holdImportCommit();

    fireEvent.click(screen.getByTestId("import-confirm"));
    const progress = (await screen.findByTestId("import-progress")) as HTMLProgressElement;
    await waitFor(() => expect(text("import-progress-text")).toBe("0 / 3"));
    expect(progress.max).toBe(3);
    expect(progress.value).toBe(0);
    // Only Cancel works while the commit runs.
    for (const id of ["import-file-input", "import-encoding", "import-map-0", "import-check", "import-confirm"]) {
      expect((screen.getByTestId(id) as HTMLInputElement).disabled).toBe(true);
    }
    expect((screen.getByTestId("import-cancel") as HTMLButtonElement).disabled).toBe(false);

    await act(async () => release());
    const done = await screen.findByTestId("import-done");
    expect(text("import-done-text")).toBe("Imported 2 new, 1 updated, 2 skipped");
    expect(screen.queryByTestId("import-progress")).toBeNull();
    const names = [...backend().customers.values()].map((c) => c.name).sort();
    expect(names).toEqual(["Hangzhou Tea Co.", "Li Lei", "Wang Fang"]);

    fireEvent.click(within(done).getByTestId("import-go-list"));
    await waitFor(() => expect(screen.getAllByTestId("customer-row")).toHaveLength(3));
  });

  it("cancels without writing anything, and lets the user check and import again", async () => {
    await choose(new File([CONTACTS], "contacts.csv"));
    await check();
    backend().holdImportCommit();

    fireEvent.click(screen.getByTestId("import-confirm"));
    fireEvent.click(await screen.findByTestId("import-cancel"));
    expect(await screen.findByTestId("import-cancelled")).toHaveProperty("textContent", "Cancelled; nothing was changed.");
    expect(calls("import_cancel")).toHaveLength(1);
    expect(backend().customers.size).toBe(0);
    expect(screen.queryByTestId("import-summary")).toBeNull();
    expect(screen.queryByTestId("import-progress")).toBeNull();

    await check();
    expect(screen.queryByTestId("import-cancelled")).toBeNull();
    fireEvent.click(screen.getByTestId("import-confirm"));
    expect((await screen.findByTestId("import-done")).textContent).toContain("Imported 3 new, 0 updated, 2 skipped");
  });

  it("reports the outcome in a toast when the user left the page during the commit", async () => {
    await choose(new File([CONTACTS], "contacts.csv"));
    await check();
    const release = backend().holdImportCommit();
    fireEvent.click(screen.getByTestId("import-confirm"));
    await screen.findByTestId("import-progress");

    fireEvent.click(screen.getByTestId("nav-customers"));
    await waitFor(() => expect(screen.queryByTestId("import-page")).toBeNull());
    await act(async () => release());

    const toast = await screen.findByTestId("toast");
    expect(toast.getAttribute("data-kind")).toBe("import");
    expect(toast.textContent).toContain("Imported 3 new, 0 updated, 2 skipped");
    // The list hears about the new customers without a reload.
    await waitFor(() => expect(screen.getAllByTestId("customer-row")).toHaveLength(3));
  });

  it("refuses a file over 256 MB without reading it or asking the backend", async () => {
    const input = await openImportPage();
    const file = new File(["Name\nWang Fang\n"], "huge.csv");
    Object.defineProperty(file, "size", { value: 300 * 1024 * 1024 });
    const read = vi.spyOn(file, "arrayBuffer");

    fireEvent.change(input, { target: { files: [file] } });
    expect((await screen.findByTestId("import-error")).textContent).toBe(
      "The file is 300 MB; Satchel imports files up to 256 MB. Split it into smaller files.",
    );
    expect(read).not.toHaveBeenCalled();
    expect(calls("import_open_bytes")).toEqual([]);
    expect(screen.queryByTestId("import-preview")).toBeNull();
  });

  it("shows the backend's reason when it cannot read a file", async () => {
    const input = await openImportPage();
    fireEvent.change(input, { target: { files: [new File([], "empty.csv")] } });
    expect((await screen.findByTestId("import-error")).textContent).toBe("The file is empty.");
    expect(screen.getByTestId("import-error").getAttribute("role")).toBe("alert");
  });

  it("detects GBK, and re-reads the file in the encoding the user picks", async () => {
    // "姓名,手机\n王芳,13800138000\n" as Chinese Excel on Windows saves it.
    const gbk = new Uint8Array([208, 213, 195, 251, 44, 202, 214, 187, 250, 10, 205, 245, 183, 188, 44, 49, 51, 56, 48, 48, 49, 51, 56, 48, 48, 48, 10]);
    await choose(new File([gbk], "客户.csv"));
    expect(select("import-encoding").value).toBe("gbk");
    expect(within(screen.getAllByTestId("import-map-row")[0]!).getByRole("rowheader").textContent).toBe("姓名");
    expect(select("import-map-1").value).toBe("phone");
    await check();

    fireEvent.change(screen.getByTestId("import-encoding"), { target: { value: "gb18030" } });
    await waitFor(() => expect(select("import-encoding").value).toBe("gb18030"));
    expect(calls("import_reopen").map((c) => c.args)).toEqual([{ encoding: "gb18030", format: null }]);
    expect(screen.queryByTestId("import-summary")).toBeNull();

    // Bytes that are not UTF-8: refused, and the page stays on the reading that worked.
    fireEvent.change(screen.getByTestId("import-encoding"), { target: { value: "utf8" } });
    expect((await screen.findByTestId("import-error")).textContent).toBe(
      "The file is not valid UTF-8 text. Choose another encoding.",
    );
    expect(select("import-encoding").value).toBe("gb18030");
    expect(text("import-file-name")).toBe("客户.csv");
  });

  it("shows a vCard file's cards and checks it without a mapping", async () => {
    const cards = [
      "BEGIN:VCARD\nVERSION:3.0\nFN:Wang Fang\nORG:Hangzhou Tea Co.;Sales\nTEL;TYPE=CELL:13800138000\nEMAIL:wang@example.com\nEND:VCARD",
      "BEGIN:VCARD\nVERSION:4.0\nFN:Li Lei\nEND:VCARD",
    ].join("\n");
    await choose(new File([cards], "people.vcf", { type: "text/vcard" }));

    expect(text("import-format")).toBe("vCard");
    expect(text("import-rows")).toBe("2 cards");
    expect(screen.queryByTestId("import-map-0")).toBeNull();
    const table = screen.getByTestId("import-sample");
    expect([...table.querySelectorAll("th")].map((th) => th.textContent)).toEqual(["Name", "Company", "Phone", "Email"]);
    expect(table.querySelector("tbody tr")?.textContent).toBe("Wang FangHangzhou Tea Co.13800138000wang@example.com");

    const summary = await check();
    expect(calls("import_check").map((c) => c.args)).toEqual([{ mapping: null }]);
    expect(summary.textContent).toContain("3 new, 0 to update, 1 new company (Hangzhou Tea Co.)");
    expect(summary.textContent).toContain("Every row can be imported.");
  });

  it("opens from the command palette, in Chinese, with numbers for the locale", async () => {
    render(<App />);
    await act(async () => {
      await i18n.changeLanguage("zh-CN");
    });
    fireEvent.keyDown(window, { key: "k", ctrlKey: true });
    const palette = await screen.findByTestId("palette-input");
    fireEvent.change(palette, { target: { value: "导入" } });
    fireEvent.keyDown(palette, { key: "Enter" });

    const page = await screen.findByTestId("import-page");
    expect(within(page).getByRole("heading", { level: 1 }).textContent).toBe("导入客户");
    const rows = ["Name,Email", ...Array.from({ length: 1200 }, (_, i) => `Person ${i},p${i}@example.com`)].join("\n");
    fireEvent.change(screen.getByTestId("import-file-input"), { target: { files: [new File([rows], "big.csv")] } });
    await screen.findByTestId("import-preview");
    expect(text("import-rows")).toBe("1,200 行");
    expect([...select("import-map-1").options].find((o) => o.value === "phone_label")?.textContent).toBe("电话标签");

    const summary = await check();
    expect(summary.textContent).toContain("新建 1,200 位，更新 0 位，无新建公司");
    expect(text("import-confirm")).toBe("导入 1,200 位联系人");
    expect(text("import-holds")).toBe("文件中有 1,200 位联系人。");
  });
});
