import { describe, expect, it } from "vitest";
import { parameters } from "../../../runner/spec/rules/parameters.js";
import { jobOf, runRule, tsTask } from "./helpers.js";

const withParams = (params: unknown[]) => jobOf([tsTask("a")], { parameters: params });

describe("parameters rule (DS1021)", () => {
  it("reports nothing for unique parameter names", () => {
    expect(runRule(parameters, withParams([{ name: "rows", default: "1" }, { name: "Rows", default: "2" }]))).toEqual([]);
  });

  it("points at the second definition of a name", () => {
    const params = [{ name: "rows", default: "1" }, { name: "seed", default: "2" }, { name: "rows", default: "3" }];
    expect(runRule(parameters, withParams(params))).toEqual([
      { pointer: "/parameters/2/name", code: "DS1021", message: 'job parameter "rows" is defined twice', hint: "remove or rename one of them" },
    ]);
  });

  it("reports every further repeat", () => {
    const params = [{ name: "a", default: "" }, { name: "a", default: "" }, { name: "a", default: "" }];
    expect(runRule(parameters, withParams(params)).map((f) => f.pointer)).toEqual(["/parameters/1/name", "/parameters/2/name"]);
  });

  it("points at the file's own index when an earlier entry is malformed", () => {
    const params = ["not an object", { name: "a", default: "" }, { name: "a", default: "" }];
    expect(runRule(parameters, withParams(params)).map((f) => f.pointer)).toEqual(["/parameters/2/name"]);
  });
});
