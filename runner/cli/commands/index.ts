import type { Command } from "../command.js";

/** Every command of the CLI, in the order help lists them. */
export const COMMANDS: readonly Command[] = [
  {
    name: "validate",
    summary: "check jobs and environment files and report every problem, located",
    usage: "dagship validate [job | job.json | folder | env.yaml ...] [--env <env>] [--json]",
    help: [
      "Without arguments, validates every jobs/<job>/job.json and environments/*.yaml of the repository.",
      "Jobs are checked as each environment gets them (rendered, overrides merged), or as --env gets them.",
      "Exit codes: 0 valid, 1 problems found, 2 bad usage or unreadable input.",
      "--json prints { ok, errors: [{ file, pointer, line, column, code, message, hint? }], checked }.",
    ].join("\n"),
    load: () => import("./validate.js"),
  },
  {
    name: "render",
    summary: "print a job as an environment gets it: overrides merged, deploy-time templates rendered",
    usage: "dagship render <job> --env <env>",
    help: [
      "Deploy-time {{ }} (env.*, vars.*, git.branch/sha/short_sha, handlebars helpers) are rendered in strict mode;",
      "run-time references ({{job.*}}, {{task.key}}, {{tasks.*}}) pass through. In a development environment",
      "(isolation: branch) every schedule is PAUSED. The rendered job must validate; otherwise its problems are",
      "printed and the exit code is 1.",
    ].join("\n"),
    load: () => import("./render.js"),
  },
  {
    name: "run",
    summary: "run a job of the working tree, every task in its own process",
    usage: "dagship run <job> [--env dev] [--param k=v]... [--task <key>]... [--from <key>] [--concurrency N] [--json]",
    help: [
      "Prints the run id, live progress on a terminal (plain timestamped lines otherwise, or with DAGSHIP_NO_TTY=1),",
      "then a table of the tasks and, for failed tasks, their error and the tail of their log.",
      "--task runs only those tasks and --from that task and everything downstream; the others are EXCLUDED and",
      "their values and tables come from the job's latest successful run. Ctrl-C cancels the run.",
      "Exit codes: 0 the run succeeded, 1 it failed (or the job is invalid), 2 bad usage, unknown job or parameter, or refused.",
    ].join("\n"),
    load: () => import("./run.js"),
  },
  {
    name: "status",
    summary: "show one run: its state and each task's state, attempts, duration and values",
    usage: "dagship status <run-id> [--env dev] [--json]",
    help: "A run whose runner died is shown as interrupted (and its leftover task processes are ended).",
    load: () => import("./status.js"),
  },
  {
    name: "runs",
    summary: "list the runs of an environment, newest first",
    usage: "dagship runs [job] [--env dev] [--limit 20] [--json]",
    help: "--json prints { runs: [{ run_id, job, env, state, started_at, ended_at }] }.",
    load: () => import("./runs.js"),
  },
  {
    name: "repair",
    summary: "rerun the tasks of a run that did not succeed, and their dependants",
    usage: "dagship repair <run-id> [--env dev] [--concurrency N] [--json]",
    help: "Tasks that succeeded keep their values and tables and are not run again. An interrupted run is finished.",
    load: () => import("./repair.js"),
  },
  {
    name: "cancel",
    summary: "cancel a running run; its task processes and their children end",
    usage: "dagship cancel <run-id> [--env dev] [--json]",
    help: "Waits until the run has ended CANCELED.",
    load: () => import("./cancel.js"),
  },
  {
    name: "import",
    summary: "convert Databricks jobs (Jobs API JSON, bundle or dbx YAML) into dagship jobs",
    usage: "dagship import databricks <file> [--out <dir>] [--force] [--json]",
    help: [
      "Reads a Jobs API job (job settings, jobs/get or jobs/list output), the jobs of a bundle file",
      "(resources.jobs, targets.<t>.resources.jobs) or of a dbx deployment file (environments.<env>.workflows).",
      "Writes one folder per job under --out (default: jobs/ of the repository); with one job, --out is its folder.",
      "Notebook, Python, wheel, SQL, dbt, JAR and pipeline tasks become ts_task modules that throw \"port me\" until",
      "ported; condition_task and run_job_task carry over. Prints, per task, what is left to port and what was",
      "dropped (clusters, libraries, notifications, ...). The imported jobs are validated.",
      "An existing job folder is replaced only with --force. Exit codes: 0 imported and valid, 1 syntax error in",
      "the file (or an imported job does not validate), 2 bad usage, unreadable file or a file with no job (DS2008).",
      "--json prints { ok, source: { file, kind }, jobs: [{ name, folder, from, tasks: [{ task_key, kind, port?, dropped }], dropped, renamed?, notes }], placeholders, validation }.",
    ].join("\n"),
    load: () => import("./import.js"),
  },
];
