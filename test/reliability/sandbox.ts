/**
 * A throw-away repository inside a parent folder of its own, so a test can prove that a command
 * wrote nothing outside the places it may write: snapshot the parent before and after, and list
 * what appeared outside the allowed folders. Also a bounded pool for running many CLI calls on
 * two cores without flooding them.
 */
import { execFile } from "node:child_process";
import { cpSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { ROOT, runCli, type CliResult } from "../e2e/cli.js";
import { initGitRepo, jsonOf } from "../e2e/deploy-repo.js";

export interface Sandbox {
  /** The parent folder: the repository and nothing else live here. */
  parent: string;
  /** The repository (`<parent>/repo`). */
  dir: string;
  cli(args: readonly string[], env?: Record<string, string>): Promise<CliResult>;
  json<T = any>(args: readonly string[], env?: Record<string, string>): Promise<{ code: number | null; body: T; stderr: string }>;
  /**
   * Runs many command lines in one process through the CLI's `main` (see cli-batch.mjs), in
   * order; a case may first write a file (relative to the repository) and remove it after.
   */
  batch(cases: readonly BatchCase[]): Promise<CliResult[]>;
  /** Every path under the parent (relative to it), symbolic links not followed. */
  snapshot(): Set<string>;
  remove(): void;
}

/** One command line of {@link Sandbox.batch}. */
export interface BatchCase {
  args: string[];
  write?: { file: string; content: string | Buffer };
  remove?: string;
}

const BATCH = path.join(ROOT, "test", "reliability", "cli-batch.mjs");

const LOCAL = { CI: "", GITHUB_ACTIONS: "", DAGSHIP_NO_TTY: "1", DAGSHIP_MODEL_EVALUATOR: "" };

/**
 * Copies `test/fixtures/<fixture>` (or the repository paths `copy` lists) into `<parent>/repo`,
 * links node_modules, and makes it a git repository on `main` (or only gives it a `.git` folder
 * with `git: false`).
 *
 * @example
 * const box = sandbox({ fixture: "runner-repo", git: false });
 * const before = box.snapshot(); await box.cli(["run", "chain"]);
 * expect(newPathsOutside(before, box.snapshot(), ["repo/.dagship/"])).toEqual([]);
 */
export function sandbox(options: { fixture?: string; copy?: string[]; git?: boolean }): Sandbox {
  const parent = mkdtempSync(path.join(tmpdir(), "dagship-rel-"));
  const dir = path.join(parent, "repo");
  mkdirSync(dir);
  if (options.fixture) cpSync(path.join(ROOT, "test", "fixtures", options.fixture), dir, { recursive: true });
  for (const p of options.copy ?? []) cpSync(path.join(ROOT, p), path.join(dir, p), { recursive: true });
  symlinkSync(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"));
  if (options.git === false) mkdirSync(path.join(dir, ".git"));
  else initGitRepo(dir);
  const cli = (args: readonly string[], env?: Record<string, string>) => runCli(args, { cwd: dir, env: { ...LOCAL, ...env }, timeoutMs: 120_000 });
  return {
    parent,
    dir,
    cli,
    json: (args, env) => jsonOf(cli, args, env),
    snapshot: () => walk(parent),
    batch: (cases) => runBatch(dir, cases),
    remove: () => rmSync(parent, { recursive: true, force: true }),
  };
}

/** Every path below `root`, relative, directories with a trailing `/`; links are not followed. */
export function walk(root: string): Set<string> {
  const out = new Set<string>();
  const visit = (rel: string) => {
    for (const name of readdirSync(path.join(root, rel))) {
      const child = rel ? `${rel}/${name}` : name;
      const st = lstatSync(path.join(root, child));
      if (st.isDirectory()) {
        out.add(`${child}/`);
        if (name !== ".git") visit(child);
      } else out.add(child);
    }
  };
  visit("");
  return out;
}

/** The paths of `after` that `before` lacks and that lie under none of the `allowed` prefixes. */
export function newPathsOutside(before: Set<string>, after: Set<string>, allowed: readonly string[]): string[] {
  return [...after].filter((p) => !before.has(p) && !allowed.some((a) => p.startsWith(a))).sort();
}

/**
 * Runs `work` over `items`, at most `limit` at a time, keeping the order of the results.
 *
 * @example
 * const results = await pool(cases, 2, (c) => box.cli(c.args));
 */
export async function pool<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

async function runBatch(dir: string, cases: readonly BatchCase[]): Promise<CliResult[]> {
  const work = mkdtempSync(path.join(tmpdir(), "dagship-batch-"));
  try {
    const input = path.join(work, "cases.json");
    const output = path.join(work, "results.json");
    writeFileSync(input, JSON.stringify(cases.map((c) => ({ ...c, write: c.write && { file: c.write.file, base64: Buffer.from(c.write.content).toString("base64") } }))));
    await new Promise<void>((resolve, reject) =>
      execFile(process.execPath, [BATCH, input, output], { cwd: dir, env: { ...process.env, ...LOCAL }, maxBuffer: 64 * 1024 * 1024, timeout: 240_000 }, (error, _stdout, stderr) =>
        error ? reject(new Error(`the batch failed: ${error.message}\n${stderr}`)) : resolve(),
      ),
    );
    return JSON.parse(readFileSync(output, "utf8")) as CliResult[];
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
