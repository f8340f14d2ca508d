/**
 * The GitHub API client dagship uses in Actions: `@actions/github`'s Octokit (REST methods and
 * pagination), pointed at `GITHUB_API_URL`, plus what the runner's environment says about the run.
 * Every API failure becomes a {@link GitHubApiError} (DS2024) carrying the HTTP status.
 */
import { getOctokit } from "@actions/github";
import { DagshipError } from "../errors.js";

/** An authenticated client: Octokit with the REST endpoint methods and `paginate`. */
export type GitHubClient = ReturnType<typeof getOctokit>;

/** A repository, as `owner/repo`. */
export interface RepoRef {
  owner: string;
  repo: string;
}

/** What the Actions runner tells a step about the workflow run, from its environment. */
export interface RunContext extends RepoRef {
  /** `GITHUB_API_URL`, e.g. `https://api.github.com`. */
  apiUrl: string;
  /** `GITHUB_SERVER_URL`, e.g. `https://github.com`. */
  serverUrl: string;
  /** `GITHUB_RUN_ID`. */
  runId: string;
  /** `GITHUB_SHA`: the commit the run is for. */
  sha: string;
}

/**
 * A GitHub API request failed (DS2024): `status` is the HTTP status (0 when there was no response),
 * so callers can fall back on 403 (a token without the permission) or 404.
 *
 * @example
 * ```ts
 * try { await upsertPrComment(client, repo, 7, body); } catch (e) { if (e instanceof GitHubApiError && e.status === 403) ... }
 * ```
 */
export class GitHubApiError extends DagshipError {
  /** The HTTP status of the failed request, 0 when none came. */
  readonly status: number;
  constructor(message: string, status: number, options: { hint?: string; cause?: unknown } = {}) {
    super("DS2024", message, options);
    this.status = status;
  }
}

/**
 * The GitHub environment is incomplete (DS2025): no token, or `GITHUB_REPOSITORY` missing or not
 * `owner/repo`. Exit code 2.
 */
export class GitHubConfigError extends DagshipError {
  constructor(message: string, options: { hint?: string } = {}) {
    super("DS2025", message, { ...options, exitCode: 2 });
  }
}

/**
 * Reads the run context from the Actions environment (`GITHUB_REPOSITORY`, `GITHUB_API_URL`,
 * `GITHUB_SERVER_URL`, `GITHUB_RUN_ID`, `GITHUB_SHA`). Throws a {@link GitHubConfigError} when
 * `GITHUB_REPOSITORY` is not `owner/repo`.
 *
 * @example
 * ```ts
 * runContext({ GITHUB_REPOSITORY: "acme/jobs", GITHUB_RUN_ID: "42" }).repo; // "jobs"
 * ```
 */
export function runContext(env: NodeJS.ProcessEnv = process.env): RunContext {
  const [owner, repo, ...rest] = (env.GITHUB_REPOSITORY ?? "").split("/");
  if (!owner || !repo || rest.length > 0) {
    throw new GitHubConfigError(`GITHUB_REPOSITORY is ${env.GITHUB_REPOSITORY === undefined ? "not set" : `"${env.GITHUB_REPOSITORY}", not owner/repo`}`, { hint: "run inside GitHub Actions, or set GITHUB_REPOSITORY=owner/repo" });
  }
  const trim = (url: string) => url.replace(/\/+$/, "");
  return {
    owner,
    repo,
    apiUrl: trim(env.GITHUB_API_URL || "https://api.github.com"),
    serverUrl: trim(env.GITHUB_SERVER_URL || "https://github.com"),
    runId: env.GITHUB_RUN_ID ?? "",
    sha: env.GITHUB_SHA ?? "",
  };
}

/**
 * The URL of the workflow run: `<GITHUB_SERVER_URL>/<owner>/<repo>/actions/runs/<GITHUB_RUN_ID>`,
 * used as a deployment status's `log_url`.
 */
export function workflowRunUrl(ctx: RunContext): string {
  return `${ctx.serverUrl}/${ctx.owner}/${ctx.repo}/actions/runs/${ctx.runId}`;
}

/**
 * An Octokit for `ctx.apiUrl` authenticated with `token`. `fetch` replaces the HTTP transport
 * (tests, proxies). Throws a {@link GitHubConfigError} for an empty token.
 */
export function createClient(token: string, ctx: Pick<RunContext, "apiUrl">, options: { fetch?: typeof globalThis.fetch } = {}): GitHubClient {
  if (!token) throw new GitHubConfigError("no GitHub token", { hint: "pass the workflow's GITHUB_TOKEN (env: GITHUB_TOKEN: ${{ github.token }})" });
  return getOctokit(token, { baseUrl: ctx.apiUrl, ...(options.fetch ? { request: { fetch: options.fetch } } : {}) });
}

/**
 * Runs one API call, turning any failure into a {@link GitHubApiError} that says what was being
 * done (`what`) and the status GitHub answered.
 */
export async function call<T>(what: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof GitHubApiError) throw error;
    const status = typeof (error as { status?: unknown }).status === "number" ? (error as { status: number }).status : 0;
    const detail = error instanceof Error ? error.message : String(error);
    const hint = status === 403 || status === 404 ? "the token may lack the permission (see the workflow job's permissions:)" : undefined;
    throw new GitHubApiError(`GitHub API: ${what} failed${status ? ` (HTTP ${status})` : ""}: ${detail}`, status, { hint, cause: error });
  }
}
