/**
 * Settings → Backups against a stand-in for the backup commands: the list with dates and sizes,
 * "Back up now" adding to it, and a restore that asks first and then hands over to the app.
 */
import { act, cleanup, fireEvent, render, screen, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import i18n from "../i18n";
import type { BackupInfo } from "../bindings";
import { BackupSection, formatSize } from "./BackupSection";

const { invoke } = vi.hoisted(() => ({ invoke: vi.fn() }));
vi.mock("@tauri-apps/api/core", () => ({ invoke }));

const backup = (name: string, createdAt: string, size: number): BackupInfo => ({
  name,
  path: `/data/backups/${name}`,
  createdAt,
  createdMs: Date.parse(createdAt),
  size,
});

function fakeBackups(initial: BackupInfo[], encrypted = false) {
  const list = [...initial];
  const calls: { command: string; args?: unknown }[] = [];
  invoke.mockImplementation(async (command: string, args?: unknown) => {
    calls.push({ command, args });
    switch (command) {
      case "list_backups":
        return { backups: [...list], keepDays: 14, folder: "/data/backups", encrypted };
      case "backup_now": {
        const made = backup("satchel-20250302-090000.db", "2025-03-02T09:00:00Z", 3 * 1024 * 1024);
        list.unshift(made);
        return made;
      }
      case "restore_backup":
      case "encrypt_book":
        return null;
      default:
        throw new Error(`unexpected command ${command}`);
    }
  });
  return calls;
}

afterEach(() => {
  cleanup();
  invoke.mockReset();
});

describe("Settings → Backups", () => {
  it("lists the backups with their date and size and adds one on Back up now", async () => {
    await i18n.changeLanguage("en");
    fakeBackups([backup("satchel-20250301-080000.db", "2025-03-01T08:00:00Z", 840 * 1024)]);
    render(<BackupSection />);
    const rows = await screen.findAllByTestId("backup-row");
    expect(rows).toHaveLength(1);
    expect(rows[0]!.textContent).toContain("840 KB");
    expect(rows[0]!.textContent).toMatch(/2025/);
    expect(screen.getByTestId("backup-section").textContent).toContain("14 days");
    await act(async () => {
      fireEvent.click(screen.getByTestId("backup-now"));
    });
    expect(screen.getByTestId("backup-made").textContent).toContain("satchel-20250302-090000.db");
    const after = await screen.findAllByTestId("backup-row");
    expect(after).toHaveLength(2);
    expect(after[0]!.textContent).toContain("3 MB");
  });

  it("restores only after the confirmation, and Cancel leaves the book alone", async () => {
    await i18n.changeLanguage("en");
    const calls = fakeBackups([backup("satchel-20250301-080000.db", "2025-03-01T08:00:00Z", 2048)]);
    render(<BackupSection />);
    fireEvent.click(await screen.findByTestId("backup-restore"));
    const dialog = screen.getByTestId("backup-restore-dialog");
    expect(dialog.textContent).toContain("before-restore");
    fireEvent.click(within(dialog).getByText("Cancel"));
    expect(screen.queryByTestId("backup-restore-dialog")).toBeNull();
    expect(calls.some((c) => c.command === "restore_backup")).toBe(false);
    fireEvent.click(screen.getByTestId("backup-restore"));
    await act(async () => {
      fireEvent.click(within(screen.getByTestId("backup-restore-dialog")).getByText("Restore and restart"));
    });
    expect(calls.filter((c) => c.command === "restore_backup")).toEqual([{ command: "restore_backup", args: { name: "satchel-20250301-080000.db" } }]);
  });

  it("encrypts the book only after the confirmation, and an encrypted book says so", async () => {
    await i18n.changeLanguage("en");
    const calls = fakeBackups([]);
    render(<BackupSection />);
    fireEvent.click(await screen.findByTestId("book-encrypt"));
    const dialog = screen.getByTestId("book-encrypt-dialog");
    expect(dialog.textContent).toContain("secret store");
    fireEvent.click(within(dialog).getByText("Cancel"));
    expect(calls.some((c) => c.command === "encrypt_book")).toBe(false);
    fireEvent.click(screen.getByTestId("book-encrypt"));
    await act(async () => {
      fireEvent.click(within(screen.getByTestId("book-encrypt-dialog")).getByText("Encrypt and restart"));
    });
    expect(calls.filter((c) => c.command === "encrypt_book")).toHaveLength(1);
    cleanup();
    fakeBackups([], true);
    render(<BackupSection />);
    expect((await screen.findByTestId("book-encrypted")).textContent).toContain("encrypted");
    expect(screen.queryByTestId("book-encrypt")).toBeNull();
  });

  it("speaks Chinese when the app does", async () => {
    await i18n.changeLanguage("zh-CN");
    fakeBackups([]);
    render(<BackupSection />);
    expect(await screen.findByText("还没有备份。今天会做第一份。")).toBeTruthy();
    expect(screen.getByTestId("backup-now").textContent).toBe("立即备份");
    await i18n.changeLanguage("en");
  });

  it("writes sizes as a file manager does", () => {
    expect(formatSize(500, "en")).toBe("1 KB");
    expect(formatSize(840 * 1024, "en")).toBe("840 KB");
    expect(formatSize(12.34 * 1024 * 1024, "en")).toBe("12.3 MB");
  });
});
