/**
 * Where `dagship validate` puts its diagnostics in GitHub Actions: on the commit as a check run
 * (batches of 50, through runner/github `annotate`) when a token, the repository and the commit are
 * known, else, or when GitHub refuses (403) or fails, as `::error file=,line=,col=::` workflow
 * commands on stderr. Outside Actions it does nothing.
 */
import { DagshipError } from "../../errors.js";
import type { Diagnostic } from "../../spec/diagnostics.js";
import type { Io } from "../io.js";
import { annotation, inActions } from "../output/github.js";
import { eventPayload } from "./github/context.js";

/**
 * The commit a check run belongs on: for a pull request the head of the PR branch
 * (`pull_request.head.sha` of the event; `GITHUB_SHA` is then the merge commit, whose checks the
 * PR does not show), else `GITHUB_SHA`. Empty when neither is known.
 *
 * @example
 * ```ts
 * checkRunSha({ GITHUB_SHA: "abc", GITHUB_EVENT_PATH: "" }); // "abc"
 * ```
 */
export function checkRunSha(env: NodeJS.ProcessEnv): string {
  const head = (eventPayload(env) as { pull_request?: { head?: { sha?: unknown } } } | undefined)?.pull_request?.head?.sha;
  return typeof head === "string" && /^[0-9a-f]{40}$/.test(head) ? head : (env.GITHUB_SHA ?? "");
}

/**
 * Reports `diagnostics` in Actions: as the check run "dagship validate" on the commit when
 * `GITHUB_TOKEN`, `GITHUB_REPOSITORY` and a commit are set, otherwise (or when the API answers 403
 * or fails) as workflow commands. A GitHub failure never changes the validation's result: it is a
 * `::warning::` and the workflow commands carry the diagnostics.
 *
 * @example
 * ```ts
 * await annotateDiagnostics(errors, io); // in validate, before printing the report
 * ```
 */
export async function annotateDiagnostics(diagnostics: readonly Diagnostic[], io: Io): Promise<void> {
  if (!inActions(io.env) || diagnostics.length === 0) return;
  const commands = () => diagnostics.forEach((d) => io.stderr(annotation(d)));
  const token = io.env.GITHUB_TOKEN ?? "";
  const sha = checkRunSha(io.env);
  if (!token || !io.env.GITHUB_REPOSITORY || !sha) return commands();
  const { annotate, createClient, runContext } = await import("../../github/index.js");
  try {
    const ctx = { ...runContext(io.env), sha };
    const result = await annotate(createClient(token, ctx), ctx, diagnostics, { write: io.stderr });
    if (result.via === "check-run") io.stderr(`note: ${diagnostics.length} problem(s) annotated on ${sha.slice(0, 7)} as check run ${result.checkRunId} (${result.batches} request(s))\n`);
    else io.stderr(`note: the token may not write checks (add "checks: write" to the job's permissions), so the problems are workflow annotations: ${result.reason}\n`);
  } catch (error) {
    if (!(error instanceof DagshipError) || (error.code !== "DS2024" && error.code !== "DS2025")) throw error;
    io.stderr(`::warning::dagship could not annotate the commit: ${error.code} ${error.message.replace(/\r?\n/g, " ")}\n`);
    commands();
  }
}
