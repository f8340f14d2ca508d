/**
 * `npm run data -- [--env dev] [--rows 20000] [--drift 0] [--seed N] [--eval-rows 4000] [--eval-only]`
 *
 * Lands a new batch of generated product reviews in an environment's data folder
 * (`<workspace>/data/reviews/batch-NNNNNN.arrow`, the next number) and writes the environment's
 * curated evaluation set to `<workspace>/data/eval/` if it has none — what a data engineer's
 * pipeline would do. Independent of the dagship CLI: it reads the workspace path from
 * `environments/<env>.yaml`. Exit 2 on bad usage.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { parse } from "yaml";
import { ensureEvaluationSet, landReviewBatch } from "../jobs/lib/ml/datasets.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

/**
 * The data folder of environment `env`: `<workspace.path>/data`, the workspace path read from
 * `environments/<env>.yaml` (relative to the repository root).
 *
 * @example
 * ```ts
 * dataDirOf("/repo", "dev"); // "/repo/.dagship/dev/data"
 * ```
 */
export function dataDirOf(root: string, env: string): string {
  if (!/^[a-z][a-z0-9_-]*$/.test(env)) throw new UsageError(`bad environment name ${JSON.stringify(env)}`);
  let spec: { workspace?: { path?: unknown } } | null;
  try {
    spec = parse(readFileSync(path.join(root, "environments", `${env}.yaml`), "utf8")) as typeof spec;
  } catch (error) {
    throw new UsageError(`cannot read environments/${env}.yaml: ${(error as Error).message}`);
  }
  const ws = typeof spec?.workspace?.path === "string" ? spec.workspace.path : path.join(".dagship", env);
  return path.resolve(root, ws, "data");
}

/** Bad usage of the script (exit 2). */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

function number(flag: string, value: string | undefined, fallback: number, check: (n: number) => boolean): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (value.trim() === "" || !check(n)) throw new UsageError(`--${flag} ${JSON.stringify(value)} is out of range`);
  return n;
}

async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: { env: { type: "string", default: "dev" }, rows: { type: "string" }, drift: { type: "string" }, seed: { type: "string" }, "eval-rows": { type: "string" }, "eval-only": { type: "boolean" } },
  });
  const env = values.env!;
  const dataDir = dataDirOf(ROOT, env);
  const rows = number("rows", values.rows, 20_000, (n) => Number.isInteger(n) && n >= 1 && n <= 10_000_000);
  const drift = number("drift", values.drift, 0, (n) => n >= 0 && n <= 1);
  const seed = values.seed === undefined ? undefined : number("seed", values.seed, 0, (n) => Number.isInteger(n) && n >= 0 && n <= 0xffffffff);
  const evalRows = number("eval-rows", values["eval-rows"], 4000, (n) => Number.isInteger(n) && n >= 2 && n % 2 === 0 && n <= 1_000_000);
  const evalSet = await ensureEvaluationSet(dataDir, env, { count: evalRows });
  const rel = (f: string) => path.relative(process.cwd(), f) || f;
  console.log(evalSet.created ? `wrote the ${env} evaluation set: ${rel(evalSet.file)} (${evalSet.rows} reviews)` : `${env} evaluation set: ${rel(evalSet.file)} (kept)`);
  if (values["eval-only"]) return;
  const batch = await landReviewBatch(dataDir, { rows, drift, ...(seed === undefined ? {} : { seed }) });
  console.log(`landed ${batch.id}: ${batch.rows} reviews (seed ${batch.seed}, drift ${batch.drift}) → ${rel(batch.file)}`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    const usage = error instanceof UsageError || (error as { code?: string }).code?.startsWith("ERR_PARSE_ARGS");
    console.error(`npm run data: ${(error as Error).message}`);
    process.exit(usage ? 2 : 1);
  });
}
