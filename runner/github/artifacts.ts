/**
 * Finding a workflow artifact of another workflow run: the staging model bundle that `main.yml`
 * uploads, for the prod deploy workflow to download (actions/download-artifact takes a run id).
 * Only successful runs of the named workflow count, so a run of another workflow (a pull
 * request's, say) can never supply the artifact.
 */
import { DagshipError } from "../errors.js";
import { call, type GitHubClient, type RepoRef } from "./client.js";

/** An artifact found in a workflow run. */
export interface FoundArtifact {
  workflow_run_id: number;
  artifact_id: number;
  artifact: string;
  /** The commit the run was for. */
  head_sha: string;
  /** The run's page on GitHub. */
  run_url: string;
  /** When the artifact expires (ISO time), when GitHub says. */
  expires_at: string | null;
}

/** What to look for: an artifact `artifact` of a successful run of `workflow` (a file name such as `main.yml`). */
export interface ArtifactQuery {
  workflow: string;
  artifact: string;
  /** That run only (e.g. a workflow_dispatch input); otherwise the newest successful run for `sha`. */
  runId?: number;
  /** The commit whose runs to search (required without `runId`). */
  sha?: string;
}

/**
 * `--run-id` names a run that cannot supply the artifact (DS2032, exit 2): not a run of the
 * workflow, or one that did not succeed. Nothing is downloaded from it.
 */
export class ArtifactRunRefusedError extends DagshipError {
  constructor(message: string, options: { hint?: string } = {}) {
    super("DS2032", message, { ...options, exitCode: 2 });
  }
}

/** No unexpired artifact of that name in the run(s) searched (DS2033, exit 1). */
export class ArtifactNotFoundError extends DagshipError {
  constructor(message: string, options: { hint?: string } = {}) {
    super("DS2033", message, { ...options, exitCode: 1 });
  }
}

/** How many of the newest successful runs for a commit are searched for the artifact. */
export const RUNS_SEARCHED = 20;

/**
 * Finds the artifact. With `runId`: that run, which must be a successful run of `workflow`
 * ({@link ArtifactRunRefusedError} otherwise), and must hold the artifact
 * ({@link ArtifactNotFoundError}). Without: the newest of the last {@link RUNS_SEARCHED}
 * successful runs of `workflow` for `sha` that holds it, or null. API failures are DS2024.
 *
 * @example
 * ```ts
 * const found = await findArtifact(client, ctx, { workflow: "main.yml", artifact: "staging-model-reviews", sha: ctx.sha });
 * if (found) console.log(found.workflow_run_id, found.artifact_id);
 * ```
 */
export async function findArtifact(client: GitHubClient, repo: RepoRef, query: ArtifactQuery): Promise<FoundArtifact | null> {
  if (query.runId !== undefined) {
    const { data: run } = await call(`reading workflow run ${query.runId}`, () => client.rest.actions.getWorkflowRun({ ...repo, run_id: query.runId! }));
    const file = workflowFile(run.path);
    if (file !== query.workflow) throw new ArtifactRunRefusedError(`workflow run ${query.runId} is a run of ${file || "an unknown workflow"}, not of ${query.workflow}`, { hint: `give the id of a successful ${query.workflow} run (its URL ends in /actions/runs/<id>)` });
    if (run.conclusion !== "success") throw new ArtifactRunRefusedError(`workflow run ${query.runId} of ${query.workflow} ${run.status === "completed" ? `ended ${run.conclusion ?? "without a conclusion"}` : `is ${run.status ?? "not completed"}`}, not successfully`, { hint: "give the id of a run that succeeded" });
    const found = await artifactOf(client, repo, run, query.artifact);
    if (found === null) throw new ArtifactNotFoundError(`workflow run ${query.runId} of ${query.workflow} holds no artifact "${query.artifact}" (none was uploaded, or it expired)`, { hint: "run the workflow again to produce it" });
    return found;
  }
  if (!query.sha) throw new ArtifactNotFoundError(`no commit to search ${query.workflow} runs for`, { hint: "set GITHUB_SHA or pass --sha" });
  const { data } = await call(`listing the successful ${query.workflow} runs for ${query.sha}`, () =>
    client.rest.actions.listWorkflowRuns({ ...repo, workflow_id: query.workflow, head_sha: query.sha, status: "success", per_page: RUNS_SEARCHED }),
  );
  const runs = data.workflow_runs.filter((r) => r.head_sha === query.sha && r.conclusion === "success").sort((a, b) => b.run_number - a.run_number || b.id - a.id);
  for (const run of runs) {
    const found = await artifactOf(client, repo, run, query.artifact);
    if (found !== null) return found;
  }
  return null;
}

type Run = { id: number; head_sha: string; html_url: string };

/** The run's unexpired artifact named `name`, the newest when there are several; null when none. */
async function artifactOf(client: GitHubClient, repo: RepoRef, run: Run, name: string): Promise<FoundArtifact | null> {
  const { data } = await call(`listing the artifacts of workflow run ${run.id}`, () => client.rest.actions.listWorkflowRunArtifacts({ ...repo, run_id: run.id, name, per_page: 100 }));
  const artifact = data.artifacts.filter((a) => a.name === name && !a.expired).sort((a, b) => b.id - a.id)[0];
  if (artifact === undefined) return null;
  return { workflow_run_id: run.id, artifact_id: artifact.id, artifact: name, head_sha: run.head_sha, run_url: run.html_url, expires_at: artifact.expires_at ?? null };
}

/** `.github/workflows/main.yml` (or `...@refs/heads/main`) → `main.yml`. */
function workflowFile(runPath: string | undefined): string {
  const file = (runPath ?? "").split("@")[0]!;
  return file.startsWith(".github/workflows/") ? file.slice(".github/workflows/".length) : "";
}
