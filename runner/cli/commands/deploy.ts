import { UsageError } from "../../errors.js";
import { parseCommandArgs } from "../args.js";
import type { Io } from "../io.js";
import { deploySummary, historyTable } from "../output/deploy.js";
import { deploySummaryMarkdown } from "../output/summary.js";
import { appendSummary } from "./actions.js";
import { environmentOf, inCi, printPlanErrors } from "./common.js";

/** `dagship deploy`: see the command list in ./index.ts for its usage. */
export async function run(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseCommandArgs("deploy", argv, {
    env: { type: "string" },
    branch: { type: "string" },
    force: { type: "boolean" },
    rollback: { type: "boolean" },
    history: { type: "boolean" },
  });
  if (positionals.length > 0) throw new UsageError(`dagship deploy deploys every job; it takes no arguments, got ${positionals.join(" ")}`, { hint: "see what would change first: dagship diff --env <env>" });
  if (values.rollback && values.history) throw new UsageError("--rollback and --history do not go together");
  const env = environmentOf(values, io);
  const branch = typeof values.branch === "string" ? values.branch : undefined;
  if (values.history) return history(env, branch, io, Boolean(values.json));
  if (values.rollback) {
    const { rollback } = await import("../../deploy/rollback.js");
    const { record, from } = await rollback({ env, ...(branch === undefined ? {} : { branch }), processEnv: io.env });
    const jobs = Object.fromEntries(Object.entries(record.jobs).map(([job, id]) => [job, { deployment_id: id, changed: from.jobs[job] !== id }]));
    if (values.json) io.stdout(JSON.stringify({ env: env.name, namespace: record.namespace, seq: record.seq, rolled_back_to: record.rolled_back_to, jobs }, null, 2) + "\n");
    else io.stdout(`✓ rolled back ${env.name}/${record.namespace}: deployment ${record.seq} makes deployment ${record.rolled_back_to}'s jobs current again (was ${from.seq})\n`);
    return 0;
  }
  const { deploy } = await import("../../deploy/deploy.js");
  const result = await deploy({ env, ...(branch === undefined ? {} : { branch }), force: Boolean(values.force), ci: inCi(io), cwd: io.cwd, processEnv: io.env });
  if (!result.ok) return printPlanErrors(result, io, "deploy", Boolean(values.json));
  for (const f of result.forced) io.stderr(`warning: deploying with --force although ${f}\n`);
  appendSummary(deploySummaryMarkdown(result), io);
  if (values.json) {
    const jobs = Object.fromEntries(Object.entries(result.jobs).map(([job, j]) => [job, { deployment_id: j.deployment_id, changed: j.changed, status: j.status }]));
    io.stdout(JSON.stringify({ env: result.env, namespace: result.namespace, seq: result.seq, noop: result.noop, jobs, removed: result.removed, ...(result.forced.length ? { forced: result.forced } : {}) }, null, 2) + "\n");
  } else io.stdout(deploySummary(result));
  return 0;
}

async function history(env: ReturnType<typeof environmentOf>, branch: string | undefined, io: Io, json: boolean): Promise<number> {
  const { DeploymentStore } = await import("../../workspace/deployments.js");
  const { namespaceFor } = await import("../../deploy/namespace.js");
  const { gitInfo } = await import("../../render/git.js");
  const namespace = namespaceFor(env.spec!, branch, gitInfo(env.root, io.env).branch);
  const store = new DeploymentStore(env.workspace);
  const records = store.history(namespace);
  const current = store.current(namespace)?.seq;
  if (json) io.stdout(JSON.stringify({ env: env.name, namespace, current: current ?? null, deployments: [...records].reverse() }, null, 2) + "\n");
  else io.stdout(records.length === 0 ? `nothing deployed to ${env.name}/${namespace} yet\n` : historyTable(records, current));
  return 0;
}
