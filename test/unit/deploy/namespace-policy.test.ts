import { describe, expect, test } from "vitest";
import { branchSlug, namespaceFor } from "../../../runner/deploy/namespace.js";
import { branchMatches, checkDeployPolicy } from "../../../runner/deploy/policy.js";
import type { EnvironmentSpec } from "../../../runner/spec/schema/environment.js";

const dev: EnvironmentSpec = { name: "dev", workspace: { path: ".dagship/dev" }, isolation: "branch" };
const prod: EnvironmentSpec = { name: "prod", workspace: { path: ".dagship/prod" }, deploy: { allowed_branches: ["main", "release/*"], require_clean_tree: true } };
const git = (branch: string) => ({ branch, sha: "abc", short_sha: "abc" });

describe("namespaceFor", () => {
  test("a branch-isolated environment gets the branch as a safe folder name", () => {
    expect(namespaceFor(dev, undefined, "feature/Login-Form")).toBe("feature-login-form");
    expect(namespaceFor(dev, undefined, "x/../../etc")).toBe("x-.-.-etc");
    // As --branch, a name git could not hold is refused rather than folded into another namespace.
    expect(() => namespaceFor(dev, "x/../../etc", "main")).toThrow(/DS2060|not a git branch name/);
    expect(branchSlug("--..Weird__Name!!")).toBe("weird__name");
    expect(branchSlug("a".repeat(100))).toHaveLength(63);
  });

  test("other environments have one namespace, and --branch there is a usage error", () => {
    expect(namespaceFor(prod, undefined, "main")).toBe("default");
    expect(() => namespaceFor(prod, "x", "main")).toThrow(/isolation: branch/);
    expect(() => namespaceFor(dev, "!!!", "main")).toThrow(/no letters or digits/);
  });
});

describe("deploy policy", () => {
  test("branch patterns: * stays within a path segment, ** does not", () => {
    expect(branchMatches("release/*", "release/1.0")).toBe(true);
    expect(branchMatches("release/*", "release/1.0/hotfix")).toBe(false);
    expect(branchMatches("release/**", "release/1.0/hotfix")).toBe(true);
    expect(branchMatches("main", "mainline")).toBe(false);
    expect(branchMatches("v1.0", "v1x0")).toBe(false);
  });

  test("every violation is listed in one refusal", () => {
    const input = { spec: prod, git: git("feature"), state: () => ({ author: "", dirty: ["a.ts"] }), force: false, ci: false };
    expect(() => checkDeployPolicy(input)).toThrow(/branch "feature" is not one prod deploys from.*uncommitted: a\.ts/);
  });

  test("--force returns the violations outside CI and is refused in CI", () => {
    const input = { spec: prod, git: git("feature"), state: () => ({ author: "", dirty: [] }), force: true, ci: false };
    expect(checkDeployPolicy(input)).toEqual([expect.stringContaining('branch "feature"')]);
    expect(() => checkDeployPolicy({ ...input, ci: true })).toThrow(/--force is not allowed in CI/);
  });

  test("a clean allowed branch passes; the git state is only read when the policy needs it", () => {
    let reads = 0;
    const state = () => (reads++, { author: "", dirty: [] });
    expect(checkDeployPolicy({ spec: prod, git: git("release/2"), state, force: false, ci: false })).toEqual([]);
    expect(checkDeployPolicy({ spec: dev, git: git("x"), state, force: false, ci: false })).toEqual([]);
    expect(reads).toBe(1);
    expect(() => checkDeployPolicy({ spec: prod, git: git("main"), state: () => ({ author: "", dirty: undefined }), force: false, ci: false })).toThrow(/not a git repository/);
  });
});
