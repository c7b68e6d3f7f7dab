/**
 * The form against a mocked IPC layer. `invoke` from @tauri-apps/api/core is replaced so the
 * generated bindings run unchanged; the real Rust side is tested end-to-end against the Tauri
 * window elsewhere.
 */
import { act, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { Customer, CustomerInput } from "../bindings";
import { uiError } from "../lib/result";
import { FakeBackend } from "../test/fakeBackend";
import { CustomerForm } from "./CustomerForm";
import { blankValues, valuesFromCustomer } from "./formState";

const { invoke } = vi.hoisted(() => ({ invoke: vi.fn() }));
vi.mock("@tauri-apps/api/core", () => ({ invoke }));

function respond(handlers: Record<string, (args: Record<string, unknown>) => unknown>) {
  invoke.mockImplementation(async (command: string, args: Record<string, unknown>) => {
    const handler = handlers[command];
    if (!handler) throw uiError(`unmocked ${command}`);
    return handler(args);
  });
}

const facets = () => ({ owners: ["Zhang Wei"], tags: ["vip"] });

function renderForm(onSaved = vi.fn()) {
  render(<CustomerForm initial={blankValues("person")} customerId={null} onSaved={onSaved} onCancel={vi.fn()} onOpenCustomer={vi.fn()} />);
  return { onSaved };
}

const byTestId = (id: string) => screen.getByTestId(id) as HTMLInputElement;

describe("CustomerForm", () => {
  beforeEach(() => {
    invoke.mockReset();
  });

  it("shows Rust's validation message under the email it names and keeps what was typed", async () => {
    respond({
      customer_facets: facets,
      create_customer: () => {
        throw uiError("Email address is not valid", { code: "validation", reason: "invalid.email", field: "emails.0.value" });
      },
    });
    const { onSaved } = renderForm();

    fireEvent.change(byTestId("field-name"), { target: { value: "李雷" } });
    fireEvent.change(byTestId("field-owner"), { target: { value: "Zhang Wei" } });
    fireEvent.click(screen.getByTestId("add-email"));
    fireEvent.change(byTestId("field-emails-0-value"), { target: { value: "li-at-example" } });
    fireEvent.change(byTestId("field-tag-input"), { target: { value: "vip" } });
    fireEvent.keyDown(byTestId("field-tag-input"), { key: "Enter" });
    await act(async () => {
      fireEvent.click(screen.getByTestId("save"));
    });

    const error = await waitFor(() => {
      const el = document.querySelector('[data-error-for="emails.0.value"]');
      expect(el).not.toBeNull();
      return el!;
    });
    expect(error.textContent).toBe("Email address is not valid");
    const emailInput = byTestId("field-emails-0-value");
    // "Next to that input": the message sits in the same field wrapper, and the input points at it.
    expect(emailInput.parentElement?.contains(error)).toBe(true);
    expect(emailInput.getAttribute("aria-invalid")).toBe("true");
    expect(emailInput.getAttribute("aria-describedby")).toBe(error.id);
    expect(document.activeElement).toBe(emailInput);

    expect(emailInput.value).toBe("li-at-example");
    expect(byTestId("field-name").value).toBe("李雷");
    expect(byTestId("field-owner").value).toBe("Zhang Wei");
    expect(screen.getAllByTestId("tag-chip").map((c) => c.textContent?.replace("×", ""))).toEqual(["vip"]);
    expect(onSaved).not.toHaveBeenCalled();

    const sent = invoke.mock.calls.find(([command]) => command === "create_customer")?.[1] as { input: CustomerInput };
    expect(sent.input).toMatchObject({ name: "李雷", owner: "Zhang Wei", tags: ["vip"], emails: [{ value: "li-at-example", label: "work" }] });
  });

  it("clears the message once the field is edited", async () => {
    respond({
      customer_facets: facets,
      create_customer: () => {
        throw uiError("Email address is not valid", { code: "validation", reason: "invalid.email", field: "emails.0.value" });
      },
    });
    renderForm();
    fireEvent.change(byTestId("field-name"), { target: { value: "Li" } });
    fireEvent.click(screen.getByTestId("add-email"));
    fireEvent.change(byTestId("field-emails-0-value"), { target: { value: "bad" } });
    await act(async () => {
      fireEvent.click(screen.getByTestId("save"));
    });
    await waitFor(() => expect(document.querySelector('[data-error-for="emails.0.value"]')).not.toBeNull());
    fireEvent.change(byTestId("field-emails-0-value"), { target: { value: "li@example.com" } });
    expect(document.querySelector('[data-error-for="emails.0.value"]')).toBeNull();
  });

  it("leaves an empty name to the core and shows its refusal under the name", async () => {
    const backend = new FakeBackend();
    invoke.mockImplementation((command: string, args: Record<string, unknown>) => backend.invoke(command, args));
    renderForm();
    await act(async () => {
      fireEvent.click(screen.getByTestId("save"));
    });
    const error = await waitFor(() => {
      const el = document.querySelector('[data-error-for="name"]');
      expect(el).not.toBeNull();
      return el!;
    });
    expect(error.textContent).toBe("Name: is required");
    expect(byTestId("field-name").getAttribute("aria-invalid")).toBe("true");
    expect(document.activeElement).toBe(byTestId("field-name"));
    expect(backend.customers.size).toBe(0);
  });

  it("shows every refused field at once: an empty name and a bad email from one save", async () => {
    const backend = new FakeBackend();
    invoke.mockImplementation((command: string, args: Record<string, unknown>) => backend.invoke(command, args));
    renderForm();
    fireEvent.change(byTestId("field-jobTitle"), { target: { value: "采购经理" } });
    // An empty row first: the core's index (0, of the cleaned list) is the second row on screen.
    fireEvent.click(screen.getByTestId("add-email"));
    fireEvent.click(screen.getByTestId("add-email"));
    fireEvent.change(byTestId("field-emails-1-value"), { target: { value: "li-at-example" } });
    await act(async () => {
      fireEvent.click(screen.getByTestId("save"));
    });

    await waitFor(() => expect(document.querySelectorAll(".field-error")).toHaveLength(2));
    expect(document.querySelector('[data-error-for="name"]')?.textContent).toBe("Name: is required");
    const emailError = document.querySelector('[data-error-for="emails.1.value"]');
    expect(emailError?.textContent).toBe("Email 1: is not a valid email address (like name@example.com)");
    expect(byTestId("field-emails-1-value").getAttribute("aria-invalid")).toBe("true");
    expect(byTestId("field-name").getAttribute("aria-invalid")).toBe("true");
    // Focus goes to the first of them on screen.
    expect(document.activeElement).toBe(byTestId("field-name"));
    expect(byTestId("field-jobTitle").value).toBe("采购经理");

    // Fixing one leaves the other shown.
    fireEvent.change(byTestId("field-name"), { target: { value: "李雷" } });
    expect(document.querySelector('[data-error-for="name"]')).toBeNull();
    expect(document.querySelector('[data-error-for="emails.1.value"]')).not.toBeNull();
  });

  it("sends a person's job title and department, shows a refusal beside them, and gives a company neither", async () => {
    const backend = new FakeBackend();
    invoke.mockImplementation((command: string, args: Record<string, unknown>) => backend.invoke(command, args));
    const { onSaved } = renderForm();
    fireEvent.change(byTestId("field-name"), { target: { value: "周敏" } });
    fireEvent.change(byTestId("field-jobTitle"), { target: { value: "x".repeat(101) } });
    fireEvent.change(byTestId("field-department"), { target: { value: " 采购部 " } });
    await act(async () => {
      fireEvent.click(screen.getByTestId("save"));
    });
    const error = await waitFor(() => {
      const el = document.querySelector('[data-error-for="jobTitle"]');
      expect(el).not.toBeNull();
      return el!;
    });
    expect(error.textContent).toBe("Job title: is too long (at most 100 characters)");
    expect(byTestId("field-jobTitle").parentElement?.contains(error)).toBe(true);
    expect(document.activeElement).toBe(byTestId("field-jobTitle"));

    fireEvent.change(byTestId("field-jobTitle"), { target: { value: "采购经理" } });
    await act(async () => {
      fireEvent.click(screen.getByTestId("save"));
    });
    await waitFor(() => expect(onSaved).toHaveBeenCalled());
    expect(onSaved.mock.calls[0]![0]).toMatchObject({ jobTitle: "采购经理", department: "采购部" });

    fireEvent.change(byTestId("field-kind"), { target: { value: "company" } });
    expect(screen.queryByTestId("field-jobTitle")).toBeNull();
    expect(screen.queryByTestId("field-department")).toBeNull();
  });

  it("points an error about a cleaned-up row at the row on screen", async () => {
    respond({
      customer_facets: facets,
      create_customer: () => {
        throw uiError("Bad phone", { code: "validation", reason: "invalid.phone", field: "phones.0.value" });
      },
    });
    renderForm();
    fireEvent.change(byTestId("field-name"), { target: { value: "Li" } });
    fireEvent.click(screen.getByTestId("add-phone"));
    fireEvent.click(screen.getByTestId("add-phone"));
    fireEvent.change(byTestId("field-phones-1-value"), { target: { value: "12" } });
    await act(async () => {
      fireEvent.click(screen.getByTestId("save"));
    });
    await waitFor(() => expect(document.querySelector('[data-error-for="phones.1.value"]')?.textContent).toBe("Bad phone"));
    expect(byTestId("field-phones-1-value").getAttribute("aria-invalid")).toBe("true");
  });

  it("saves with Ctrl+S and hands back the stored customer", async () => {
    const saved = { id: "c1", name: "Acme" } as Customer;
    respond({ customer_facets: facets, create_customer: () => saved });
    const { onSaved } = renderForm();
    fireEvent.change(byTestId("field-name"), { target: { value: "Acme" } });
    await act(async () => {
      fireEvent.keyDown(window, { key: "s", ctrlKey: true });
    });
    await waitFor(() => expect(onSaved).toHaveBeenCalledWith(saved));
  });

  it("sends Private unticked for a new record, and ticked once the user ticks it", async () => {
    respond({ customer_facets: facets, create_customer: () => ({ id: "c1", name: "Acme" }) as Customer });
    renderForm();
    const box = byTestId("customer-private");
    expect(box.checked).toBe(false);
    // The hint says who will see it, and the box points at it.
    expect(document.getElementById(box.getAttribute("aria-describedby")!)?.textContent).toBe("Once synced, only you and your team's managers see it");
    fireEvent.change(byTestId("field-name"), { target: { value: "Acme" } });
    await act(async () => {
      fireEvent.click(screen.getByTestId("save"));
    });
    const sent = () => invoke.mock.calls.filter(([command]) => command === "create_customer").map(([, args]) => (args as { input: CustomerInput }).input.private);
    await waitFor(() => expect(sent()).toEqual([false]));

    fireEvent.click(box);
    expect(box.checked).toBe(true);
    await act(async () => {
      fireEvent.click(screen.getByTestId("save"));
    });
    await waitFor(() => expect(sent()).toEqual([false, true]));
  });

  it("shows an empty birthday as empty, typed year first, read back in words, and sends YYYY-MM-DD", async () => {
    respond({ customer_facets: facets, create_customer: (args) => ({ id: "c1", ...(args.input as CustomerInput) }) as Customer });
    renderForm();
    const birthday = byTestId("field-birthday");
    // A text input, not WebKit's date picker, which shows today's date in grey, month first.
    expect(birthday.type).toBe("text");
    expect(birthday.value).toBe("");
    expect(birthday.placeholder).toBe("YYYY-MM-DD");
    expect(screen.queryByTestId("field-birthday-reads")).toBeNull();

    fireEvent.change(byTestId("field-name"), { target: { value: "王芳" } });
    fireEvent.change(birthday, { target: { value: "1990/5/1" } });
    expect(screen.getByTestId("field-birthday-reads").textContent).toBe("May 1, 1990");
    fireEvent.blur(birthday);
    expect(birthday.value).toBe("1990-05-01");
    await act(async () => {
      fireEvent.click(screen.getByTestId("save"));
    });
    const sent = invoke.mock.calls.find(([command]) => command === "create_customer")?.[1] as { input: CustomerInput };
    expect(sent.input.birthday).toBe("1990-05-01");
  });

  it("shows the core's refusal of a birthday it cannot read under the field, keeping what was typed", async () => {
    respond({
      customer_facets: facets,
      create_customer: () => {
        throw uiError("Birthday: is not a valid date (YYYY-MM-DD)", { code: "validation", reason: "invalid.date", field: "birthday" });
      },
    });
    renderForm();
    fireEvent.change(byTestId("field-name"), { target: { value: "王芳" } });
    fireEvent.change(byTestId("field-birthday"), { target: { value: "05/01/1990" } });
    expect(screen.queryByTestId("field-birthday-reads")).toBeNull();
    await act(async () => {
      fireEvent.click(screen.getByTestId("save"));
    });
    await waitFor(() => expect(document.querySelector('[data-error-for="birthday"]')?.textContent).toBe("Birthday: is not a valid date (YYYY-MM-DD)"));
    expect(byTestId("field-birthday").value).toBe("05/01/1990");
    expect(byTestId("field-birthday").getAttribute("aria-invalid")).toBe("true");
  });

  it("asks a company for no birthday, and a person for one", async () => {
    respond({ customer_facets: facets, create_customer: (args) => ({ id: "c1", ...(args.input as CustomerInput) }) as Customer });
    render(<CustomerForm initial={blankValues("company")} customerId={null} onSaved={vi.fn()} onCancel={vi.fn()} onOpenCustomer={vi.fn()} />);
    expect(screen.queryByTestId("field-birthday")).toBeNull();
    fireEvent.change(byTestId("field-kind"), { target: { value: "person" } });
    fireEvent.change(byTestId("field-birthday"), { target: { value: "1990-05-01" } });
    // Back to a company: the birthday goes, and is not sent.
    fireEvent.change(byTestId("field-kind"), { target: { value: "company" } });
    expect(screen.queryByTestId("field-birthday")).toBeNull();
    fireEvent.change(byTestId("field-name"), { target: { value: "Acme" } });
    await act(async () => {
      fireEvent.click(screen.getByTestId("save"));
    });
    const sent = invoke.mock.calls.find(([command]) => command === "create_customer")?.[1] as { input: CustomerInput };
    expect(sent.input.kind).toBe("company");
    expect(sent.input.birthday).toBeNull();
  });

  it("edits a private record with the box ticked and sends what it shows", async () => {
    const stored: Customer = {
      ...blankValues("person"),
      id: "c7",
      name: "王芳",
      companyName: null,
      companyDeleted: false,
      custom: [],
      private: true,
      createdAt: "2025-03-01T08:00:00Z",
      updatedAt: "2025-03-01T08:00:00Z",
      deletedAt: null,
    };
    respond({ customer_facets: facets, update_customer: (args) => ({ ...stored, ...(args.input as CustomerInput) }) });
    render(<CustomerForm initial={valuesFromCustomer(stored, (l) => l)} customerId="c7" onSaved={vi.fn()} onCancel={vi.fn()} onOpenCustomer={vi.fn()} />);
    const box = byTestId("customer-private");
    expect(box.checked).toBe(true);
    fireEvent.click(box);
    await act(async () => {
      fireEvent.click(screen.getByTestId("save"));
    });
    const sent = await waitFor(() => {
      const call = invoke.mock.calls.find(([command]) => command === "update_customer");
      expect(call).toBeDefined();
      return call![1] as { id: string; input: CustomerInput };
    });
    expect(sent.id).toBe("c7");
    expect(sent.input.private).toBe(false);
  });
});
