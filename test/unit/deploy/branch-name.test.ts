import { describe, expect, test } from "vitest";
import { branchNameProblem, checkBranchName } from "../../../runner/deploy/branch-name.js";
import { DagshipError } from "../../../runner/errors.js";

describe("branchNameProblem", () => {
  test("accepts what git accepts as a branch", () => {
    for (const ok of ["main", "feature/login", "release/v1.2", "fix-ünïcode", "a.b", "x@y", "!!!"]) expect(branchNameProblem(ok), ok).toBeUndefined();
  });

  test("refuses what git check-ref-format --branch refuses, and components over 255 bytes", () => {
    const cases: Array<[string, RegExp]> = [
      ["", /empty/],
      ["@", /"@"/],
      ["-x", /starts with "-"/],
      ["a b", /space or a control/],
      ["a\nb", /space or a control/],
      ["a\u0000b", /space or a control/],
      ["a~1", /"~"/],
      ["a^b", /"\^"/],
      ["a:b", /":"/],
      ["a?b", /"\?"/],
      ["a*b", /"\*"/],
      ["a[b", /"\["/],
      ["a\\b", /"\\"/],
      ["../x", /"\.\."/],
      ["a@{1}", /"@\{"/],
      ["/a", /empty path component/],
      ["a/", /empty path component/],
      ["a//b", /empty path component/],
      ["a.", /ends with "\."/],
      ["a/.hidden", /starting with "\."/],
      ["x.lock", /\.lock/],
      ["é".repeat(130), /255 bytes/],
    ];
    for (const [name, why] of cases) expect(branchNameProblem(name), JSON.stringify(name)).toMatch(why);
  });

  test("checkBranchName throws DS2060, exit 2, naming the branch", () => {
    try {
      checkBranchName("../x");
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(DagshipError);
      expect(error).toMatchObject({ code: "DS2060", exitCode: 2 });
      expect((error as Error).message).toContain('"../x"');
    }
  });
});
