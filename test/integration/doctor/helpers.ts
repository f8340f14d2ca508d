/**
 * Workspaces for doctor's tests, built with dagship's own writers (so a healthy one is exactly what
 * dagship writes), and ways to damage them.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import path from "node:path";
import { sha256 } from "../../../runner/models/hash.js";
import { registerVersion } from "../../../runner/models/index.js";
import { writeJsonAtomic } from "../../../runner/workspace/atomic.js";
import { DeploymentStore, type DeploymentRecord } from "../../../runner/workspace/deployments.js";
import type { RunRecord } from "../../../runner/workspace/records.js";
import { RunStore } from "../../../runner/workspace/store.js";
import { model } from "../models/helpers.js";

/** A pid that is certainly not running: a process that has exited. */
export function deadPid(): number {
  return spawnSync("true").pid!;
}

export function tempWorkspace(): { ws: string; remove(): void } {
  const dir = mkdtempSync(path.join(tmpdir(), "dagship-doctor-"));
  const ws = path.join(dir, ".dagship", "dev");
  mkdirSync(ws, { recursive: true });
  return { ws, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A finished (or, with `runner`, a running) run with its job snapshot. */
export function writeRun(ws: string, overrides: Partial<RunRecord> = {}): RunRecord {
  const store = new RunStore(ws);
  const record: RunRecord = {
    run_id: store.newRunId(),
    job: "hello",
    env: "dev",
    state: "SUCCESS",
    started_at: new Date().toISOString(),
    parameters: {},
    tasks: { a: { state: "SUCCESS", attempts: [{ n: 1, state: "SUCCESS", started_at: new Date().toISOString() }], duration_ms: 1, values: {}, tables: {} } },
    runner: { pid: process.pid, host: hostname(), started_at: new Date().toISOString() },
    source: { kind: "working_tree", file: "jobs/hello/job.json" },
    ...overrides,
  };
  store.create(record);
  writeJsonAtomic(path.join(store.runDir(record.run_id), "job.json"), { name: "hello", tasks: [] });
  return record;
}

/** A deployment of job `etl` (one bundle with two files) made current in namespace `default`. */
export function writeDeployment(ws: string): { store: DeploymentStore; record: DeploymentRecord; bundle: string } {
  const store = new DeploymentStore(ws);
  const files = { "job.json": '{"name":"etl"}\n', "code/load.mjs": "export default () => 1;\n" };
  const id = sha256(JSON.stringify(files));
  const bundle = store.objectDir("etl", id);
  mkdirSync(path.join(bundle, "code"), { recursive: true });
  for (const [rel, text] of Object.entries(files)) writeFileSync(path.join(bundle, rel), text);
  const manifest = { format: 1, job: "etl", deployment_id: id, namespace: "default", created_at: new Date().toISOString(), git: { sha: "0".repeat(40), branch: "main", author: "t" }, dagship: "0.1.0", files: Object.fromEntries(Object.entries(files).map(([f, t]) => [f, sha256(t)])), code: {} };
  writeFileSync(path.join(bundle, "manifest.json"), JSON.stringify(manifest));
  const record: DeploymentRecord = { seq: 1, env: "dev", namespace: "default", kind: "deploy", created_at: new Date().toISOString(), git: { sha: "0".repeat(40), branch: "main", author: "t", dirty: [] }, jobs: { etl: id } };
  store.commit(record);
  return { store, record, bundle };
}

/** Two versions of model `reviews`, champion → 2. */
export async function writeModel(ws: string): Promise<string> {
  await registerVersion(ws, "reviews", model(0.3), { env: "dev" });
  await registerVersion(ws, "reviews", model(0.6), { env: "dev" });
  const dir = path.join(ws, "models", "reviews");
  writeJsonAtomic(path.join(dir, "aliases.json"), { champion: 2 });
  return dir;
}

/** Makes a file look `seconds` old. */
export function age(file: string, seconds: number): void {
  const t = new Date(Date.now() - seconds * 1000);
  utimesSync(file, t, t);
}

/** The codes and workspace-relative paths of a report's problems, sorted: what tests compare. */
export function found(ws: string, problems: ReadonlyArray<{ code: string; path: string }>): string[] {
  return problems.map((p) => `${p.code} ${path.relative(ws, p.path)}`).sort();
}
