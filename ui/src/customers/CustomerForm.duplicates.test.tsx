/**
 * The "looks like an existing customer" warning, against the in-memory fake of the commands: it
 * follows what is typed, never counts the record being edited, never blocks saving, and only the
 * answer to the latest input is shown.
 */
import { act, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { CustomerId, CustomerInput } from "../bindings";
import { FakeBackend } from "../test/fakeBackend";
import { passTime, useFakeClock } from "../test/timers";
import { CustomerForm } from "./CustomerForm";
import { blankValues, valuesFromCustomer, type FormValues } from "./formState";
import { DUPLICATE_DEBOUNCE_MS } from "./useDuplicateHints";

const { invoke } = vi.hoisted(() => ({ invoke: vi.fn() }));
vi.mock("@tauri-apps/api/core", () => ({ invoke }));

let backend: FakeBackend;

beforeEach(() => {
  backend = new FakeBackend();
  invoke.mockReset();
  invoke.mockImplementation(backend.invoke);
});

afterEach(() => vi.restoreAllMocks());

function renderForm(initial: FormValues = blankValues("person"), customerId: CustomerId | null = null) {
  const onSaved = vi.fn();
  const onOpenCustomer = vi.fn();
  render(<CustomerForm initial={initial} customerId={customerId} onSaved={onSaved} onCancel={vi.fn()} onOpenCustomer={onOpenCustomer} />);
  return { onSaved, onOpenCustomer };
}

const type = (testId: string, value: string) => fireEvent.change(screen.getByTestId(testId), { target: { value } });
const duplicateCalls = () =>
  backend.calls.filter((c) => c.command === "possible_duplicates").map((c) => c.args as { input: CustomerInput; editing: CustomerId | null });

function seedWang() {
  const company = backend.seed({ kind: "company", name: "上海示例贸易有限公司" });
  return backend.seed({ name: "王海示", companyId: company.id, phones: [{ id: null, label: "mobile", value: "+86 138-0013-8000" }] });
}

describe("the duplicate warning", () => {
  it("names the existing person when their phone is typed, opens them on request, and still lets the form save", async () => {
    const wang = seedWang();
    const { onSaved, onOpenCustomer } = renderForm();

    type("field-name", "王先生");
    fireEvent.click(screen.getByTestId("add-phone"));
    type("field-phones-0-value", "13800138000");

    const hint = await screen.findByTestId("duplicate-hint");
    expect(screen.getByTestId("duplicate-warning").getAttribute("role")).toBe("status");
    expect(hint.textContent).toContain("王海示");
    expect(hint.textContent).toContain("上海示例贸易有限公司");
    expect(hint.textContent).toContain("Same phone: 13800138000");
    // Sent exactly as save would send it, for a new record.
    expect(duplicateCalls().at(-1)).toMatchObject({ editing: null, input: { name: "王先生", phones: [{ value: "13800138000", label: "mobile" }] } });

    // Typed input would be lost, so leaving asks first; declining stays on the form.
    const confirm = vi.spyOn(window, "confirm").mockReturnValueOnce(false).mockReturnValueOnce(true);
    fireEvent.click(within(hint).getByTestId("duplicate-open"));
    expect(onOpenCustomer).not.toHaveBeenCalled();
    fireEvent.click(within(hint).getByTestId("duplicate-open"));
    expect(confirm).toHaveBeenCalledTimes(2);
    expect(onOpenCustomer).toHaveBeenCalledWith(wang.id);

    await act(async () => {
      fireEvent.click(screen.getByTestId("save"));
    });
    await waitFor(() => expect(onSaved).toHaveBeenCalled());
  });

  it("says nothing when the form edits that very customer", async () => {
    const wang = seedWang();
    renderForm(valuesFromCustomer(wang, (label) => label), wang.id);

    await waitFor(() => expect(duplicateCalls()).toHaveLength(1));
    await act(async () => {});
    expect(duplicateCalls()[0]).toMatchObject({ editing: wang.id, input: { phones: [{ value: "+86 138-0013-8000" }] } });
    expect(screen.queryByTestId("duplicate-warning")).toBeNull();
  });

  it("keeps the answer to the latest input when an older answer arrives late", async () => {
    seedWang();
    backend.seed({ name: "李雷", phones: [{ id: null, label: "mobile", value: "139 0013 9000" }] });
    // The first check is held until released; later ones answer at once.
    let release: (() => void) | null = null;
    invoke.mockImplementation(async (command: string, args: Record<string, unknown>) => {
      if (command === "possible_duplicates" && duplicateCalls().length === 0) {
        const answer = backend.invoke(command, args);
        await new Promise<void>((resolve) => (release = resolve));
        return answer;
      }
      return backend.invoke(command, args);
    });
    renderForm();

    fireEvent.click(screen.getByTestId("add-phone"));
    type("field-phones-0-value", "13800138000");
    await waitFor(() => expect(release).not.toBeNull());
    type("field-phones-0-value", "13900139000");
    await waitFor(() => expect(screen.getByTestId("duplicate-hint").textContent).toContain("李雷"));

    await act(async () => release!());
    expect(screen.getAllByTestId("duplicate-hint").map((h) => h.textContent)).toEqual([expect.stringContaining("李雷")]);
    expect(screen.getByTestId("duplicate-warning").textContent).not.toContain("王海示");
  });

  it("asks nothing while name, emails and phones are all empty", async () => {
    seedWang();
    renderForm();
    useFakeClock();
    type("field-owner", "李娜");
    // Well past the debounce, when a check would have been asked for.
    await passTime(DUPLICATE_DEBOUNCE_MS * 2);
    expect(duplicateCalls()).toEqual([]);
    // With a name typed, the check is asked for once typing has paused for the debounce.
    type("field-name", "王");
    await passTime(DUPLICATE_DEBOUNCE_MS - 1);
    expect(duplicateCalls()).toEqual([]);
    await passTime(1);
    expect(duplicateCalls()).toHaveLength(1);
    vi.useRealTimers();
  });
});
