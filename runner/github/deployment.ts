/**
 * GitHub deployments for dagship deploys: one deployment per deploy of a ref to an environment, with
 * statuses `in_progress` then `success` or `failure`, each linking to the workflow run's log.
 */
import { call, GitHubApiError, type GitHubClient, type RunContext, workflowRunUrl } from "./client.js";

/** A deployment status dagship sets. */
export type DeploymentState = "in_progress" | "success" | "failure" | "error";

/** A started GitHub deployment. */
export interface GitHubDeployment {
  id: number;
  environment: string;
}

/**
 * Creates a deployment of `ref` (default: the run's commit) to the GitHub environment `environment`
 * and sets it `in_progress` with `log_url` = the workflow run. `auto_merge` is off (a deploy of a
 * commit must not merge anything) and no commit status is required (the workflow is the check).
 * Throws a GitHubApiError (DS2024).
 *
 * @example
 * ```ts
 * const d = await startDeployment(client, ctx, "staging", { description: "dagship deploy --env staging" });
 * // ... deploy ...
 * await finishDeployment(client, ctx, d, ok ? "success" : "failure");
 * ```
 */
export async function startDeployment(client: GitHubClient, ctx: RunContext, environment: string, options: { ref?: string; description?: string; production?: boolean } = {}): Promise<GitHubDeployment> {
  const ref = options.ref ?? ctx.sha;
  const { data, status } = await call(`creating a deployment of ${ref} to ${environment}`, () =>
    client.rest.repos.createDeployment({
      owner: ctx.owner,
      repo: ctx.repo,
      ref,
      environment,
      auto_merge: false,
      required_contexts: [],
      description: options.description?.slice(0, 140),
      production_environment: options.production ?? environment === "production",
      transient_environment: false,
    }),
  );
  if (status !== 201 || !("id" in data)) {
    throw new GitHubApiError(`GitHub API: no deployment of ${ref} to ${environment} was created: ${"message" in data ? String(data.message) : `HTTP ${status}`}`, status);
  }
  const deployment = { id: data.id, environment };
  await setDeploymentStatus(client, ctx, deployment, "in_progress", options.description);
  return deployment;
}

/** Sets the deployment's final status, `success` or `failure` (or `error`), linking to the run. */
export async function finishDeployment(client: GitHubClient, ctx: RunContext, deployment: GitHubDeployment, state: Exclude<DeploymentState, "in_progress">, description?: string): Promise<void> {
  await setDeploymentStatus(client, ctx, deployment, state, description);
}

/** One deployment status with `log_url` = the workflow run and the environment it is for. */
export async function setDeploymentStatus(client: GitHubClient, ctx: RunContext, deployment: GitHubDeployment, state: DeploymentState, description?: string): Promise<void> {
  await call(`setting deployment ${deployment.id} to ${state}`, () =>
    client.rest.repos.createDeploymentStatus({
      owner: ctx.owner,
      repo: ctx.repo,
      deployment_id: deployment.id,
      state,
      log_url: workflowRunUrl(ctx),
      environment: deployment.environment,
      description: description?.slice(0, 140),
      auto_inactive: state === "success",
    }),
  );
}
