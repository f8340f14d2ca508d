import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { checkRunSha } from "../../../runner/cli/commands/validate-annotations.js";

const EVENTS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../fixtures/github-events");

describe("checkRunSha", () => {
  it("annotates a pull request's head commit (GITHUB_SHA is then the merge commit the PR does not show)", () => {
    expect(checkRunSha({ GITHUB_SHA: "e1f2a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4", GITHUB_EVENT_PATH: path.join(EVENTS, "pull_request-opened.json") })).toBe("5b1d3c0f4e8a9b2c7d6e5f4a3b2c1d0e9f8a7b6c");
  });

  it("annotates GITHUB_SHA for a push, without an event file, or with one that cannot be read", () => {
    expect(checkRunSha({ GITHUB_SHA: "abc", GITHUB_EVENT_PATH: path.join(EVENTS, "push-branch.json") })).toBe("abc");
    expect(checkRunSha({ GITHUB_SHA: "abc" })).toBe("abc");
    expect(checkRunSha({ GITHUB_SHA: "abc", GITHUB_EVENT_PATH: path.join(EVENTS, "missing.json") })).toBe("abc");
    expect(checkRunSha({})).toBe("");
  });
});
