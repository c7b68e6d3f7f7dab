import { render, screen } from "@testing-library/react";
import { useRef } from "react";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { giveListAViewport } from "../test/fakeBackend";
import { Spacer, useVirtualRows } from "./virtualRows";

// jsdom lays nothing out: the scrolling box is given a height of 400 px by hand.
let restore = () => {};
beforeEach(() => {
  restore = giveListAViewport(400);
});
afterEach(() => restore());

function Table({ count }: { count: number }) {
  const ref = useRef<HTMLDivElement>(null);
  const virtual = useVirtualRows(count, ref, 37);
  return (
    <div ref={ref} data-virtual-rows>
      <table>
        <tbody>
          <Spacer height={virtual.before} columns={1} />
          {virtual.rows.map((r) => (
            <tr key={r.index} data-testid="row" data-index={r.index}>
              <td>Row {r.index}</td>
            </tr>
          ))}
          <Spacer height={virtual.after} columns={1} />
        </tbody>
      </table>
    </div>
  );
}

describe("a long table", () => {
  it("draws a few rows from the top and stands in for the rest with one spacer of their height", () => {
    const { container } = render(<Table count={20000} />);
    const rows = screen.getAllByTestId("row");
    expect(rows.length).toBeGreaterThan(0);
    // A 400 px box holds 11 rows of 37 px; the rest drawn are the overscan below it.
    expect(rows.length).toBeLessThan(40);
    expect(rows[0]!.textContent).toBe("Row 0");
    const spacers = [...container.querySelectorAll<HTMLTableCellElement>(".virtual-spacer td")];
    expect(spacers).toHaveLength(1);
    expect(spacers[0]!.style.height).toBe(`${(20000 - rows.length) * 37}px`);
  });

  it("draws every row of a short table with no spacer", () => {
    const { container } = render(<Table count={3} />);
    expect(screen.getAllByTestId("row").map((r) => r.textContent)).toEqual(["Row 0", "Row 1", "Row 2"]);
    expect(container.querySelectorAll(".virtual-spacer")).toHaveLength(0);
  });
});
