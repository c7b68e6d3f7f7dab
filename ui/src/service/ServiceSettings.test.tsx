/**
 * Settings → Service: business hours, holidays and extra working days (typed or from an .ics
 * calendar), SLA targets and escalation rules, saved through the fake backend and read back; what
 * the core refuses shows next to the input it names, in the user's language.
 */
import { act, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { beforeAll, describe, expect, it, vi } from "vitest";
import i18n from "../i18n";
import { ToastProvider } from "../lib/toast";
import { useFakeBackend } from "../test/fakeBackend";
import en from "./i18n/settings.en.json";
import zhCN from "./i18n/settings.zh-CN.json";
import { ServiceSettingsSection } from "./ServiceSettingsSection";

const { invoke } = vi.hoisted(() => ({ invoke: vi.fn() }));
vi.mock("@tauri-apps/api/core", () => ({ invoke }));

// The module's catalogue reaches i18next through the registry once the service module is
// registered; until then (and to test the section alone) the test merges it itself.
beforeAll(() => {
  i18n.addResourceBundle("en", "translation", structuredClone(en), true, false);
  i18n.addResourceBundle("zh-CN", "translation", structuredClone(zhCN), true, false);
});

async function show() {
  render(
    <ToastProvider>
      <ServiceSettingsSection />
    </ToastProvider>,
  );
  return screen.findByTestId("service-settings");
}

const input = (testId: string) => screen.getByTestId(testId) as HTMLInputElement;
const type = (testId: string, value: string) => fireEvent.change(input(testId), { target: { value } });
const click = async (testId: string) => {
  await act(async () => {
    fireEvent.click(screen.getByTestId(testId));
  });
};
/** The refusal shown for `field` inside the part (or row) `within`. */
const errorFor = (field: string, scope: HTMLElement = document.body) => scope.querySelector(`[data-error-for="${field}"]`);
const dayRow = (date: string) => document.querySelector(`[data-testid="service-day"][data-date="${date}"]`) as HTMLElement | null;

describe("the service settings", () => {
  const backend = useFakeBackend(invoke);

  it("saves the business hours and shows what was saved", async () => {
    await show();
    expect(input("service-hours-open").value).toBe("09:00");
    expect(input("service-hours-tz").value).toBe("Asia/Shanghai");
    expect(input("service-hours-day-fri").checked).toBe(true);
    expect(input("service-hours-day-sat").checked).toBe(false);

    fireEvent.click(screen.getByLabelText("Sat"));
    fireEvent.click(screen.getByLabelText("Mon"));
    type("service-hours-open", "08:30");
    type("service-hours-close", "17:30");
    type("service-hours-tz", "Europe/Berlin");
    await click("service-hours-save");

    await waitFor(() => expect(backend().service.settings.hours).toEqual({ days: ["tue", "wed", "thu", "fri", "sat"], open: "08:30", close: "17:30", tz: "Europe/Berlin" }));
    expect(screen.getByTestId("toasts").textContent).toContain("Business hours saved");
    expect(input("service-hours-day-sat").checked).toBe(true);
    expect(input("service-hours-close").value).toBe("17:30");
    expect(screen.getByLabelText("Closing time")).toBe(input("service-hours-close"));
  });

  it("refuses a closing time before the opening time next to it, and saves nothing", async () => {
    await show();
    type("service-hours-close", "08:00");
    await click("service-hours-save");

    const close = input("service-hours-close");
    await waitFor(() => expect(errorFor("close")?.textContent).toBe("Closing time: must not be before the start"));
    // Next to its input: in the same field, and named by it.
    expect(close.closest(".form-field")!.contains(errorFor("close"))).toBe(true);
    expect(close.getAttribute("aria-invalid")).toBe("true");
    expect(close.getAttribute("aria-describedby")?.split(" ")).toContain(errorFor("close")!.id);
    expect(errorFor("open")).toBeNull();
    expect(backend().service.settings.hours).toEqual({ days: ["mon", "tue", "wed", "thu", "fri"], open: "09:00", close: "18:00", tz: "Asia/Shanghai" });

    // Typing again takes the complaint away.
    type("service-hours-close", "18:30");
    expect(errorFor("close")).toBeNull();
  });

  it("adds a holiday and an extra working day, and removes the holiday", async () => {
    await show();
    expect(screen.getByTestId("service-days-empty").textContent).toBe("No holidays or extra working days yet.");

    type("service-day-date", "2026-10-01");
    await click("service-day-add");
    await waitFor(() => expect(dayRow("2026-10-01")).not.toBeNull());
    expect(within(dayRow("2026-10-01")!).getByTestId("service-day-kind").textContent).toBe("Holiday");
    expect(dayRow("2026-10-01")!.textContent).toContain("October 1, 2026");
    expect(input("service-day-date").value).toBe("");

    type("service-day-date", "2026/10/10");
    fireEvent.click(screen.getByLabelText("Working day (a day off that is worked)"));
    await click("service-day-add");
    await waitFor(() => expect(dayRow("2026-10-10")).not.toBeNull());
    expect(within(dayRow("2026-10-10")!).getByTestId("service-day-kind").textContent).toBe("Working day");
    expect(backend().service.settings.days).toEqual([
      { date: "2026-10-01", working: false },
      { date: "2026-10-10", working: true },
    ]);

    await act(async () => {
      fireEvent.click(within(dayRow("2026-10-01")!).getByTestId("service-day-remove"));
    });
    await waitFor(() => expect(dayRow("2026-10-01")).toBeNull());
    expect(backend().service.settings.days).toEqual([{ date: "2026-10-10", working: true }]);
    expect(backend().calls.filter((c) => c.command === "clear_service_day").map((c) => c.args.date)).toEqual(["2026-10-01"]);
  });

  it("refuses a date that does not exist, naming the date field", async () => {
    await show();
    type("service-day-date", "2026-02-30");
    await click("service-day-add");

    await waitFor(() => expect(errorFor("date")?.textContent).toBe("Date: is not a valid date (YYYY-MM-DD)"));
    const date = input("service-day-date");
    expect(date.closest(".form-field")!.contains(errorFor("date"))).toBe(true);
    expect(date.getAttribute("aria-invalid")).toBe("true");
    expect(date.value).toBe("2026-02-30");
    expect(backend().service.settings.days).toEqual([]);
    expect(screen.queryAllByTestId("service-day")).toHaveLength(0);
  });

  it("imports an .ics holiday calendar and lists its days", async () => {
    await show();
    const ics = [
      "BEGIN:VCALENDAR",
      "VERSION:2.0",
      "PRODID:-//Test//Holidays//ZH",
      "BEGIN:VEVENT",
      "UID:national-day@test",
      "DTSTART;VALUE=DATE:20261001",
      "DTEND;VALUE=DATE:20261002",
      "SUMMARY:国庆节",
      "END:VEVENT",
      "BEGIN:VEVENT",
      "UID:national-day-makeup@test",
      "DTSTART;VALUE=DATE:20261010",
      "DTEND;VALUE=DATE:20261011",
      "SUMMARY:国庆节补班",
      "END:VEVENT",
      "END:VCALENDAR",
      "",
    ].join("\r\n");
    const file = new File([ics], "holidays.ics", { type: "text/calendar" });
    await act(async () => {
      fireEvent.change(screen.getByTestId("service-holidays-import"), { target: { files: [file] } });
    });

    await waitFor(() => expect(screen.getByTestId("service-holidays-imported").textContent).toBe("Imported 1 holiday and 1 working day"));
    await waitFor(() => expect(screen.getAllByTestId("service-day")).toHaveLength(2));
    expect(screen.getAllByTestId("service-day").map((row) => [row.dataset.date, within(row).getByTestId("service-day-kind").textContent])).toEqual([
      ["2026-10-01", "Holiday"],
      ["2026-10-10", "Working day"],
    ]);
    const sent = backend().calls.find((c) => c.command === "import_holidays");
    expect(sent?.args.size).toBe(new TextEncoder().encode(ics).byteLength);
  });

  it("saves SLA targets as business minutes and refuses a duration it cannot read", async () => {
    await show();
    // Shown as durations, not minutes.
    expect(input("service-sla-urgent-first").value).toBe("1h");
    expect(input("service-sla-normal-resolution").value).toBe("40h");
    const high = screen.getByTestId("service-sla-high");
    expect(within(high).getByText("High")).toBeTruthy();
    expect(within(high).getByLabelText("First response")).toBe(input("service-sla-high-first"));

    type("service-sla-high-first", "2h");
    type("service-sla-high-resolution", "16h");
    await click("service-sla-high-save");
    const target = (p: string) => backend().service.settings.sla.find(([q]) => q === p)?.[1];
    await waitFor(() => expect(target("high")).toEqual({ firstResponseMinutes: 120, resolutionMinutes: 960 }));
    expect(target("urgent")).toEqual({ firstResponseMinutes: 60, resolutionMinutes: 480 });

    type("service-sla-urgent-first", "1h30m");
    await click("service-sla-urgent-save");
    await waitFor(() => expect(target("urgent")).toEqual({ firstResponseMinutes: 90, resolutionMinutes: 480 }));
    expect(input("service-sla-urgent-first").value).toBe("1h30m");

    type("service-sla-high-resolution", "4 hours");
    await click("service-sla-high-save");
    await waitFor(() => expect(errorFor("resolution", high)?.textContent).toBe("Resolution: is not a duration (such as 30m, 4h or 1h30m)"));
    expect(errorFor("firstResponse", high)).toBeNull();
    expect(input("service-sla-high-resolution").getAttribute("aria-invalid")).toBe("true");
    // Only that row complains, and nothing was saved.
    expect(errorFor("resolution", screen.getByTestId("service-sla-urgent"))).toBeNull();
    expect(target("high")).toEqual({ firstResponseMinutes: 120, resolutionMinutes: 960 });
  });

  it("saves the escalation rules", async () => {
    await show();
    type("service-escalation-manager", " Wang Fang ");
    type("service-escalation-after", "30");
    fireEvent.click(screen.getByLabelText("Raise priority one step on breach"));
    fireEvent.change(screen.getByLabelText("Hand breached tickets to"), { target: { value: "Li Lei" } });
    await click("service-escalation-save");

    await waitFor(() => expect(backend().service.settings.escalation).toEqual({ manager: "Wang Fang", managerAfterMinutes: 30, raisePriority: true, reassignTo: "Li Lei" }));
    expect(screen.getByTestId("toasts").textContent).toContain("Escalation rules saved");

    // A delay that is not a number is refused before anything is sent.
    type("service-escalation-after", "soon");
    await click("service-escalation-save");
    expect(errorFor("managerAfterMinutes")?.textContent).toBe("Tell the manager after (minutes): must be between 0 and 10080");
    expect(backend().calls.filter((c) => c.command === "set_escalation")).toHaveLength(1);
  });

  it("reads in Chinese, with the core's refusals in Chinese", async () => {
    await act(async () => {
      await i18n.changeLanguage("zh-CN");
    });
    backend().locale = "zh-CN";
    const section = await show();
    expect(section.querySelector("h2")?.textContent).toBe("服务");
    expect(within(section).getByText("营业时间")).toBeTruthy();
    expect(within(section).getByText("节假日和调休上班日")).toBeTruthy();
    expect(within(section).getByText("升级规则")).toBeTruthy();
    expect(within(screen.getByTestId("service-sla-urgent")).getByText("紧急")).toBeTruthy();
    expect(within(screen.getByTestId("service-sla-urgent")).getByLabelText("首次响应")).toBe(input("service-sla-urgent-first"));
    expect(screen.getByLabelText("周六")).toBe(input("service-hours-day-sat"));

    type("service-hours-close", "08:00");
    await click("service-hours-save");
    await waitFor(() => expect(errorFor("close")?.textContent).toBe("结束时间：不能早于开始时间"));

    type("service-sla-low-first", "4 小时");
    await click("service-sla-low-save");
    await waitFor(() => expect(errorFor("firstResponse", screen.getByTestId("service-sla-low"))?.textContent).toBe("首次响应：不是有效的时长（例如 30m、4h 或 1h30m）"));
  });
});
