import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, test } from "vitest";
import { DeploymentStore, type DeploymentRecord } from "../../../runner/workspace/deployments.js";

let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const record = (seq: number, jobs: Record<string, string>, previous?: number): DeploymentRecord => ({
  seq,
  env: "dev",
  namespace: "feat",
  kind: "deploy",
  created_at: new Date(0).toISOString(),
  git: { sha: "", branch: "feat", author: "", dirty: [] },
  jobs,
  ...(previous === undefined ? {} : { previous }),
});

describe("DeploymentStore", () => {
  test("commit writes the history record and current; seqs continue after orphan history records", () => {
    dir = mkdtempSync(path.join(tmpdir(), "dagship-store-"));
    const store = new DeploymentStore(dir);
    expect(store.current("feat")).toBeUndefined();
    expect(store.nextSeq("feat")).toBe(1);
    store.commit(record(1, { a: "1" }));
    store.commit(record(2, { a: "2" }, 1));
    expect(store.current("feat")?.seq).toBe(2);
    expect(store.history("feat").map((r) => r.seq)).toEqual([1, 2]);
    expect(store.record("feat", 1)?.jobs).toEqual({ a: "1" });
    expect(store.namespaces()).toEqual(["feat"]);
    expect(store.nextSeq("feat")).toBe(3);
  });

  test("history is in seq order past seq 999999, where the file names grow a digit", () => {
    dir = mkdtempSync(path.join(tmpdir(), "dagship-store-"));
    const store = new DeploymentStore(dir);
    store.commit(record(999_999, { a: "1" }));
    store.commit(record(1_000_000, { a: "2" }, 999_999));
    expect(store.history("feat").map((r) => r.seq)).toEqual([999_999, 1_000_000]);
    expect(store.nextSeq("feat")).toBe(1_000_001);
  });

  test("namespace names cannot reach outside the workspace", () => {
    dir = mkdtempSync(path.join(tmpdir(), "dagship-store-"));
    const store = new DeploymentStore(dir);
    for (const bad of ["../x", "a/b", "", ".hidden", "A"]) expect(() => store.namespaceDir(bad)).toThrow(/not a namespace name/);
  });

  test("removing a namespace and collecting garbage keeps the bundles other namespaces name", () => {
    dir = mkdtempSync(path.join(tmpdir(), "dagship-store-"));
    const store = new DeploymentStore(dir);
    store.commit(record(1, { a: "shared", b: "only-feat" }));
    store.commit({ ...record(1, { a: "shared" }), namespace: "other" });
    for (const [job, id] of [["a", "shared"], ["b", "only-feat"], ["b", ".tmp-leftover"]] as const) mkdirSync(store.objectDir(job, id), { recursive: true });
    expect(store.removeNamespace("feat")).toBe(true);
    expect(store.removeNamespace("feat")).toBe(false);
    expect(store.collectGarbage()).toBe(1);
    expect(existsSync(store.objectDir("a", "shared"))).toBe(true);
    expect(readdirSync(path.join(store.dir, "objects", "b"))).toEqual([]);
    expect(store.namespaces()).toEqual(["other"]);
  });
});
