/**
 * Throw-away model registries for the registry tests: temp workspaces, fixture "models" (text
 * model.onnx files the fixture evaluator understands) and evaluation datasets.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { ModelRegistry } from "../../../runner/models/store.js";
import type { Actor } from "../../../runner/models/types.js";
import type { NewVersion } from "../../../runner/models/write-version.js";
// A plain JavaScript fixture: the CLI loads the same file as DAGSHIP_MODEL_EVALUATOR.
import { evaluate as fixtureEvaluate } from "../../fixtures/models/evaluator.mjs";

export const EVALUATOR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../fixtures/models/evaluator.mjs");
export const evaluate = fixtureEvaluate;
export const actor: Actor = { who: "Test <test@example.com>", git_sha: "0123456789abcdef0123456789abcdef01234567" };

/** A fresh temp folder, removed by the returned cleanup. */
export function tempDir(prefix = "dagship-models-"): string {
  return mkdtempSync(path.join(tmpdir(), prefix));
}

/** A registry in `<dir>/<env>` with the dataset `eval` of rows [x, label]. */
export function workspace(dir: string, env: string, rows?: Array<[number, number]>): ModelRegistry {
  const ws = path.join(dir, env);
  mkdirSync(ws, { recursive: true });
  if (rows) writeDataset(ws, "eval", rows);
  return new ModelRegistry(ws, env);
}

export function writeDataset(ws: string, name: string, rows: Array<[number, number]>): void {
  const dir = path.join(ws, "data", ...name.split("/"));
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, "rows.json"), JSON.stringify(rows));
}

/** Rows whose labels are 1 exactly for x > cut: a model with threshold `cut` scores 1.0 on them. */
export function rowsCutAt(cut: number, n = 20): Array<[number, number]> {
  return Array.from({ length: n }, (_, i) => {
    const x = (i + 0.5) / n;
    return [x, x > cut ? 1 : 0] as [number, number];
  });
}

/** A fixture model: `threshold=<t>` (and optional lines) as model.onnx, with a featurizer file. */
export function model(threshold: number, extra: { metrics?: string[]; fail?: string; lineage?: NewVersion["lineage"] } = {}): NewVersion {
  const lines = [`threshold=${threshold}`, ...(extra.metrics ? [`metrics=${extra.metrics.join(",")}`] : []), ...(extra.fail ? [`fail=${extra.fail}`] : [])];
  return {
    onnx: Buffer.from(lines.join("\n") + "\n"),
    featurizer: { kind: "identity", columns: ["x"] },
    metrics: { accuracy: 0.5 },
    params: { threshold },
    lineage: extra.lineage ?? { env: "dev", job: "retrain", run_id: "r-1", task_key: "train", deployment_id: null, git_sha: actor.git_sha, input_tables: [{ name: "rows", sha256: "ab".repeat(32) }] },
    files: { "featurizer/config.json": JSON.stringify({ columns: ["x"] }) },
  };
}

/** Every file under `dir` with its size and content hash-free text: a snapshot to compare before/after. */
export function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    let entries: string[];
    try {
      entries = readdirSync(d);
    } catch {
      return;
    }
    for (const e of entries) {
      const p = path.join(d, e);
      if (statSync(p).isDirectory()) walk(p);
      else out[path.relative(dir, p)] = readFileSync(p, "base64");
    }
  };
  walk(dir);
  return out;
}

/**
 * Bundles a TypeScript script (importing this checkout's sources by absolute path) into one plain
 * .mjs file with esbuild, so child processes start in milliseconds even on a loaded machine.
 */
export async function bundleScript(dir: string, name: string, source: string): Promise<string> {
  const { build } = await import("esbuild");
  const entry = path.join(dir, `${name}.mts`);
  const out = path.join(dir, `${name}.mjs`);
  writeFileSync(entry, source);
  await build({ entryPoints: [entry], outfile: out, bundle: true, platform: "node", format: "esm", target: "node20", packages: "external", logLevel: "error" });
  return out;
}

export function remove(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}
