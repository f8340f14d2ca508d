import { UsageError } from "../../../errors.js";
import { parseCommandArgs } from "../../args.js";
import type { Io } from "../../io.js";
import { inActions } from "../../output/github.js";
import { setOutputs } from "../actions.js";

/**
 * `dagship github find-artifact --workflow <file> --name <artifact> [--run-id N] [--sha S] [--require]`:
 * the workflow run that holds the artifact, for actions/download-artifact's `run-id`. With
 * --run-id (empty counts as not given, so a workflow can pass an optional input straight through)
 * that run, which must be a successful run of the workflow (DS2032) holding it (DS2033); without,
 * the newest successful run of the workflow for --sha (default GITHUB_SHA) that holds it. None
 * found: a warning and exit 0 with empty outputs, or DS2033 (exit 1) with --require. Step outputs
 * in Actions: `workflow_run_id`, `artifact_id`.
 */
export async function run(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseCommandArgs("github find-artifact", argv, {
    workflow: { type: "string" },
    name: { type: "string" },
    "run-id": { type: "string" },
    sha: { type: "string" },
    require: { type: "boolean" },
  });
  if (positionals.length > 0) throw new UsageError(`dagship github find-artifact takes no arguments, got ${positionals.join(" ")}`);
  const example = "e.g. dagship github find-artifact --workflow main.yml --name staging-model-reviews";
  const workflow = typeof values.workflow === "string" ? values.workflow : "";
  if (!/^[A-Za-z0-9_.-]+\.ya?ml$/.test(workflow)) throw new UsageError(`dagship github find-artifact needs --workflow <file>, the workflow's file name in .github/workflows/${workflow ? `, not "${workflow}"` : ""}`, { hint: example });
  const name = typeof values.name === "string" ? values.name : "";
  if (!/^[A-Za-z0-9_.-]+$/.test(name)) throw new UsageError(`dagship github find-artifact needs --name <artifact>${name ? `, a plain artifact name, not "${name}"` : ""}`, { hint: example });
  const runIdText = typeof values["run-id"] === "string" ? values["run-id"].trim() : "";
  if (runIdText !== "" && !/^[1-9][0-9]{0,19}$/.test(runIdText)) throw new UsageError(`--run-id must be a workflow run id (a number), got "${runIdText}"`, { hint: "the number at the end of the run's URL: .../actions/runs/<id>" });
  const { createClient, findArtifact, runContext } = await import("../../../github/index.js");
  const ctx = runContext(io.env);
  const client = createClient(io.env.GITHUB_TOKEN ?? "", ctx);
  const sha = typeof values.sha === "string" && values.sha !== "" ? values.sha : ctx.sha;
  const found = await findArtifact(client, ctx, { workflow, artifact: name, ...(runIdText ? { runId: Number(runIdText) } : {}), ...(sha ? { sha } : {}) });
  const where = runIdText ? `run ${runIdText} of ${workflow}` : `the successful ${workflow} runs for ${sha.slice(0, 12)}`;
  if (found === null) {
    if (values.require) {
      const { ArtifactNotFoundError } = await import("../../../github/index.js");
      throw new ArtifactNotFoundError(`no artifact "${name}" in ${where} (none succeeded, none uploaded it, or it expired)`, { hint: `run ${workflow} for that commit, or give --run-id of a run that has it` });
    }
    setOutputs({ workflow_run_id: "", artifact_id: "" }, io);
    const message = `no artifact "${name}" in ${where}: nothing to download`;
    if (values.json) io.stdout(JSON.stringify({ found: false, workflow, artifact: name, sha }, null, 2) + "\n");
    else io.stdout(`${message}\n`);
    io.stderr(inActions(io.env) ? `::warning title=dagship::${message}\n` : `dagship: ${message}\n`);
    return 0;
  }
  setOutputs({ workflow_run_id: String(found.workflow_run_id), artifact_id: String(found.artifact_id) }, io);
  if (values.json) io.stdout(JSON.stringify({ found: true, workflow, ...found }, null, 2) + "\n");
  else io.stdout(`✓ artifact "${name}" (${found.artifact_id}) in run ${found.workflow_run_id} of ${workflow} for ${found.head_sha.slice(0, 12)}: ${found.run_url}\n`);
  return 0;
}
