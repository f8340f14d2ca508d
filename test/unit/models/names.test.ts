import { describe, expect, it } from "vitest";
import { DagshipError } from "../../../runner/errors.js";
import { checkAliasName, checkFilePath, checkModelName, parseVersion } from "../../../runner/models/names.js";

function codeOf(fn: () => unknown): { code: string; exit: number; message: string } {
  try {
    fn();
  } catch (error) {
    if (error instanceof DagshipError) return { code: error.code, exit: error.exitCode, message: error.message };
    throw error;
  }
  throw new Error("did not throw");
}

describe("model registry names", () => {
  it.each(["reviews", "churn-v2", "a", "m.1_x", "0abc"])("accepts the model name %j", (name) => {
    expect(checkModelName(name)).toBe(name);
  });

  it.each([
    ["../etc", "contains ../"],
    ["a/../b", "contains ../"],
    ["..", "contains ../"],
    ["a\0b", "NUL"],
    ["/abs/path", "absolute path"],
    ["C:\\models", "absolute path"],
    ["x".repeat(101), "101 characters long"],
    ["", "is empty"],
    ["Reviews", "may hold only"],
    ["a/b", "may hold only"],
    [".hidden", "may hold only"],
    ["a b", "may hold only"],
  ])("refuses the model name %j (%s) with DS2016, exit 2", (name, why) => {
    const e = codeOf(() => checkModelName(name));
    expect(e).toMatchObject({ code: "DS2016", exit: 2 });
    expect(e.message).toContain(why);
  });

  it("refuses aliases that are numbers, paths or too long", () => {
    expect(checkAliasName("champion")).toBe("champion");
    for (const bad of ["3", "../champion", "/x", "a\0", "c".repeat(64), "Champion"]) expect(codeOf(() => checkAliasName(bad)).code).toBe("DS2016");
  });

  it("checks further file paths: relative, no traversal, not reserved", () => {
    expect(checkFilePath("featurizer/vocab.json")).toBe("featurizer/vocab.json");
    for (const bad of ["../x", "a/../../x", "/etc/passwd", "a//b", ".git/config", "model.onnx", "meta.json", "x\0", "f".repeat(101)]) {
      expect(codeOf(() => checkFilePath(bad)).code, bad).toBe("DS2016");
    }
  });

  it("parses versions as whole numbers from 1", () => {
    expect(parseVersion("3")).toBe(3);
    expect(parseVersion(7)).toBe(7);
    for (const bad of ["0", "-1", "1.5", "x", "", "1e3"]) expect(codeOf(() => parseVersion(bad)).code, bad).toBe("DS2016");
  });
});
