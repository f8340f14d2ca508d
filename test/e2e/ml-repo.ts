/**
 * A throw-away git repository holding this repository's ML jobs (retrain, score,
 * integration-test, jobs/lib), its environments and `npm run data`, with node_modules linked to
 * this checkout's: what a team's repository looks like, for the ML lifecycle e2e tests.
 */
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { tableFromIPC, type Table } from "apache-arrow";
import { ROOT, runCli, type CliResult } from "./cli.js";
import { initGitRepo, jsonOf } from "./deploy-repo.js";

export interface MlRepo {
  dir: string;
  /** The environment's workspace. */
  ws(env?: string): string;
  cli(args: readonly string[], env?: Record<string, string>): Promise<CliResult>;
  json<T = any>(args: readonly string[], env?: Record<string, string>): Promise<{ code: number | null; body: T; stderr: string }>;
  /** `npm run data -- ...args` (scripts/data.ts through tsx). */
  data(...args: string[]): string;
  /** The model's aliases in an environment's registry. */
  aliases(env?: string, model?: string): Record<string, number>;
  readTable(file: string): Table;
  git(...args: string[]): string;
  remove(): void;
}

const LOCAL = { CI: "", GITHUB_ACTIONS: "", DAGSHIP_NO_TTY: "1", DAGSHIP_MODEL_EVALUATOR: "" };
const TSX = path.join(ROOT, "node_modules", "tsx", "dist", "cli.mjs");

export function mlRepo(): MlRepo {
  const dir = mkdtempSync(path.join(tmpdir(), "dagship-ml-"));
  for (const p of ["jobs/retrain", "jobs/score", "jobs/integration-test", "jobs/lib", "environments", "schemas", "scripts/data.ts", "package.json", "tsconfig.json"]) {
    cpSync(path.join(ROOT, p), path.join(dir, p), { recursive: true });
  }
  symlinkSync(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"));
  const git = initGitRepo(dir);
  const cli = (args: readonly string[], env?: Record<string, string>) => runCli(args, { cwd: dir, env: { ...LOCAL, ...env }, timeoutMs: 170_000 });
  const ws = (env = "dev") => path.join(dir, ".dagship", env);
  return {
    dir,
    ws,
    cli,
    json: (args, env) => jsonOf(cli, args, env),
    data: (...args) => execFileSync(process.execPath, [TSX, "scripts/data.ts", ...args], { cwd: dir, encoding: "utf8", env: { ...process.env, ...LOCAL } }),
    aliases(env = "dev", model = "reviews") {
      const file = path.join(ws(env), "models", model, "aliases.json");
      return existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as Record<string, number>) : {};
    },
    readTable: (file) => tableFromIPC(readFileSync(file)),
    git,
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
