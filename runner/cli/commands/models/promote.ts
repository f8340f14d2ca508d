import path from "node:path";
import { UsageError } from "../../../errors.js";
import { actorOf } from "../../../models/actor.js";
import { loadEvaluator } from "../../../models/evaluate.js";
import { checkModelName } from "../../../models/names.js";
import { checkGate, promote, promoteBundle, promoteInPlace, type GateContext, type PromotionResult } from "../../../models/promote.js";
import { findRoot } from "../../../spec/repository.js";
import { loadEnvironment } from "../../../workspace/environment.js";
import { parseCommandArgs } from "../../args.js";
import type { Io } from "../../io.js";
import { reportPromotion } from "../actions.js";
import { readBundleFile } from "./bundle-file.js";
import { formatMetrics, registryOf, versionFlag } from "./common.js";

/**
 * `dagship models promote`, three ways in; the target's gate decides in each:
 * - `<name> --version N --from X --to Y`: export from X, verify, import into Y, gate;
 * - `--bundle file [--from X] --to Y`: a bundle exported elsewhere (import + gate); with --from,
 *   a bundle exported from another environment than X is refused (DS2031);
 * - `<name> --version N --to Y`: a version Y already holds (imported, or trained in Y).
 * Exit 0 whether or not the gate passed (the decision is the result, and is in the audit log);
 * with --require-promotion, exit 1 unless the alias names the version afterwards. In GitHub
 * Actions: the step outputs `model_version` (the target's version) and `promoted`, and the
 * decision in the job summary.
 */
export async function run(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseCommandArgs("models promote", argv, {
    version: { type: "string" },
    from: { type: "string" },
    to: { type: "string" },
    bundle: { type: "string" },
    sha256: { type: "string" },
    "require-promotion": { type: "boolean" },
  });
  if (typeof values.to !== "string") throw new UsageError("dagship models promote needs --to <env>: the environment whose gate decides", { hint: "e.g. dagship models promote reviews --version 3 --from dev --to staging" });
  const bundleFile = typeof values.bundle === "string" ? values.bundle : undefined;
  if (bundleFile !== undefined && (positionals.length > 0 || values.version !== undefined)) throw new UsageError("--bundle takes the model and version from the bundle: give no <name> or --version with it", { hint: "--from <env> with --bundle refuses a bundle exported from another environment" });
  if (bundleFile === undefined && positionals.length !== 1) throw new UsageError(`dagship models promote takes one <name>, got ${positionals.length} arguments`, { hint: "or --bundle <file> --to <env>" });
  if (bundleFile === undefined && values.sha256 !== undefined) throw new UsageError("--sha256 goes with --bundle");
  // The names first: a bad one is the user's to fix whatever the target's gate says.
  if (bundleFile === undefined) checkModelName(positionals[0]!);
  const root = findRoot(io.cwd);
  const target = loadEnvironment(root, values.to, io.env);
  const registry = registryOf(target);
  const gate = target.spec?.promotion?.gate;
  checkGate({ target: registry, gate }); // a target without a gate or dataset is refused before anything else
  const evaluate = await loadEvaluator({ cwd: io.cwd, processEnv: io.env, gate, root, cacheDir: path.join(target.workspace, "cache", "bundles") });
  const ctx: GateContext = { target: registry, gate, evaluate, actor: actorOf(root, io.env) };
  let result: PromotionResult;
  if (bundleFile !== undefined) {
    const { bytes, expectedSha256, label } = readBundleFile(bundleFile, io.cwd, values.sha256);
    const expectedEnv = typeof values.from === "string" ? values.from : undefined;
    result = await promoteBundle(bytes, ctx, { label, ...(expectedSha256 ? { expectedSha256 } : {}), ...(expectedEnv ? { expectedEnv } : {}) });
  } else {
    const name = checkModelName(positionals[0]!);
    const version = versionFlag(values, "promote");
    const from = typeof values.from === "string" && values.from !== values.to ? loadEnvironment(root, values.from, io.env) : undefined;
    result = from ? await promote({ source: registryOf(from), name, version }, ctx) : await promoteInPlace(name, version, ctx);
  }
  reportPromotion(result, io);
  if (values.json) io.stdout(JSON.stringify(result, null, 2) + "\n");
  else io.stdout(describe(result));
  if (values["require-promotion"] && result.champion !== result.target_version) {
    io.stderr(`dagship: --require-promotion: ${result.name} v${result.target_version} is not the ${result.alias} of ${result.to} (the gate did not pass)\n`);
    return 1;
  }
  return 0;
}

function describe(r: PromotionResult): string {
  const g = r.gate;
  const moved = r.from !== r.to ? `${r.name} v${r.source_version} of ${r.from} → ${r.to} v${r.target_version}${r.imported ? "" : " (already there)"}` : `${r.name} v${r.target_version} of ${r.to}`;
  const figures = [`  challenger v${r.target_version}: ${formatMetrics(g.challenger_metrics) || "-"}`, ...(g.champion_metrics ? [`  champion   v${g.champion_version}: ${formatMetrics(g.champion_metrics)}`] : [])];
  const verdict = r.promoted ? `${r.alias} → v${r.target_version}` : r.champion === r.target_version ? `already the ${r.alias}` : `${r.alias} stays ${r.champion === null ? "unset" : `v${r.champion}`}`;
  return [`${g.passed ? "✓" : "✗"} ${moved}: gate ${g.passed ? "passed" : "failed"} on ${g.dataset} — ${g.reason}; ${verdict}`, ...figures].join("\n") + "\n";
}
