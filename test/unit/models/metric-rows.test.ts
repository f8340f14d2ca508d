import { describe, expect, it } from "vitest";
import { metricRows } from "../../../runner/models/metric-rows.js";

describe("metricRows", () => {
  it("lists every metric either side has, sorted, with the delta only where both have it", () => {
    expect(metricRows({ auc: 0.91, log_loss: 0.3 }, { auc: 0.89, accuracy: 0.8 })).toEqual([
      ["accuracy", "—", "0.8", "—"],
      ["auc", "0.91", "0.89", "+0.02"],
      ["log_loss", "0.3", "—", "—"],
    ]);
  });

  it("shows 6 significant digits and a negative delta without a plus; no champion gives no deltas", () => {
    expect(metricRows({ auc: 0.123456789 }, { auc: 0.2 })).toEqual([["auc", "0.123457", "0.2", "-0.0765432"]]);
    expect(metricRows({ auc: 0.5 }, null)).toEqual([["auc", "0.5", "—", "—"]]);
    expect(metricRows({}, null)).toEqual([]);
  });
});
