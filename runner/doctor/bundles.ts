/**
 * Job bundles (`deployments/objects/<job>/<id>/`): each manifest parses and names its own job and
 * id, and every file it lists has the sha256 it records. A damaged bundle is never repaired in
 * place (bundles are immutable); a new deploy of the same content cannot replace it either, since
 * the id is the same, so the hint says to remove it first.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { sha256 } from "../models/hash.js";
import { DeploymentStore } from "../workspace/deployments.js";
import { readJson } from "./deployments.js";
import { DOCTOR_CODES, type DoctorCheck, type Problem } from "./types.js";
import { entries } from "./walk.js";

/**
 * Verifies every job bundle's manifest and checksums.
 *
 * @example
 * ```ts
 * bundleChecksums.run(ctx); // [{ code: "DS2051", path: ".../objects/etl/3f9c…/code/load.mjs", message: "has sha256 ab12…, the manifest records 9f3c…" }]
 * ```
 */
export const bundleChecksums: DoctorCheck = {
  name: "bundles",
  run(ctx) {
    const store = new DeploymentStore(ctx.workspace);
    const problems: Problem[] = [];
    for (const job of entries(path.join(store.dir, "objects"))) {
      if (!job.isDirectory()) continue;
      for (const bundle of entries(path.join(store.dir, "objects", job.name))) {
        if (!bundle.isDirectory() || bundle.name.startsWith(".tmp-")) continue;
        problems.push(...checkBundle(store.objectDir(job.name, bundle.name), job.name, bundle.name));
      }
    }
    return problems;
  },
};

function checkBundle(dir: string, job: string, id: string): Problem[] {
  const problems: Problem[] = [];
  const hint = `remove the bundle's folder (${path.basename(path.dirname(dir))}/${id.slice(0, 12)}…) and deploy again: bundles are never changed in place`;
  const manifestFile = path.join(dir, "manifest.json");
  const manifest = readJson(manifestFile, problems, hint, "bundles") as { job?: unknown; deployment_id?: unknown; files?: Record<string, string> } | undefined;
  if (!manifest) return problems;
  if (manifest.job !== job || manifest.deployment_id !== id || !manifest.files || typeof manifest.files !== "object") {
    return [{ code: DOCTOR_CODES.unreadable, check: "bundles", path: manifestFile, message: `is not the manifest of bundle ${id.slice(0, 12)} of job "${job}"`, hint }];
  }
  for (const [rel, expected] of Object.entries(manifest.files)) {
    const file = path.join(dir, ...rel.split("/"));
    let data: Buffer;
    try {
      data = readFileSync(file);
    } catch (error) {
      problems.push({ code: DOCTOR_CODES.checksum, check: "bundles", path: file, message: `is listed in the bundle's manifest but cannot be read (${(error as NodeJS.ErrnoException).code})`, hint });
      continue;
    }
    const actual = sha256(data);
    if (actual !== expected) problems.push({ code: DOCTOR_CODES.checksum, check: "bundles", path: file, message: `has sha256 ${actual.slice(0, 12)}…, the bundle's manifest records ${String(expected).slice(0, 12)}…`, hint });
  }
  return problems;
}
