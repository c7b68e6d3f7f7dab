/**
 * The shared attachments section. Mostly on the customer detail page, in the whole app against
 * the in-memory fake of the Rust commands: adding files (and refusing one too large without
 * asking Rust), opening, deleting with Undo, errors, and what the timeline says about it. Then on
 * its own, as any module would use it: named by a RecordKey, telling and hearing changes only
 * through the callbacks it is given.
 */
import { act, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import type { RecordKey } from "../bindings";
import i18n from "../i18n";
import { ToastProvider } from "../lib/toast";
import { App } from "../shell/App";
import { useFakeBackend } from "../test/fakeBackend";
import { Attachments, formatFileSize } from "./Attachments";

const { invoke } = vi.hoisted(() => ({ invoke: vi.fn() }));
vi.mock("@tauri-apps/api/core", () => ({ invoke }));

const backend = useFakeBackend(invoke);

const MB = 1024 * 1024;

/** Opens the only customer in the list and waits for its attachments and timeline. */
async function openCustomer(): Promise<HTMLElement> {
  render(<App />);
  fireEvent.click((await screen.findAllByTestId("customer-row"))[0]!);
  await screen.findByTestId("customer-detail");
  await screen.findByTestId("timeline");
  const section = screen.getByTestId("attachments");
  await waitFor(() => expect(section.getAttribute("aria-busy")).toBe("false"));
  return section;
}

async function choose(...files: File[]): Promise<void> {
  await act(async () => {
    fireEvent.change(screen.getByTestId("attachment-input"), { target: { files } });
  });
}

const rows = () => screen.queryAllByTestId("attachment-row");
const calls = (command: string) => backend().calls.filter((c) => c.command === command);
const historyLines = () => screen.queryAllByTestId("history-line").map((li) => li.textContent);

describe("attachments on the customer page", () => {
  it("attaches each chosen file in turn and lists it, newest first, with its size and who added it", async () => {
    const acme = backend().seed({ name: "Acme" });
    const section = await openCustomer();
    expect(within(section).getByTestId("attachments-empty").textContent).toContain("up to 100 MB");
    const input = screen.getByTestId("attachment-input") as HTMLInputElement;
    // A real, multi-file input the WebDriver suite can send a path to.
    expect(input.type).toBe("file");
    expect(input.multiple).toBe(true);

    await choose(new File(["x".repeat(2048)], "报价单.pdf", { type: "application/pdf" }), new File(["hello"], "notes.txt"));

    await waitFor(() => expect(rows()).toHaveLength(2));
    expect(screen.queryByTestId("attachment-busy")).toBeNull();
    expect(screen.queryByTestId("attachments-empty")).toBeNull();
    const [newest, older] = rows();
    expect(within(newest!).getByTestId("attachment-name").textContent).toBe("notes.txt");
    expect(within(newest!).getByTestId("attachment-size").textContent).toBe("5 bytes");
    expect(within(older!).getByTestId("attachment-name").textContent).toBe("报价单.pdf");
    expect(within(older!).getByTestId("attachment-size").textContent).toBe("2 KB");
    expect(older!.textContent).toContain("added by Tester on");
    expect(older!.dataset.id).toBe([...backend().attachments.values()].find((a) => a.name === "报价单.pdf")?.id);

    // Sent as raw bytes, one file at a time, the record and the percent-encoded name in headers.
    const record = { recordType: "customer", id: acme.id };
    expect(calls("attach_file").map((c) => c.args)).toEqual([
      { record, fileName: "报价单.pdf", size: 2048 },
      { record, fileName: "notes.txt", size: 5 },
    ]);
    const [, , options] = invoke.mock.calls.find(([command]) => command === "attach_file")!;
    expect(options).toEqual({
      headers: { "x-record-type": "customer", "x-record-id": acme.id, "x-file-name": encodeURIComponent("报价单.pdf") },
    });
    // Listed by the shared command, naming the customer as a record.
    expect(calls("record_attachments").map((c) => c.args)).toContainEqual({ record });

    // The timeline records each file by name.
    await waitFor(() => expect(historyLines()).toContain("Attachment added: 报价单.pdf"));
    expect(historyLines()).toContain("Attachment added: notes.txt");
  });

  it("shows which file is being sent while a batch is under way, and disables the input", async () => {
    backend().seed({ name: "Acme" });
    await openCustomer();
    let release = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    invoke.mockImplementation(async (command: string, ...rest: unknown[]) => {
      if (command === "attach_file") await gate;
      return (backend().invoke as (...args: unknown[]) => Promise<unknown>)(command, ...rest);
    });

    await choose(new File(["a"], "a.txt"), new File(["b"], "b.txt"));
    const busy = await screen.findByTestId("attachment-busy");
    expect(busy.textContent).toBe("Adding a.txt (1 of 2)…");
    expect(screen.getByTestId("attachments").getAttribute("aria-busy")).toBe("true");
    expect((screen.getByTestId("attachment-input") as HTMLInputElement).disabled).toBe(true);

    await act(async () => {
      release();
    });
    await waitFor(() => expect(rows()).toHaveLength(2));
    expect(screen.queryByTestId("attachment-busy")).toBeNull();
    expect((screen.getByTestId("attachment-input") as HTMLInputElement).disabled).toBe(false);
  });

  it("refuses a file over 100 MB without reading it or asking Rust, and still adds the others", async () => {
    backend().seed({ name: "Acme" });
    await openCustomer();
    const big = new File(["x"], "video.mp4");
    Object.defineProperty(big, "size", { value: 101 * MB + 1 });
    const read = vi.spyOn(big, "arrayBuffer");

    await choose(big, new File(["ok"], "small.txt"));

    const error = await screen.findByTestId("attachment-error");
    expect(error.getAttribute("role")).toBe("alert");
    expect(error.textContent).toBe("video.mp4: The file is 102 MB; attachments can be up to 100 MB each.");
    expect(read).not.toHaveBeenCalled();
    // The refusal shows before the small file is read and sent (reading is asynchronous).
    await waitFor(() => expect(calls("attach_file").map((c) => c.args.fileName)).toEqual(["small.txt"]));
    await waitFor(() => expect(rows()).toHaveLength(1));
  });

  it("opens a file with the system's viewer from its name or its Open button", async () => {
    const acme = backend().seed({ name: "Acme" });
    const quote = backend().seedAttachment(acme.id, "报价单.pdf", 3 * MB + MB / 2);
    await openCustomer();
    const row = (await screen.findAllByTestId("attachment-row"))[0]!;
    expect(within(row).getByTestId("attachment-size").textContent).toBe("3.5 MB");

    await act(async () => {
      fireEvent.click(within(row).getByTestId("attachment-open"));
    });
    expect(calls("open_attachment").map((c) => c.args)).toEqual([{ id: quote.id }]);
    await act(async () => {
      fireEvent.click(within(row).getByTestId("attachment-name"));
    });
    expect(calls("open_attachment")).toHaveLength(2);
    expect(screen.queryByTestId("attachment-error")).toBeNull();
  });

  it("shows the core's error when the file is gone", async () => {
    const acme = backend().seed({ name: "Acme" });
    backend().seedAttachment(acme.id, "lost.docx", 1000, { gone: true });
    await openCustomer();
    await act(async () => {
      fireEvent.click((await screen.findAllByTestId("attachment-open"))[0]!);
    });
    const error = await screen.findByTestId("attachment-error");
    // The core finds no file for it: NotFound, in its words.
    expect(error.textContent).toBe("This record no longer exists (it may have been deleted).");
    // The row stays: the record of the file is still there.
    expect(rows()).toHaveLength(1);
  });

  it("deletes a file with Undo, and the timeline says so", async () => {
    const acme = backend().seed({ name: "Acme" });
    const quote = backend().seedAttachment(acme.id, "报价单.pdf", 1536);
    backend().seedAttachment(acme.id, "photo.jpg", 200_000);
    await openCustomer();
    await waitFor(() => expect(rows()).toHaveLength(2));
    const row = rows().find((r) => r.dataset.id === quote.id)!;

    await act(async () => {
      fireEvent.click(within(row).getByTestId("attachment-delete"));
    });
    expect(calls("delete_attachment").map((c) => c.args)).toEqual([{ id: quote.id }]);
    await waitFor(() => expect(rows().map((r) => r.dataset.id)).not.toContain(quote.id));
    const toast = await screen.findByTestId("toast");
    expect(toast.dataset.kind).toBe("attachment-deleted");
    expect(within(toast).getByTestId("toast-message").textContent).toBe("Deleted 报价单.pdf");
    await waitFor(() => expect(historyLines()).toContain("Attachment removed"));

    await act(async () => {
      fireEvent.click(within(toast).getByTestId("undo"));
    });
    expect(calls("restore_attachment").map((c) => c.args)).toEqual([{ id: quote.id }]);
    await waitFor(() => expect(rows().map((r) => r.dataset.id)).toContain(quote.id));
    // Back in its place: the list stays newest first.
    expect(rows().map((r) => within(r).getByTestId("attachment-name").textContent)).toEqual(["photo.jpg", "报价单.pdf"]);
    await waitFor(() => expect(historyLines()).toContain("Attachment restored"));
  });

  it("shows the last file deleted as the empty state", async () => {
    const acme = backend().seed({ name: "Acme" });
    backend().seedAttachment(acme.id, "only.pdf", 10);
    await openCustomer();
    await act(async () => {
      fireEvent.click((await screen.findAllByTestId("attachment-delete"))[0]!);
    });
    expect(await screen.findByTestId("attachments-empty")).toBeTruthy();
  });

  it("shows a failed delete in attachment-error and keeps the row", async () => {
    const acme = backend().seed({ name: "Acme" });
    backend().seedAttachment(acme.id, "quote.pdf", 10);
    await openCustomer();
    const button = (await screen.findAllByTestId("attachment-delete"))[0]!;
    // Deleted elsewhere meanwhile: the fake no longer knows it.
    backend().attachments.clear();
    await act(async () => {
      fireEvent.click(button);
    });
    expect((await screen.findByTestId("attachment-error")).textContent).toBe("This record no longer exists (it may have been deleted).");
    expect(rows()).toHaveLength(1);
    expect(screen.queryByTestId("toast")).toBeNull();
  });

  it("says when the list cannot be loaded, and tries again on request", async () => {
    const acme = backend().seed({ name: "Acme" });
    backend().seedAttachment(acme.id, "quote.pdf", 10);
    let failures = 1;
    invoke.mockImplementation((command: string, ...rest: unknown[]) => {
      if (command === "record_attachments" && failures-- > 0) return Promise.reject({ code: "storage", message: "The disk is full", field: null });
      return (backend().invoke as (...args: unknown[]) => Promise<unknown>)(command, ...rest);
    });
    await openCustomer();
    const error = await screen.findByTestId("attachment-error");
    expect(error.textContent).toContain("Could not load the attachments: The disk is full");
    expect(screen.queryByTestId("attachments-empty")).toBeNull();
    await act(async () => {
      fireEvent.click(within(error).getByRole("button", { name: "Try again" }));
    });
    await waitFor(() => expect(rows()).toHaveLength(1));
    expect(screen.queryByTestId("attachment-error")).toBeNull();
  });

  it("reads in Chinese, sizes and timeline included", async () => {
    backend().seed({ name: "王芳" });
    render(<App />);
    await act(async () => {
      await i18n.changeLanguage("zh-CN");
    });
    fireEvent.click((await screen.findAllByTestId("customer-row"))[0]!);
    const section = await screen.findByTestId("attachments");
    expect(within(section).getByRole("heading", { level: 2 }).textContent).toBe("附件");
    expect(section.textContent).toContain("添加文件…");

    await choose(new File(["x".repeat(1536)], "报价单.pdf"));
    const row = (await screen.findAllByTestId("attachment-row"))[0]!;
    expect(within(row).getByTestId("attachment-size").textContent).toBe("1.5 KB");
    expect(row.textContent).toContain("Tester 添加于");
    expect(within(row).getByTestId("attachment-open").textContent).toBe("打开");
    await waitFor(() => expect(historyLines()).toContain("添加附件：报价单.pdf"));
  });

  it("says a file was added by me in the UI's language when the core signs it with its word \"me\"", async () => {
    backend().author = "me";
    backend().seed({ name: "王芳" });
    await openCustomer();
    await choose(new File(["x"], "quote.pdf"));
    const row = (await screen.findAllByTestId("attachment-row"))[0]!;
    expect(row.textContent).toContain("added by me on");
    await act(async () => {
      await i18n.changeLanguage("zh-CN");
    });
    await waitFor(() => expect(row.textContent).toContain("我添加于"));
    expect(row.textContent).not.toContain("me");
  });

  it("takes no new files on a trashed customer", async () => {
    const acme = backend().seed({ name: "Acme" });
    backend().seedAttachment(acme.id, "quote.pdf", 10);
    await openCustomer();
    await act(async () => {
      fireEvent.click(screen.getByTestId("delete"));
    });
    // Back on the list; open the record again from the trash.
    await act(async () => {
      fireEvent.click(await screen.findByTestId("nav-trash"));
    });
    fireEvent.click((await screen.findAllByTestId("customer-row"))[0]!);
    const detail = await screen.findByTestId("customer-detail");
    expect(within(detail).getByTestId("restore")).toBeTruthy();
    const section = within(detail).getByTestId("attachments");
    await waitFor(() => expect(section.getAttribute("aria-busy")).toBe("false"));
    expect(within(section).queryByTestId("attachment-input")).toBeNull();
    expect(within(section).queryByTestId("attachment-delete")).toBeNull();
  });
});

describe("the attachments section on its own", () => {
  /** The section as another module's page would draw it; `rerender` draws it again with a fresh record literal. */
  function show(record: RecordKey, props: { onChanged?: () => void; subscribe?: (listener: () => void) => () => void } = {}) {
    const draw = () => (
      <ToastProvider>
        <Attachments record={{ ...record }} readOnly={false} {...props} />
      </ToastProvider>
    );
    const view = render(draw());
    return { ...view, redraw: () => view.rerender(draw()) };
  }

  async function settled(): Promise<HTMLElement> {
    const section = await screen.findByTestId("attachments");
    await waitFor(() => expect(section.getAttribute("aria-busy")).toBe("false"));
    return section;
  }

  it("lists once per record, however often its page draws it with a fresh record object", async () => {
    const acme = backend().seed({ name: "Acme" });
    backend().seedAttachment(acme.id, "quote.pdf", 10);
    const { redraw } = show({ recordType: "customer", id: acme.id });
    await settled();
    expect(rows()).toHaveLength(1);
    redraw();
    redraw();
    await settled();
    expect(calls("record_attachments")).toHaveLength(1);
  });

  it("calls onChanged after each write, and reloads when the module's signal fires", async () => {
    const acme = backend().seed({ name: "Acme" });
    const onChanged = vi.fn();
    const listeners = new Set<() => void>();
    const subscribe = vi.fn((listener: () => void) => {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    });
    const { unmount } = show({ recordType: "customer", id: acme.id }, { onChanged, subscribe });
    await settled();
    expect(listeners.size).toBe(1);

    // One call for a whole batch.
    await choose(new File(["a"], "a.txt"), new File(["b"], "b.txt"));
    await waitFor(() => expect(rows()).toHaveLength(2));
    expect(onChanged).toHaveBeenCalledTimes(1);

    await act(async () => {
      fireEvent.click(within(rows()[0]!).getByTestId("attachment-delete"));
    });
    expect(onChanged).toHaveBeenCalledTimes(2);
    await act(async () => {
      fireEvent.click(within(await screen.findByTestId("toast")).getByTestId("undo"));
    });
    await waitFor(() => expect(onChanged).toHaveBeenCalledTimes(3));

    // A file added elsewhere (another device, through a sync) shows once the module says so.
    backend().seedAttachment(acme.id, "synced.pdf", 10);
    const before = calls("record_attachments").length;
    await act(async () => {
      for (const listener of listeners) listener();
    });
    await waitFor(() => expect(rows()).toHaveLength(3));
    expect(calls("record_attachments")).toHaveLength(before + 1);
    // Subscribed once through all those re-renders; let go of when the section goes.
    expect(subscribe).toHaveBeenCalledTimes(1);
    unmount();
    expect(listeners.size).toBe(0);
  });

  it("shows the core's refusal of a record type it does not know", async () => {
    const acme = backend().seed({ name: "Acme" });
    show({ recordType: "spaceship", id: acme.id });
    const error = await screen.findByTestId("attachment-error");
    expect(error.textContent).toContain('Could not load the attachments: recordType: "spaceship" is not one of: customer');
  });
});

describe("the fake's attachment commands", () => {
  const invokeFake = (command: string, args: unknown, options?: unknown) =>
    (backend().invoke as (...a: unknown[]) => Promise<unknown>)(command, args, options);

  it("refuse an unknown record type naming the field, and an unknown record as not found, as the core does", async () => {
    const acme = backend().seed({ name: "Acme" });
    await expect(invokeFake("record_attachments", { record: { recordType: "spaceship", id: acme.id } })).rejects.toMatchObject({
      code: "validation",
      field: "recordType",
      reason: "invalid.oneOf",
    });
    await expect(invokeFake("record_attachments", { record: { recordType: "customer", id: "0190f5c0-0000-7000-8000-0000000000ff" } })).rejects.toMatchObject({
      code: "not_found",
    });
    const headers = { "x-record-type": "spaceship", "x-record-id": acme.id, "x-file-name": "a.txt" };
    await expect(invokeFake("attach_file", new Uint8Array(1), { headers })).rejects.toMatchObject({ code: "validation", field: "recordType" });
    expect(backend().attachments.size).toBe(0);
  });
});

describe("formatFileSize", () => {
  const t = (key: string, options?: Record<string, unknown>) => i18n.t(key, options ?? {});

  it("uses bytes, then KB, then MB, for the locale", () => {
    expect(formatFileSize(1, "en", t)).toBe("1 byte");
    expect(formatFileSize(1023, "en", t)).toBe("1,023 bytes");
    expect(formatFileSize(1024, "en", t)).toBe("1 KB");
    expect(formatFileSize(123_456, "en", t)).toBe("120.6 KB");
    // Rounding to 1,024 KB moves it up to MB.
    expect(formatFileSize(MB - 10, "en", t)).toBe("1 MB");
    expect(formatFileSize(100 * MB, "en", t)).toBe("100 MB");
    expect(formatFileSize(1234.5 * MB, "en", t)).toBe("1,234.5 MB");
  });
});
