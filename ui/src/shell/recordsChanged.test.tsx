/**
 * What changed underneath the window: the core's `recordsChanged` event (sent when a sync page
 * applied another device's changes) reaches every registered module through the shell, which
 * listens once for the window. Against the in-memory fake of the commands and a stand-in for
 * Tauri's events; the real event is relayed by src-tauri (commands/app.rs).
 */
import { fireEvent, render, screen, waitFor } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import type { RecordsChanged } from "../bindings";
import { MODULES } from "../app/modules";
import { syncedStatus, useFakeBackend } from "../test/fakeBackend";
import { emit, listenerCount } from "../test/fakeEvents";
import { App } from "./App";
import type { UiModule } from "./module";

const { invoke } = vi.hoisted(() => ({ invoke: vi.fn() }));
vi.mock("@tauri-apps/api/core", () => ({ invoke }));
vi.mock("@tauri-apps/api/event", async () => ({ listen: (await import("../test/fakeEvents")).listen }));

const backend = useFakeBackend(invoke);

const EVENT = "records-changed";
const calls = (command: string) => backend().calls.filter((c) => c.command === command).length;
const rows = () => screen.queryAllByTestId("customer-row");

/** A module that only listens, registered after the real ones. */
function probeModule() {
  const onRecordsChanged = vi.fn<(changed: RecordsChanged) => void>();
  return { id: "probe", nav: [], routes: {}, onRecordsChanged } satisfies UiModule;
}

async function renderApp(modules: readonly UiModule[] = MODULES) {
  const view = render(<App modules={modules} />);
  await waitFor(() => expect(rows()).toHaveLength(1));
  await waitFor(() => expect(listenerCount(EVENT)).toBe(1));
  return view;
}

describe("records changed underneath the window", () => {
  it("refresh the customer list when another device's customers arrive", async () => {
    backend().seed({ name: "Alpha Co", kind: "company" });
    await renderApp();

    // A sync page wrote a record here: the core says which module and tables.
    backend().seed({ name: "Beta Ltd", kind: "company" });
    await emit(EVENT, { modules: ["customers"], tables: ["customers", "customer_emails"] } satisfies RecordsChanged);
    await waitFor(() => expect(rows()).toHaveLength(2));
    expect(rows().map((row) => row.textContent).join()).toContain("Beta Ltd");
  });

  it("refetch custom field definitions only when those changed", async () => {
    backend().seed({ name: "Alpha Co", kind: "company" });
    await renderApp();
    const fields = calls("custom_fields");

    await emit(EVENT, { modules: ["customers"], tables: ["customers"] } satisfies RecordsChanged);
    expect(calls("custom_fields")).toBe(fields);
    await emit(EVENT, { modules: ["customers"], tables: ["custom_fields"] } satisfies RecordsChanged);
    await waitFor(() => expect(calls("custom_fields")).toBeGreaterThan(fields));
  });

  it("leave the customers alone when only another module's records changed, and reach every module", async () => {
    backend().seed({ name: "Alpha Co", kind: "company" });
    const probe = probeModule();
    await renderApp([...MODULES, probe]);
    const lists = calls("list_customers");

    const changed: RecordsChanged = { modules: ["calendar"], tables: ["events"] };
    await emit(EVENT, changed);
    expect(probe.onRecordsChanged).toHaveBeenCalledTimes(1);
    expect(probe.onRecordsChanged).toHaveBeenCalledWith(changed);
    expect(calls("list_customers")).toBe(lists);
  });

  it("include values from another device that lost a concurrent edit: every module looks again", async () => {
    const seenAt = new Date(Date.now() - 60_000).toISOString();
    backend().sync = syncedStatus({ lastSyncAt: seenAt, lastReport: { pushed: 0, pulled: 2, applied: 2, lost: 0 } });
    backend().seed({ name: "Alpha Co", kind: "company" });
    const probe = probeModule();
    await renderApp([...MODULES, probe]);
    await waitFor(() => expect(listenerCount("sync-status-changed")).toBe(1));
    const lists = calls("list_customers");

    // No record changed, so the core sends no recordsChanged; the lost value shows in history.
    await emit("sync-status-changed", syncedStatus({ lastSyncAt: new Date().toISOString(), lastReport: { pushed: 0, pulled: 1, applied: 0, lost: 1 } }));
    expect(probe.onRecordsChanged).toHaveBeenCalledWith({ modules: ["customers", "calendar", "sales", "service", "probe"], tables: [] });
    await waitFor(() => expect(calls("list_customers")).toBeGreaterThan(lists));
  });

  it("are listened to once for the window, until it goes", async () => {
    backend().seed({ name: "Alpha Co", kind: "company" });
    const { unmount } = await renderApp();
    // Opening pages adds no listener.
    fireEvent.click(screen.getByTestId("nav-trash"));
    await waitFor(() => expect(screen.getByTestId("nav-trash").getAttribute("aria-current")).toBe("page"));
    expect(listenerCount(EVENT)).toBe(1);
    unmount();
    expect(listenerCount(EVENT)).toBe(0);
  });
});
