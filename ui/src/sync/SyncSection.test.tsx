/**
 * Settings → Sync against the in-memory fake of the commands (its connect follows the core's
 * rules loosely: empty fields by name, https to other computers, one password) and a stand-in
 * for Tauri's events, which play what the background sync would report.
 */
import { act, cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import i18n from "../i18n";
import { uiError } from "../lib/result";
import { RouterProvider } from "../lib/router";
import { ToastProvider } from "../lib/toast";
import { syncedStatus, useFakeBackend } from "../test/fakeBackend";
import { emit, listenerCount } from "../test/fakeEvents";
import { SyncSection } from "./SyncSection";
import { SyncStatusProvider } from "./useSyncStatus";

const { invoke } = vi.hoisted(() => ({ invoke: vi.fn() }));
vi.mock("@tauri-apps/api/core", () => ({ invoke }));
vi.mock("@tauri-apps/api/event", async () => ({ listen: (await import("../test/fakeEvents")).listen }));

const backend = useFakeBackend(invoke);

const EVENT = "sync-status-changed";
const input = (testId: string) => screen.getByTestId(testId) as HTMLInputElement;
const type = (testId: string, value: string) => fireEvent.change(input(testId), { target: { value } });
const errorFor = (field: string) => document.querySelector<HTMLElement>(`[data-error-for="${field}"]`);
const calls = (command: string) => backend().calls.filter((c) => c.command === command);

const connected = syncedStatus;

async function renderSection(focus = false) {
  render(
    <RouterProvider>
      <ToastProvider>
        <SyncStatusProvider>
          <SyncSection focus={focus} />
        </SyncStatusProvider>
      </ToastProvider>
    </RouterProvider>,
  );
  const state = await screen.findByTestId("sync-state");
  await waitFor(() => expect(listenerCount(EVENT)).toBe(1));
  return state;
}

function fillForm(server: string, email: string, password: string) {
  type("sync-server", server);
  type("sync-email", email);
  type("sync-password", password);
}

async function connect() {
  await act(async () => {
    fireEvent.click(screen.getByTestId("sync-connect"));
  });
}

describe("Settings → Sync", () => {
  it("shows why the server was refused under the server input and keeps everything typed", async () => {
    const state = await renderSection();
    expect(state.dataset.state).toBe("off");
    expect(state.textContent).toBe("Not syncing");
    expect(input("sync-server").placeholder).toBe("https://crm.example.com");
    // Where the sign-in is kept is said before anyone connects.
    expect(screen.getByTestId("sync-section").textContent).toContain("a file beside the database that only your user account can read");

    fillForm("http://crm.example.com", "wang@example.com", "secret");
    await connect();

    const error = await waitFor(() => errorFor("server")!);
    expect(error.textContent).toBe("Not a safe connection: http://crm.example.com is plain HTTP; use https:// (plain http is only accepted for this computer)");
    const server = input("sync-server");
    // Under that input: in its field, pointed at by it, and the cursor is back in it.
    expect(server.parentElement?.contains(error)).toBe(true);
    expect(server.getAttribute("aria-invalid")).toBe("true");
    expect(server.getAttribute("aria-describedby")).toBe(error.id);
    await waitFor(() => expect(document.activeElement).toBe(server));
    expect(errorFor("email")).toBeNull();
    expect(errorFor("password")).toBeNull();
    expect([input("sync-server").value, input("sync-email").value, input("sync-password").value]).toEqual([
      "http://crm.example.com",
      "wang@example.com",
      "secret",
    ]);

    // Fixing it takes the message away.
    type("sync-server", "https://crm.example.com");
    expect(errorFor("server")).toBeNull();
    expect(input("sync-server").getAttribute("aria-invalid")).toBeNull();
  });

  it("puts a wrong password under the password input, in the UI language", async () => {
    backend().locale = "zh-CN";
    await act(async () => {
      await i18n.changeLanguage("zh-CN");
    });
    const state = await renderSection();
    expect(state.textContent).toBe("未同步");
    fillForm("https://crm.example.com", "wang@example.com", "guess");
    await connect();

    const error = await waitFor(() => errorFor("password")!);
    expect(error.textContent).toBe("邮箱或密码不正确。");
    expect(input("sync-password").parentElement?.contains(error)).toBe(true);
    expect(input("sync-password").value).toBe("guess");
    expect(input("sync-server").value).toBe("https://crm.example.com");
    expect(input("sync-email").value).toBe("wang@example.com");
    expect(screen.getByTestId("sync-connect").textContent).toBe("连接");
  });

  it("names the empty field, and shows an error about no field above the form", async () => {
    await renderSection();
    fillForm("https://crm.example.com", "", "secret");
    await connect();
    expect((await waitFor(() => errorFor("email")!)).textContent).toBe("Email: is required");
    expect(input("sync-email").getAttribute("aria-invalid")).toBe("true");

    invoke.mockImplementation(async (command: string, args: Record<string, unknown>) => {
      if (command === "sync_connect") throw uiError("The sync thread has stopped");
      return backend().invoke(command, args);
    });
    type("sync-email", "wang@example.com");
    await connect();
    const error = await waitFor(() => errorFor("form")!);
    expect(error.textContent).toBe("The sync thread has stopped");
    expect(screen.getByTestId("sync-form").contains(error)).toBe(true);
    expect(error.compareDocumentPosition(input("sync-server")) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
    expect(input("sync-email").value).toBe("wang@example.com");
  });

  it("connects with Enter, is busy meanwhile, then shows the server, the status and what waits", async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    invoke.mockImplementation(async (command: string, args: Record<string, unknown>) => {
      if (command === "sync_connect") await gate;
      return backend().invoke(command, args);
    });
    await renderSection();
    fillForm("https://crm.example.com", "wang@example.com", "secret");
    await act(async () => {
      fireEvent.submit(screen.getByTestId("sync-form"));
    });
    const button = screen.getByTestId("sync-connect") as HTMLButtonElement;
    expect(button.disabled).toBe(true);
    expect(button.textContent).toBe("Connecting…");
    expect(invoke.mock.calls.filter(([command]) => command === "sync_connect").map(([, args]) => args)).toEqual([
      { server: "https://crm.example.com", email: "wang@example.com", password: "secret" },
    ]);

    await act(async () => {
      release();
      await gate;
    });
    // Connected, not synced yet: the first sync is on its way.
    const state = await waitFor(() => {
      const el = screen.getByTestId("sync-state");
      expect(el.dataset.state).toBe("offline");
      return el;
    });
    expect(state.textContent).toBe("Waiting to sync");
    expect(screen.queryByTestId("sync-form")).toBeNull();
    expect(screen.getByTestId("sync-details-server").textContent).toBe("https://crm.example.com");
    expect(screen.getByTestId("sync-details-email").textContent).toBe("wang@example.com");
    expect(screen.getAllByTestId("toast-message").map((m) => m.textContent)).toContain("Connected to https://crm.example.com");

    await emit(EVENT, connected({ state: "syncing", lastSyncAt: null, progress: { phase: "pull", done: 300, total: 1200 } }));
    expect(screen.getByTestId("sync-state").textContent).toBe("Syncing…");
    expect(screen.getByTestId("sync-section").textContent).toContain("Receiving 300 of 1,200");
    expect(screen.getByRole("progressbar").getAttribute("aria-valuenow")).toBe("25");

    await emit(EVENT, connected({ pending: 3 }));
    expect(screen.getByTestId("sync-state").dataset.state).toBe("synced");
    expect(screen.getByTestId("sync-last").textContent).toContain("2 minutes ago");
    expect(screen.getByTestId("sync-pending").textContent).toBe("3 changes waiting");
    expect(screen.getByTestId("sync-token-place").textContent).toBe("In the system keyring");
  });

  it("says when the device token had to go to a file, in the UI language", async () => {
    backend().locale = "zh-CN";
    await act(async () => {
      await i18n.changeLanguage("zh-CN");
    });
    backend().sync = connected({ tokenPlace: "file" });
    await renderSection();
    const place = await screen.findByTestId("sync-token-place");
    expect(place.dataset.place).toBe("file");
    expect(place.textContent).toContain("只有您的系统账户可以读取");
  });

  it("lists the changes sync set aside, with what and why, and nothing when there are none", async () => {
    backend().sync = connected();
    await renderSection();
    expect(screen.queryByTestId("sync-problems")).toBeNull();
    cleanup();
    backend().syncProblems = [
      {
        direction: "pull",
        table: "customers",
        rowId: "0190f5c0-0000-7000-8000-00000000a001",
        changes: '{"name":null}',
        reason: "NOT NULL constraint failed: customers.name",
        at: "2026-12-05T01:00:00.000Z",
        fromSite: "bo-broken",
      },
    ];
    await renderSection();
    const list = await screen.findByTestId("sync-problems");
    expect(list.textContent).toContain("Changes set aside (1)");
    const item = within(list).getByTestId("sync-problem");
    expect(item.textContent).toContain('Received, not taken here customers 0190f5c0-0000-7000-8000-00000000a001: {"name":null}');
    expect(item.textContent).toContain("Why: NOT NULL constraint failed: customers.name");
  });

  it("syncs now, and disconnects only after a confirm that says the records stay", async () => {
    backend().sync = connected();
    const state = await renderSection();
    expect(state.dataset.state).toBe("synced");
    expect(state.textContent).toBe("Synced");
    expect(screen.getByTestId("sync-pending").textContent).toBe("Nothing");

    await act(async () => {
      fireEvent.click(screen.getByTestId("sync-now"));
    });
    expect(calls("sync_now")).toHaveLength(1);

    fireEvent.click(screen.getByTestId("sync-disconnect"));
    const dialog = screen.getByTestId("sync-disconnect-dialog");
    expect(dialog.textContent).toContain("Stop syncing with https://crm.example.com?");
    expect(dialog.textContent).toContain("Every record stays on this computer");
    fireEvent.click(within(dialog).getByTestId("sync-disconnect-cancel"));
    expect(screen.queryByTestId("sync-disconnect-dialog")).toBeNull();
    expect(calls("sync_disconnect")).toHaveLength(0);

    fireEvent.click(screen.getByTestId("sync-disconnect"));
    await act(async () => {
      fireEvent.click(screen.getByTestId("sync-disconnect-confirm"));
    });
    expect(calls("sync_disconnect")).toHaveLength(1);
    await waitFor(() => expect(screen.getByTestId("sync-state").dataset.state).toBe("off"));
    expect(screen.queryByTestId("sync-disconnect-dialog")).toBeNull();
    expect(input("sync-server").value).toBe("");
    expect(screen.getAllByTestId("toast-message").map((m) => m.textContent)).toContain("Stopped syncing. Your records stay on this computer.");
  });

  it("asks to log in again with the server and email filled in, and keeps the form while it retries", async () => {
    backend().sync = connected({ state: "needs_login", error: "The server no longer accepts this computer. Log in again." });
    const state = await renderSection(true);
    expect(state.dataset.state).toBe("needs_login");
    expect(state.textContent).toBe("The server no longer accepts this computer. Log in again.");
    expect(input("sync-server").value).toBe("https://crm.example.com");
    expect(input("sync-email").value).toBe("wang@example.com");
    // Opened from the indicator: the cursor waits in the one empty field.
    await waitFor(() => expect(document.activeElement).toBe(input("sync-password")));
    type("sync-password", "secr");

    // The background sync retries meanwhile; what was typed stays.
    await emit(EVENT, connected({ state: "syncing", lastSyncAt: null }));
    await emit(EVENT, connected({ state: "needs_login", error: "The server no longer accepts this computer. Log in again." }));
    expect(input("sync-password").value).toBe("secr");

    type("sync-password", "secret");
    await connect();
    await waitFor(() => expect(screen.queryByTestId("sync-form")).toBeNull());
    expect(calls("sync_connect").map((c) => c.args)).toEqual([{ server: "https://crm.example.com", email: "wang@example.com", password: "secret" }]);
  });
  it("turns downloading attachments ahead on and off, and counts the files the last sync moved", async () => {
    backend().sync = { ...connected(), lastReport: { pushed: 1, pulled: 0, applied: 0, lost: 0, setAside: 0, refused: 0, uploaded: 2, fetched: 3 } };
    await renderSection();
    const box = (await screen.findByTestId("sync-fetch-ahead")) as HTMLInputElement;
    expect(box.checked).toBe(false);
    await act(async () => {
      fireEvent.click(box);
    });
    await waitFor(() => expect(backend().fetchAhead).toBe(true));
    expect(box.checked).toBe(true);
    expect(screen.getByTestId("sync-report-files").textContent).toBe("Attachment files sent: 2, fetched: 3");
    cleanup();
  });
});
