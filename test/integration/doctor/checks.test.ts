/**
 * Each of doctor's checks on a healthy workspace (nothing found) and on workspaces damaged the ways
 * a crash, a disk or a person damages them (each problem found, with its code and path).
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { bundleChecksums } from "../../../runner/doctor/bundles.js";
import { checkpoints } from "../../../runner/doctor/checkpoints.js";
import { deploymentRecords } from "../../../runner/doctor/deployments.js";
import { deadLocks } from "../../../runner/doctor/locks.js";
import { modelRegistry } from "../../../runner/doctor/models.js";
import { runRecords } from "../../../runner/doctor/runs.js";
import { strayTempFiles, tempOwner } from "../../../runner/doctor/temp-files.js";
import type { DoctorCheck } from "../../../runner/doctor/types.js";
import { age, deadPid, found, tempWorkspace, writeDeployment, writeModel, writeRun } from "./helpers.js";

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

function workspace(): string {
  const { ws, remove } = tempWorkspace();
  cleanup = remove;
  return ws;
}
const check = (c: DoctorCheck, ws: string) => c.run({ workspace: ws, env: "dev", now: Date.now(), staleMs: 5000 });

describe("doctor: runs", () => {
  it("finds nothing in healthy runs, a live run included", () => {
    const ws = workspace();
    writeRun(ws);
    writeRun(ws, { state: "RUNNING" });
    expect(check(runRecords, ws)).toEqual([]);
  });

  it("reports a record that does not parse, one of another run, a missing snapshot and a run whose runner died", () => {
    const ws = workspace();
    const torn = writeRun(ws);
    writeFileSync(path.join(ws, "runs", torn.run_id, "run.json"), '{"run_id": "r2');
    const other = writeRun(ws);
    const record = JSON.parse(readFileSync(path.join(ws, "runs", other.run_id, "run.json"), "utf8"));
    writeFileSync(path.join(ws, "runs", other.run_id, "run.json"), JSON.stringify({ ...record, run_id: "r20200101T000000-000000" }));
    const nosnap = writeRun(ws);
    rmSync(path.join(ws, "runs", nosnap.run_id, "job.json"));
    const dead = writeRun(ws, { state: "RUNNING", runner: { pid: deadPid(), host: hostname(), started_at: new Date().toISOString() } });
    const problems = check(runRecords, ws);
    expect(found(ws, problems)).toEqual(
      [`DS2050 runs/${torn.run_id}/run.json`, `DS2050 runs/${other.run_id}/run.json`, `DS2050 runs/${nosnap.run_id}/job.json`, `DS2056 runs/${dead.run_id}/run.json`].sort(),
    );
    expect(problems.find((p) => p.code === "DS2056")?.fix).toBeDefined();
    expect(problems.filter((p) => p.code === "DS2050").every((p) => p.fix === undefined)).toBe(true);
  });

  it("reaps a dead runner's run when fixed, and removes admission markers of dead runners", () => {
    const ws = workspace();
    const dead = writeRun(ws, { state: "RUNNING", runner: { pid: deadPid(), host: hostname(), started_at: new Date().toISOString() } });
    mkdirSync(path.join(ws, "active", "hello"), { recursive: true });
    writeFileSync(path.join(ws, "active", "hello", dead.run_id), JSON.stringify(dead.runner));
    const problems = check(runRecords, ws);
    expect(found(ws, problems)).toEqual([`DS2056 active/hello/${dead.run_id}`, `DS2056 runs/${dead.run_id}/run.json`]);
    for (const p of problems) p.fix!.apply();
    expect(JSON.parse(readFileSync(path.join(ws, "runs", dead.run_id, "run.json"), "utf8"))).toMatchObject({ state: "FAILED", interrupted: true });
    expect(check(runRecords, ws)).toEqual([]);
  });

  it("offers to remove a run folder whose creation was cut short, once it is old", () => {
    const ws = workspace();
    const dir = path.join(ws, "runs", "r20260101T000000-abcdef");
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, "job.json"), "{}");
    expect(check(runRecords, ws)[0]).toMatchObject({ code: "DS2050" });
    age(dir, 60);
    const [p] = check(runRecords, ws);
    expect(p).toMatchObject({ code: "DS2054", path: dir });
    p!.fix!.apply();
    expect(check(runRecords, ws)).toEqual([]);
  });
});

describe("doctor: deployments", () => {
  it("finds nothing in a healthy deployment", () => {
    const ws = workspace();
    writeDeployment(ws);
    expect(check(deploymentRecords, ws)).toEqual([]);
    expect(check(bundleChecksums, ws)).toEqual([]);
  });

  it("reports a current deployment naming a missing bundle or history record, and records that do not parse", () => {
    const ws = workspace();
    const { bundle, store } = writeDeployment(ws);
    rmSync(bundle, { recursive: true });
    rmSync(path.join(store.namespaceDir("default"), "history", "000001.json"));
    writeFileSync(path.join(store.namespaceDir("default"), "fingerprint.json"), "{");
    const problems = check(deploymentRecords, ws);
    expect(found(ws, problems)).toEqual(["DS2050 deployments/namespaces/default/fingerprint.json", "DS2053 deployments/namespaces/default/current.json", "DS2053 deployments/namespaces/default/current.json"]);
    expect(problems.map((p) => p.message).join("\n")).toMatch(/bundle [0-9a-f]{12} of job "etl", which does not exist/);
    expect(problems.every((p) => p.fix === undefined)).toBe(true);
    writeFileSync(path.join(store.namespaceDir("default"), "current.json"), "not json");
    expect(found(ws, check(deploymentRecords, ws))).toEqual(["DS2050 deployments/namespaces/default/current.json", "DS2050 deployments/namespaces/default/fingerprint.json"]);
  });

  it("reports a bundle file that differs from its manifest by one byte, or is gone, and a manifest that does not parse", () => {
    const ws = workspace();
    const { bundle } = writeDeployment(ws);
    const code = path.join(bundle, "code", "load.mjs");
    writeFileSync(code, readFileSync(code, "utf8").replace("1", "2"));
    rmSync(path.join(bundle, "job.json"));
    const rel = path.relative(ws, bundle);
    expect(found(ws, check(bundleChecksums, ws))).toEqual([`DS2051 ${rel}/code/load.mjs`, `DS2051 ${rel}/job.json`]);
    writeFileSync(path.join(bundle, "manifest.json"), "{");
    expect(found(ws, check(bundleChecksums, ws))).toEqual([`DS2050 ${rel}/manifest.json`]);
  });
});

describe("doctor: models", () => {
  it("finds nothing in a healthy registry", async () => {
    const ws = workspace();
    await writeModel(ws);
    expect(check(modelRegistry, ws)).toEqual([]);
  });

  it("reports a changed model file, a torn meta.json, a dangling alias and audit lines that do not parse", async () => {
    const ws = workspace();
    const dir = await writeModel(ws);
    const onnx = path.join(dir, "versions", "1", "model.onnx");
    rmSync(onnx);
    writeFileSync(onnx, "threshold=0.9\n");
    const meta = path.join(dir, "versions", "2", "meta.json");
    const text = readFileSync(meta, "utf8");
    rmSync(meta);
    writeFileSync(meta, text.slice(0, 40));
    writeFileSync(path.join(dir, "aliases.json"), JSON.stringify({ champion: 7, staging: 1 }));
    const audit = path.join(dir, "audit.jsonl");
    writeFileSync(audit, readFileSync(audit, "utf8") + "garbage\n" + '{"event":"alias"');
    const problems = check(modelRegistry, ws);
    expect(found(ws, problems)).toEqual(["DS2050 models/reviews/audit.jsonl", "DS2050 models/reviews/audit.jsonl", "DS2050 models/reviews/versions/2/meta.json", "DS2051 models/reviews/versions/1/model.onnx", "DS2052 models/reviews/aliases.json"]);
    expect(problems.find((p) => p.code === "DS2052")?.message).toBe("champion names version 7, which does not exist");
    expect(problems.filter((p) => p.path === audit).map((p) => p.message)).toEqual([expect.stringMatching(/^line 3 does not parse$/), expect.stringMatching(/^line 4 does not parse \(a last line cut short/)]);
  });
});

describe("doctor: checkpoints", () => {
  it("reports a checkpoint that does not parse", () => {
    const ws = workspace();
    mkdirSync(path.join(ws, "data", "checkpoints"), { recursive: true });
    writeFileSync(path.join(ws, "data", "checkpoints", "retrain.json"), '{"batches": []}');
    expect(check(checkpoints, ws)).toEqual([]);
    writeFileSync(path.join(ws, "data", "checkpoints", "score.json"), '{"batches": [');
    expect(found(ws, check(checkpoints, ws))).toEqual(["DS2050 data/checkpoints/score.json"]);
  });
});

describe("doctor: locks", () => {
  it("reports locks of dead holders and old unreadable ones, not live or fresh ones; the fix releases them", () => {
    const ws = workspace();
    const live = path.join(ws, "deployments", "deploy.lock");
    mkdirSync(path.dirname(live), { recursive: true });
    writeFileSync(live, JSON.stringify({ pid: process.pid, start: null, at: "" }));
    const dead = path.join(ws, "locks", "hello.lock");
    mkdirSync(path.dirname(dead), { recursive: true });
    writeFileSync(dead, JSON.stringify({ pid: deadPid(), start: null, at: "" }));
    const empty = path.join(ws, "models", "reviews", "aliases.lock");
    mkdirSync(path.dirname(empty), { recursive: true });
    writeFileSync(empty, "");
    expect(found(ws, check(deadLocks, ws))).toEqual(["DS2055 locks/hello.lock"]);
    age(empty, 60);
    const problems = check(deadLocks, ws);
    expect(found(ws, problems)).toEqual(["DS2055 locks/hello.lock", "DS2055 models/reviews/aliases.lock"]);
    for (const p of problems) p.fix!.apply();
    expect(check(deadLocks, ws)).toEqual([]);
    expect(readFileSync(live, "utf8")).toContain(String(process.pid));
  });

  it("does not release a lock that was taken over since it was found dead", () => {
    const ws = workspace();
    const file = path.join(ws, "locks", "hello.lock");
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify({ pid: deadPid(), start: null, at: "" }));
    const [p] = check(deadLocks, ws);
    writeFileSync(file, JSON.stringify({ pid: process.pid, start: null, at: "" }));
    p!.fix!.apply();
    expect(readFileSync(file, "utf8")).toContain(String(process.pid));
  });
});

describe("doctor: temporary files", () => {
  it("knows the temporary names dagship's writers use", () => {
    expect(tempOwner("/w/runs/r1/run.json.tmp-4242-7")).toBe(4242);
    expect(tempOwner("/w/data/checkpoints/.retrain.json.tmp-4242")).toBe(4242);
    expect(tempOwner("/w/deployments/objects/etl/.tmp-0123456789ab-4242")).toBe(4242);
    expect(tempOwner("/w/models/reviews/.staging/4242-deadbeef")).toBe(4242);
    expect(tempOwner("/w/deployments/trash/feature-x-4242-1700000000000")).toBe(4242);
    expect(tempOwner("/w/runs/r1/run.json")).toBeUndefined();
    expect(tempOwner("/w/models/reviews/versions/3")).toBeUndefined();
  });

  it("reports temporary files of dead processes, removable once old; leaves those of live processes alone", () => {
    const ws = workspace();
    const run = writeRun(ws);
    const pid = deadPid();
    const tmp = path.join(ws, "runs", run.run_id, `run.json.tmp-${pid}-1`);
    writeFileSync(tmp, "{");
    const staging = path.join(ws, "models", "reviews", ".staging", `${pid}-abcd1234`);
    mkdirSync(staging, { recursive: true });
    writeFileSync(path.join(staging, "model.onnx"), "x");
    const mine = path.join(ws, "runs", run.run_id, `run.json.tmp-${process.pid}-1`);
    writeFileSync(mine, "{");
    const fresh = check(strayTempFiles, ws);
    expect(found(ws, fresh)).toEqual([`DS2054 models/reviews/.staging/${pid}-abcd1234`, `DS2054 runs/${run.run_id}/run.json.tmp-${pid}-1`]);
    expect(fresh.every((p) => p.fix === undefined)).toBe(true);
    age(tmp, 60);
    age(staging, 60);
    const old = check(strayTempFiles, ws);
    for (const p of old) p.fix!.apply();
    expect(check(strayTempFiles, ws)).toEqual([]);
    expect(readFileSync(mine, "utf8")).toBe("{");
  });
});
