import { UsageError } from "../../../errors.js";
import { parseCommandArgs } from "../../args.js";
import type { Io } from "../../io.js";

/**
 * `dagship github deploy --env <env> [--github-environment <name>] [--branch b] [--force]`: a
 * GitHub deployment to the GitHub environment (default: the --env name) set `in_progress`, then
 * `dagship deploy`, then `success` or `failure` (log_url: the workflow run). Needs GITHUB_TOKEN
 * and GITHUB_REPOSITORY (DS2025, exit 2, before anything is deployed).
 */
export async function run(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseCommandArgs("github deploy", argv, {
    env: { type: "string" },
    branch: { type: "string" },
    force: { type: "boolean" },
    "github-environment": { type: "string" },
  });
  if (positionals.length > 0) throw new UsageError(`dagship github deploy takes no arguments, got ${positionals.join(" ")}`);
  if (typeof values.env !== "string") throw new UsageError("dagship github deploy needs --env <env>", { hint: "e.g. dagship github deploy --env prod --github-environment production" });
  const environment = typeof values["github-environment"] === "string" ? values["github-environment"] : values.env;
  const { createClient, finishDeployment, runContext, startDeployment } = await import("../../../github/index.js");
  const ctx = runContext(io.env);
  const client = createClient(io.env.GITHUB_TOKEN ?? "", ctx);
  const deployArgs = ["--env", values.env, ...(typeof values.branch === "string" ? ["--branch", values.branch] : []), ...(values.force ? ["--force"] : []), ...(values.json ? ["--json"] : [])];
  const description = `dagship deploy --env ${values.env}`;
  const deployment = await startDeployment(client, ctx, environment, { description });
  io.stderr(`GitHub deployment ${deployment.id} to ${environment}: in_progress\n`);
  const { run: deploy } = await import("../deploy.js");
  let code: number;
  try {
    code = await deploy(deployArgs, io);
  } catch (error) {
    await finishDeployment(client, ctx, deployment, "failure", `${description} failed`);
    io.stderr(`GitHub deployment ${deployment.id} to ${environment}: failure\n`);
    throw error;
  }
  const state = code === 0 ? "success" : "failure";
  await finishDeployment(client, ctx, deployment, state, code === 0 ? description : `${description} failed`);
  io.stderr(`GitHub deployment ${deployment.id} to ${environment}: ${state}\n`);
  return code;
}
