/**
 * Issue 13: deleting a company says what happens to its people (they keep it as their company,
 * shown as deleted, until it is restored), and such a person's page shows the company as deleted
 * while the link still opens it. The whole app against the in-memory fake of the commands.
 */
import { fireEvent, render, screen, waitFor } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import { App } from "../shell/App";
import { useFakeBackend } from "../test/fakeBackend";

const { invoke } = vi.hoisted(() => ({ invoke: vi.fn() }));
vi.mock("@tauri-apps/api/core", () => ({ invoke }));

const backend = useFakeBackend(invoke);

async function open(name: string): Promise<void> {
  const rows = await screen.findAllByTestId("customer-row");
  // A person's row names its company too: the record's own row starts with its name.
  fireEvent.click(rows.find((r) => (r.textContent ?? "").trim().startsWith(name))!);
  await waitFor(() => expect(screen.getByTestId("detail-name").textContent).toBe(name));
}

describe("a company in the trash and its people", () => {
  it("says its people keep it, and shows it as deleted on their page", async () => {
    const company = backend().seed({ kind: "company", name: "Hangzhou Tea Co." });
    backend().seed({ name: "王小明", companyId: company.id });
    render(<App />);

    await open("Hangzhou Tea Co.");
    fireEvent.click(screen.getByTestId("delete"));
    expect(await screen.findByText(/Its people keep it as their company, shown as deleted, until you restore it/)).toBeTruthy();

    await open("王小明");
    const link = screen.getByTestId("company-link");
    expect(link.textContent).toBe("Hangzhou Tea Co. (deleted)");
    fireEvent.click(link);
    await waitFor(() => expect(screen.getByTestId("detail-name").textContent).toBe("Hangzhou Tea Co."));
    expect(screen.getByTestId("restore")).toBeTruthy();
  });
});
