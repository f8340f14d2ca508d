import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from "node:fs";
import path from "node:path";
import { ConfigError, UsageError } from "../../errors.js";
import { fsyncDir, writeFileAtomic } from "../../workspace/atomic.js";
import { PLACEHOLDER_TAG, type OutputFile } from "./types.js";

/** A job folder to write. */
export interface FolderOutput {
  name: string;
  /** Absolute path of the folder. */
  dir: string;
  files: OutputFile[];
  /** A placeholder job: an existing real job of that name is used instead of it. */
  placeholder: boolean;
}

/** What will happen to a folder: created, replaced (empty, a placeholder, or --force), or an existing job reused. */
export interface FolderPlan extends FolderOutput {
  action: "create" | "replace" | "reuse";
}

/**
 * Decides, before anything is written, what happens to each folder. A folder that holds a
 * dagship job is replaced only with `force` (or when it is a placeholder); a folder that holds
 * anything else is never replaced, even with `force` (so `--out jobs` or `--out .` cannot wipe a
 * folder of jobs or a repository). Every refusal is reported at once as a `UsageError` (exit 2).
 *
 * @example
 * ```ts
 * const plans = planFolders([{ name: "train", dir: "/repo/jobs/train", files, placeholder: false }], false, (p) => p);
 * ```
 */
export function planFolders(outputs: readonly FolderOutput[], force: boolean, display: (abs: string) => string): FolderPlan[] {
  const refused: string[] = [];
  const needForce: string[] = [];
  let containerHint = false;
  const plans = outputs.map((o): FolderPlan => {
    const stat = statSync(o.dir, { throwIfNoEntry: false });
    if (!stat) return { ...o, action: "create" };
    if (!stat.isDirectory()) {
      refused.push(`${display(o.dir)} exists and is not a folder`);
      return { ...o, action: "create" };
    }
    const entries = readdirSync(o.dir);
    if (entries.length === 0) return { ...o, action: "replace" };
    const job = path.join(o.dir, "job.json");
    if (!existsSync(job)) {
      refused.push(`${display(o.dir)} is not empty and holds no job.json (not replaced, even with --force)`);
      if (entries.some((e) => existsSync(path.join(o.dir, e, "job.json")))) containerHint = true;
      return { ...o, action: "create" };
    }
    if (isPlaceholder(job)) return { ...o, action: "replace" };
    if (o.placeholder) return { ...o, action: "reuse" };
    if (!force) needForce.push(display(o.dir));
    return { ...o, action: "replace" };
  });
  if (refused.length) {
    throw new UsageError(`refusing to write the imported jobs: ${refused.join("; ")}`, {
      hint: containerHint ? "that folder holds jobs; with one imported job, --out is the job's own folder, e.g. --out jobs/<name>" : "choose another --out",
    });
  }
  if (needForce.length) {
    throw new UsageError(`refusing to overwrite existing job folder${needForce.length === 1 ? "" : "s"} ${needForce.join(", ")}`, { hint: `pass --force to replace ${needForce.length === 1 ? "it" : "them"}, or choose another --out` });
  }
  return plans;
}

/** Whether a job.json is a placeholder written by an earlier import. */
function isPlaceholder(file: string): boolean {
  try {
    const job = JSON.parse(readFileSync(file, "utf8")) as { tags?: Record<string, unknown> };
    return job.tags?.dagship_import === PLACEHOLDER_TAG.dagship_import;
  } catch {
    return false;
  }
}

let counter = 0;

/**
 * Writes the planned folders so that nothing is ever half-written: every folder is first written
 * in full (each file with writeFileAtomic) into a hidden staging folder beside it, and only when
 * all are complete are they renamed into place, an existing folder being moved aside first and
 * removed last. Any failure removes the staging folders and puts replaced folders back. A file
 * system error is a `ConfigError` DS2003 (exit 2).
 */
export function writeFolders(plans: readonly FolderPlan[], display: (abs: string) => string): void {
  const todo = plans.filter((p) => p.action !== "reuse");
  const staged: { plan: FolderPlan; stage: string }[] = [];
  const swapped: { plan: FolderPlan; backup?: string; placed: boolean }[] = [];
  const fail = (error: unknown, dir: string): never => {
    throw new ConfigError("DS2003", `cannot write ${display(dir)}: ${(error as Error).message}`, { cause: error });
  };
  try {
    for (const plan of todo) {
      const parent = path.dirname(plan.dir);
      mkdirSync(parent, { recursive: true });
      const stage = path.join(parent, `.${path.basename(plan.dir)}.dagship-import-${process.pid}-${++counter}`);
      staged.push({ plan, stage });
      mkdirSync(stage);
      for (const f of plan.files) {
        const file = path.join(stage, f.path);
        mkdirSync(path.dirname(file), { recursive: true });
        writeFileAtomic(file, f.content);
      }
    }
  } catch (error) {
    for (const s of staged) rmSync(s.stage, { recursive: true, force: true });
    fail(error, staged.at(-1)?.plan.dir ?? ".");
  }
  let current = "";
  try {
    for (const { plan, stage } of staged) {
      current = plan.dir;
      const entry: (typeof swapped)[number] = { plan, placed: false };
      if (existsSync(plan.dir)) renameSync(plan.dir, (entry.backup = `${stage}.replaced`));
      swapped.push(entry);
      renameSync(stage, plan.dir);
      entry.placed = true;
      fsyncDir(path.dirname(plan.dir));
    }
  } catch (error) {
    for (const e of swapped.reverse()) {
      try {
        if (e.placed) rmSync(e.plan.dir, { recursive: true, force: true });
        if (e.backup) renameSync(e.backup, e.plan.dir);
      } catch {
        // Best effort: the original error below is the one to report.
      }
    }
    for (const s of staged) rmSync(s.stage, { recursive: true, force: true });
    fail(error, current);
  }
  for (const { backup } of swapped) if (backup) rmSync(backup, { recursive: true, force: true });
}
