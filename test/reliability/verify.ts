/**
 * Independent checks of what a killed command left, read straight from the workspace's files
 * (not through dagship): deployment bundles against their manifests, the registry's aliases and
 * versions, and what `dagship doctor` reports.
 */
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { runCli } from "../e2e/cli.js";

const sha256 = (data: Buffer) => createHash("sha256").update(data).digest("hex");

/** The current deployment of a namespace, read from its current.json (undefined before the first). */
export function currentDeployment(ws: string, namespace = "default"): { seq: number; jobs: Record<string, string> } | undefined {
  const file = path.join(ws, "deployments", "namespaces", namespace, "current.json");
  return existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as { seq: number; jobs: Record<string, string> }) : undefined;
}

/** Problems of one job bundle: a missing or unparseable manifest, files that differ from it. */
export function bundleProblems(ws: string, job: string, id: string): string[] {
  const dir = path.join(ws, "deployments", "objects", job, id);
  let manifest: { files: Record<string, string>; deployment_id: string };
  try {
    manifest = JSON.parse(readFileSync(path.join(dir, "manifest.json"), "utf8"));
  } catch (error) {
    return [`${job}/${id.slice(0, 12)}: manifest.json: ${(error as Error).message}`];
  }
  const out: string[] = [];
  if (manifest.deployment_id !== id) out.push(`${job}/${id.slice(0, 12)}: the manifest names ${manifest.deployment_id}`);
  for (const [rel, expected] of Object.entries(manifest.files)) {
    const file = path.join(dir, rel);
    if (!existsSync(file)) out.push(`${job}/${id.slice(0, 12)}/${rel}: missing`);
    else if (sha256(readFileSync(file)) !== expected) out.push(`${job}/${id.slice(0, 12)}/${rel}: sha256 differs from the manifest`);
  }
  return out;
}

/** A model's aliases, read from aliases.json (which must parse whenever it exists). */
export function aliasesOf(ws: string, model: string): Record<string, number> {
  const file = path.join(ws, "models", model, "aliases.json");
  return existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as Record<string, number>) : {};
}

/** The registry's versions of a model with the source version each was imported from. */
export function versionsOf(ws: string, model: string): Array<{ version: number; source?: number }> {
  const dir = path.join(ws, "models", model, "versions");
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((v) => /^\d+$/.test(v))
    .map((v) => {
      const meta = JSON.parse(readFileSync(path.join(dir, v, "meta.json"), "utf8"));
      return { version: Number(v), source: meta.lineage?.source?.version };
    })
    .sort((a, b) => a.version - b.version);
}

/** What a kill may leave for doctor to find: stray temporary files and a dead lock. Nothing else. */
const CRASH_LEFTOVERS = new Set(["DS2054", "DS2055"]);

/**
 * Runs `dagship doctor --env <env> --json` and returns its problems other than the leftovers a
 * kill may leave (which the next command takes over or cleans up): a damaged workspace.
 */
export async function doctorDamage(cwd: string, env: string): Promise<string[]> {
  const r = await runCli(["doctor", "--env", env, "--json"], { cwd, env: { DAGSHIP_NO_TTY: "1" }, timeoutMs: 60_000 });
  let body: { remaining: Array<{ code: string; path: string; message: string }> };
  try {
    body = JSON.parse(r.stdout);
  } catch {
    return [`dagship doctor did not print JSON (exit ${r.code}): ${r.stdout}${r.stderr}`];
  }
  return body.remaining.filter((p) => !CRASH_LEFTOVERS.has(p.code)).map((p) => `${p.code} ${p.path}: ${p.message}`);
}
