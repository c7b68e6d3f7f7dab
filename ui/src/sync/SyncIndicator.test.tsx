/**
 * The sync indicator in the sidebar, against the in-memory fake of the commands and a stand-in
 * for Tauri's events: each state reads as the user should read it, and each finished sync is
 * reported once.
 */
import { act, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import type { SyncReport, SyncStatus } from "../bindings";
import i18n from "../i18n";
import { onCustomersChanged } from "../lib/events";
import { RouterProvider, useRouter } from "../lib/router";
import { syncedStatus, useFakeBackend } from "../test/fakeBackend";
import { emit, listenerCount } from "../test/fakeEvents";
import { SyncIndicator } from "./SyncIndicator";
import { SyncStatusProvider } from "./useSyncStatus";

const { invoke } = vi.hoisted(() => ({ invoke: vi.fn() }));
vi.mock("@tauri-apps/api/core", () => ({ invoke }));
vi.mock("@tauri-apps/api/event", async () => ({ listen: (await import("../test/fakeEvents")).listen }));

const backend = useFakeBackend(invoke);

const EVENT = "sync-status-changed";
const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();

const status = (over: Partial<SyncStatus>): SyncStatus => syncedStatus({ lastSyncAt: minutesAgo(5), ...over });

function RouteProbe() {
  const { route } = useRouter();
  return <div data-testid="route">{JSON.stringify(route)}</div>;
}

async function renderIndicator(initial?: SyncStatus, onSyncFinished?: (report: SyncReport) => void) {
  if (initial) backend().sync = initial;
  const view = render(
    <RouterProvider>
      <SyncStatusProvider onSyncFinished={onSyncFinished}>
        <SyncIndicator />
        <RouteProbe />
      </SyncStatusProvider>
    </RouterProvider>,
  );
  const indicator = await screen.findByTestId("sync-indicator");
  await waitFor(() => expect(listenerCount(EVENT)).toBe(1));
  return { indicator, ...view };
}

describe("the sync indicator", () => {
  it("says it is not syncing while no server is set up", async () => {
    const { indicator } = await renderIndicator();
    expect(indicator.dataset.state).toBe("off");
    expect(indicator.textContent).toBe("Not syncing");
  });

  it("says synced and how long ago, in the UI language", async () => {
    const { indicator } = await renderIndicator(status({ lastSyncAt: minutesAgo(5) }));
    expect(indicator.dataset.state).toBe("synced");
    expect(indicator.textContent).toBe("Synced5 minutes ago");
    await act(async () => {
      await i18n.changeLanguage("zh-CN");
    });
    expect(indicator.textContent).toBe("已同步5分钟前");
  });

  it("counts the changes waiting to be sent", async () => {
    const { indicator } = await renderIndicator(status({ pending: 3 }));
    expect(indicator.textContent).toContain("3 changes waiting");
    await emit(EVENT, status({ state: "offline", pending: 1, error: "Cannot reach crm.example.com" }));
    expect(indicator.textContent).toBe("Offline1 change waiting");
  });

  it("shows a running sync with a bar as far along as the sync", async () => {
    const { indicator } = await renderIndicator(status({}));
    await emit(EVENT, status({ state: "syncing", pending: 160, progress: { phase: "push", done: 40, total: 160 } }));
    expect(indicator.dataset.state).toBe("syncing");
    expect(indicator.textContent).toBe("Syncing…Sending 40 of 160");
    const bar = screen.getByTestId("sync-progress");
    expect(bar.getAttribute("aria-valuenow")).toBe("25");
    expect((bar.firstElementChild as HTMLElement).style.width).toBe("25%");

    await emit(EVENT, status({ state: "syncing", progress: { phase: "pull", done: 1500, total: 2000 } }));
    expect(indicator.textContent).toBe("Syncing…Receiving 1,500 of 2,000");
    expect((screen.getByTestId("sync-progress").firstElementChild as HTMLElement).style.width).toBe("75%");

    // Not knowing the total yet, there is no bar to show.
    await emit(EVENT, status({ state: "syncing", pending: 2, progress: { phase: "push", done: 0, total: 0 } }));
    expect(screen.queryByTestId("sync-progress")).toBeNull();
    expect(indicator.textContent).toBe("Syncing…2 changes waiting");
  });

  it("says offline and tells why on hover", async () => {
    const { indicator } = await renderIndicator(status({ state: "offline", pending: 2, error: "Cannot reach crm.example.com" }));
    expect(indicator.dataset.state).toBe("offline");
    expect(indicator.textContent).toBe("Offline2 changes waiting");
    expect(indicator.title).toContain("Cannot reach crm.example.com");
  });

  it("shows the error when the user must act, and leads to the sync settings", async () => {
    const { indicator } = await renderIndicator(status({ state: "needs_login", error: "The server no longer accepts this computer. Log in again." }));
    expect(indicator.dataset.state).toBe("needs_login");
    expect(indicator.textContent).toBe("The server no longer accepts this computer. Log in again.");
    await emit(EVENT, status({ state: "error", error: "The server's answer could not be read" }));
    expect(indicator.textContent).toBe("The server's answer could not be read");

    fireEvent.click(indicator);
    expect(JSON.parse(screen.getByTestId("route").textContent!)).toEqual({ name: "settings", section: "sync" });
  });

  it("reports each finished sync once, and stops listening when gone", async () => {
    const report = { pushed: 0, pulled: 4, applied: 3, lost: 0 };
    const earlier = minutesAgo(1);
    const finished = vi.fn();
    const refreshed = vi.fn();
    const off = onCustomersChanged(refreshed);
    const { unmount } = await renderIndicator(status({ lastSyncAt: earlier, lastReport: report }), finished);

    // What the screens already showed when they loaded.
    await emit(EVENT, status({ lastSyncAt: earlier, lastReport: report, pending: 1 }));
    expect(finished).not.toHaveBeenCalled();

    const later = minutesAgo(0);
    await emit(EVENT, status({ lastSyncAt: later, lastReport: { ...report, applied: 2 } }));
    expect(finished).toHaveBeenCalledTimes(1);
    expect(finished).toHaveBeenLastCalledWith({ ...report, applied: 2 });
    // Waiting counts and progress of the next sync repeat the same report: not a new sync.
    await emit(EVENT, status({ lastSyncAt: later, lastReport: { ...report, applied: 2 }, pending: 2 }));
    await emit(EVENT, status({ state: "syncing", lastSyncAt: later, lastReport: { ...report, applied: 2 } }));
    expect(finished).toHaveBeenCalledTimes(1);
    await emit(EVENT, status({ lastSyncAt: "2099-01-01T00:00:00.000Z", lastReport: { pushed: 2, pulled: 0, applied: 0, lost: 0 } }));
    expect(finished).toHaveBeenCalledTimes(2);
    // The status knows no module's records: what a sync changed reaches the screens through the
    // core's recordsChanged, which the shell relays (src/shell/recordsChanged.test.tsx).
    expect(refreshed).not.toHaveBeenCalled();
    off();

    unmount();
    expect(listenerCount(EVENT)).toBe(0);
  });
});
