import { describe, expect, test } from "vitest";
import { wholeNumberFlag } from "../../../runner/cli/args.js";
import { main } from "../../../runner/cli/main.js";
import { safeText } from "../../../runner/cli/output/safe-text.js";

describe("safeText", () => {
  test("escapes control and bidi characters, keeps the rest", () => {
    expect(safeText('no job "\u001b[31mred"')).toBe('no job "\\u001b[31mred"');
    expect(safeText("x\u202Egnp.exe \u2066a\u2069")).toBe("x\\u202egnp.exe \\u2066a\\u2069");
    expect(safeText("a\u0000b\rc\u007f\u0085")).toBe("a\\u0000b\\u000dc\\u007f\\u0085");
    expect(safeText("a\nb")).toBe("a\\u000ab");
    expect(safeText("a\nb", { keepNewlines: true })).toBe("a\nb");
    expect(safeText("ünïcode 💥 ｆｕｌｌ")).toBe("ünïcode 💥 ｆｕｌｌ");
  });

  test("the CLI's error line carries no raw escape of what the user typed", async () => {
    let stderr = "";
    const code = await main(["bogus\u001b[2J"], { stdout: () => undefined, stderr: (t) => (stderr += t), env: {}, cwd: process.cwd(), isTTY: false });
    expect(code).toBe(2);
    expect(stderr).toContain('unknown command "bogus\\u001b[2J"');
    expect(stderr).not.toContain("\u001b");
  });
});

describe("wholeNumberFlag", () => {
  test("plain decimal digits within the range", () => {
    expect(wholeNumberFlag("--limit", "20", { min: 1, max: 100 })).toBe(20);
    expect(wholeNumberFlag("--limit", "100", { min: 1, max: 100 })).toBe(100);
  });

  test("anything else is a usage error naming the value", () => {
    for (const bad of ["0", "101", "-1", "1.5", "1e3", "0x10", " 2", "2 ", "", "Infinity", "NaN", "abc", "99999999999999999999", undefined, true]) {
      expect(() => wholeNumberFlag("--limit", bad, { min: 1, max: 100 }), String(bad)).toThrow(`--limit must be a whole number from 1 to 100, got "${String(bad)}"`);
    }
  });
});
