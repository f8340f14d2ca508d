/**
 * Validation diagnostics as annotations on the commit: a check run carrying them in batches of 50
 * (the API's limit per request) when the token may write checks, otherwise the workflow's own
 * `::error file=...` commands, which need no permission.
 */
import type { Diagnostic } from "../spec/diagnostics.js";
import { annotation } from "../cli/output/github.js";
import { call, GitHubApiError, type GitHubClient, type RunContext } from "./client.js";

/** Annotations per check-run request: GitHub's limit. */
export const ANNOTATION_BATCH = 50;

/** How the diagnostics were reported. */
export type AnnotationResult =
  | { via: "check-run"; checkRunId: number; batches: number }
  | { via: "workflow-commands"; reason: string };

/**
 * Reports `diagnostics` on the run's commit as a completed check run named `name` (conclusion
 * `failure` when any is an error, else `success`): created with the first 50 annotations, then
 * updated with each further 50. When GitHub answers 403 (a token without `checks: write`, e.g. a
 * pull request from a fork), every diagnostic is written instead with `write` as a workflow
 * `::error`/`::warning` command. Any other API failure throws a GitHubApiError (DS2024).
 *
 * @example
 * ```ts
 * await annotate(client, ctx, diagnostics, { write: (line) => process.stdout.write(line) });
 * ```
 */
export async function annotate(client: GitHubClient, ctx: RunContext, diagnostics: readonly Diagnostic[], options: { name?: string; write: (line: string) => void }): Promise<AnnotationResult> {
  const name = options.name ?? "dagship validate";
  const errors = diagnostics.filter((d) => d.severity === "error").length;
  const batches: Diagnostic[][] = [];
  for (let i = 0; i < diagnostics.length; i += ANNOTATION_BATCH) batches.push(diagnostics.slice(i, i + ANNOTATION_BATCH));
  const output = (batch: readonly Diagnostic[] = []) => ({
    title: errors > 0 ? `${errors} error(s), ${diagnostics.length - errors} warning(s)` : `${diagnostics.length} warning(s)`,
    summary: `dagship found ${diagnostics.length} problem(s) in the jobs and environments.`,
    annotations: batch.map(toAnnotation),
  });
  try {
    const { data } = await call(`creating the check run "${name}"`, () =>
      client.rest.checks.create({ owner: ctx.owner, repo: ctx.repo, name, head_sha: ctx.sha, status: "completed", conclusion: errors > 0 ? "failure" : "success", output: output(batches[0]) }),
    );
    for (const batch of batches.slice(1)) {
      await call(`adding annotations to check run ${data.id}`, () => client.rest.checks.update({ owner: ctx.owner, repo: ctx.repo, check_run_id: data.id, output: output(batch) }));
    }
    return { via: "check-run", checkRunId: data.id, batches: batches.length };
  } catch (error) {
    if (!(error instanceof GitHubApiError) || error.status !== 403) throw error;
    for (const d of diagnostics) options.write(annotation(d));
    return { via: "workflow-commands", reason: error.message };
  }
}

/** A diagnostic as a check-run annotation (`failure` for errors, `warning` for warnings). */
function toAnnotation(d: Diagnostic) {
  return {
    path: d.file,
    start_line: d.line,
    end_line: d.line,
    // Columns are only allowed on a single line.
    start_column: d.column,
    end_column: d.column,
    annotation_level: d.severity === "error" ? ("failure" as const) : ("warning" as const),
    title: d.code,
    message: d.hint ? `${d.message} (hint: ${d.hint})` : d.message,
  };
}
