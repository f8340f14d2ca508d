/**
 * Deployment records: every namespace's `current.json`, `history/<seq>.json` and
 * `fingerprint.json` parses, and the current deployment names a history record and job bundles
 * that exist. Nothing here is repaired automatically: which deployment should be current is a
 * person's call (`dagship deploy --rollback`, or a new deploy).
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { DeploymentStore, type DeploymentRecord } from "../workspace/deployments.js";
import { unreadableDir } from "./runs.js";
import { DOCTOR_CODES, type DoctorCheck, type Problem } from "./types.js";
import { entries } from "./walk.js";

/**
 * Checks every namespace's deployment records.
 *
 * @example
 * ```ts
 * deploymentRecords.run(ctx); // [{ code: "DS2053", path: ".../namespaces/default/current.json", message: "names the bundle 3f9c… of job etl, which does not exist" }]
 * ```
 */
export const deploymentRecords: DoctorCheck = {
  name: "deployments",
  run(ctx) {
    const store = new DeploymentStore(ctx.workspace);
    const problems: Problem[] = [];
    const nsRoot = path.join(store.dir, "namespaces");
    for (const ns of entries(nsRoot, (e) => problems.push(unreadableDir(nsRoot, e)))) {
      if (!ns.isDirectory()) continue;
      const dir = path.join(nsRoot, ns.name);
      const history = new Set<number>();
      for (const h of entries(path.join(dir, "history"))) {
        if (!/^\d{6,}\.json$/.test(h.name)) continue;
        const record = readRecord(path.join(dir, "history", h.name), problems);
        if (record) history.add(record.seq);
      }
      if (existsSync(path.join(dir, "fingerprint.json"))) readJson(path.join(dir, "fingerprint.json"), problems, "the next deploy recompiles everything and rewrites it");
      const currentFile = path.join(dir, "current.json");
      if (!existsSync(currentFile)) continue;
      const current = readRecord(currentFile, problems);
      if (!current) continue;
      const dangling = (message: string): Problem => ({ code: DOCTOR_CODES.danglingDeployment, check: "deployments", path: currentFile, message, hint: `make a deployment that exists current: dagship deploy --env ${current.env} (or --rollback)` });
      if (!history.has(current.seq)) problems.push(dangling(`names deployment ${current.seq} of namespace ${ns.name}, which has no history record`));
      for (const [job, id] of Object.entries(current.jobs)) {
        if (!existsSync(path.join(store.objectDir(job, id), "manifest.json"))) problems.push(dangling(`names the bundle ${id.slice(0, 12)} of job "${job}", which does not exist`));
      }
    }
    return problems;
  },
};

function readRecord(file: string, problems: Problem[]): DeploymentRecord | undefined {
  const value = readJson(file, problems, "restore it from a backup, or deploy again");
  if (value === undefined) return undefined;
  const r = value as Partial<DeploymentRecord>;
  if (typeof r.seq !== "number" || typeof r.env !== "string" || !r.jobs || typeof r.jobs !== "object") {
    problems.push({ code: DOCTOR_CODES.unreadable, check: "deployments", path: file, message: "is not a deployment record (no seq, env or jobs)", hint: "restore it from a backup, or deploy again" });
    return undefined;
  }
  return r as DeploymentRecord;
}

/**
 * Parses a JSON file, recording a problem (DS2050) when it cannot be read or does not parse.
 *
 * @example
 * ```ts
 * const record = readJson(file, problems, "restore it from a backup");
 * ```
 */
export function readJson(file: string, problems: Problem[], hint: string, check = "deployments"): unknown {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    problems.push({ code: DOCTOR_CODES.unreadable, check, path: file, message: `cannot be read (${(error as NodeJS.ErrnoException).code})`, hint: "check the file's permissions" });
    return undefined;
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    problems.push({ code: DOCTOR_CODES.unreadable, check, path: file, message: `is not valid JSON (${(error as Error).message})`, hint });
    return undefined;
  }
}
