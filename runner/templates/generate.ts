import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { writeFileAtomic } from "../workspace/atomic.js";
import { GENERATED_MARKER, renderWorkflows, WORKFLOWS_DIR, workflowSettings } from "./workflows.js";

/** What `generateWorkflows` found (paths relative to the repository root). */
export interface GenerateResult {
  /** Rendered workflows whose file differs from the template's output, or is missing. */
  drifted: string[];
  /** Rendered workflows whose file is up to date. */
  unchanged: string[];
  /** Generated files (they carry the marker) whose template no longer exists. */
  stale: string[];
  /** Whether the files were written (drifted ones rewritten, stale ones removed): false with `check`. */
  written: boolean;
}

/**
 * Renders `.github/workflows/*` of the repository at `root` from dagship's templates and its
 * settings. With `check`, only compares: nothing is written. Workflows the repository wrote by
 * hand (without the generated marker) are never touched.
 *
 * @example
 * ```ts
 * const { drifted } = generateWorkflows(root, { check: true });
 * if (drifted.length) console.error(`out of date: ${drifted.join(", ")}`);
 * ```
 */
export function generateWorkflows(root: string, options: { check?: boolean; templatesDir?: string } = {}): GenerateResult {
  const settings = workflowSettings((rel) => readOrUndefined(path.join(root, rel)));
  const rendered = renderWorkflows(settings, ...(options.templatesDir ? [options.templatesDir] : []));
  const drifted: string[] = [];
  const unchanged: string[] = [];
  for (const w of rendered) (readOrUndefined(path.join(root, w.path)) === w.content ? unchanged : drifted).push(w.path);
  const dir = path.join(root, WORKFLOWS_DIR);
  const stale = (existsSync(dir) ? readdirSync(dir) : [])
    .map((n) => `${WORKFLOWS_DIR}/${n}`)
    .filter((rel) => !rendered.some((w) => w.path === rel) && (readOrUndefined(path.join(root, rel)) ?? "").startsWith(GENERATED_MARKER))
    .sort();
  if (options.check) return { drifted, unchanged, stale, written: false };
  mkdirSync(dir, { recursive: true });
  for (const w of rendered) if (drifted.includes(w.path)) writeFileAtomic(path.join(root, w.path), w.content);
  for (const rel of stale) rmSync(path.join(root, rel), { force: true });
  return { drifted, unchanged, stale, written: true };
}

function readOrUndefined(file: string): string | undefined {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
}
