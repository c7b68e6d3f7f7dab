/**
 * Fake time for tests that wait out a debounce or a throttle: instead of sleeping past it, the
 * test moves the clock by exactly that much, so it is quick and says which delay it means.
 */
import { act } from "@testing-library/react";
import { vi } from "vitest";

/**
 * Fakes the clocks the UI's debounces, throttles and focus retries run on (setTimeout and
 * requestAnimationFrame) until `vi.useRealTimers()`. setInterval stays real, so `waitFor` and
 * `findBy…` keep polling as usual.
 */
export function useFakeClock(): void {
  vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "requestAnimationFrame", "cancelAnimationFrame"] });
}

/** Lets `ms` of fake time pass inside act: timers due by then run, and what they start settles. */
export async function passTime(ms: number): Promise<void> {
  await act(async () => {
    await vi.advanceTimersByTimeAsync(ms);
  });
}
