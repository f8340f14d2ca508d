/**
 * The process executor: each attempt of a ts_task runs in its own child process, the leader of
 * its own process group, so that a timeout or a cancel ends the task and everything it spawned.
 * Parent and child talk over one extra pipe, in lines of JSON (see ../sdk/protocol.ts).
 *
 * Kill sequence: on timeout or cancel, the reason in the attempt's `abort` file (so `ctx.signal`
 * says why) and SIGTERM to the whole group; SIGKILL to the group after a 1 s grace. Whenever the main process exits,
 * for any reason, the group gets SIGKILL too, so no grandchild outlives its attempt.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdir, writeFileSync } from "node:fs";
import path from "node:path";
import type { Duplex } from "node:stream";
import { StringDecoder } from "node:string_decoder";
import { promisify } from "node:util";
import type { TableRecord, TaskError } from "../workspace/records.js";
import { isValidName } from "../sdk/checks.js";
import { ABORT_FILE, encodeMessage, messageLines, type AbortReason, type ChildMessage, type InitMessage } from "../sdk/protocol.js";
import { AttemptLog } from "./attempt-log.js";
import { bundleTask } from "./bundle.js";
import { flushFiles } from "./flushes.js";
import { childEnv, killGroup, modelRuntime, sdkFiles } from "./group.js";
import { createMasker, type Masker } from "../workspace/secrets.js";
import type { AttemptRequest, AttemptResult, Executor } from "./types.js";

/** How long a task has after SIGTERM before its process group is killed. */
export const GRACE_MS = 1000;
/** The attempt's log file, relative to its folder. */
export const LOG_FILE = "log";
const mkdirAsync = promisify(mkdir);
/** After the main process exited, how long its output pipes may stay open (held by an escaped process). */
const DRAIN_MS = 2000;

interface Outputs {
  values: Record<string, unknown>;
  tables: Record<string, TableRecord>;
}

/**
 * Runs one attempt of a ts_task in a child process (its own process group) and returns a typed
 * result; a failing task, a module that does not bundle, a timeout or a cancel is a failed
 * result, never an exception.
 *
 * @example
 * ```ts
 * const result = await runProcessAttempt({ module: "/repo/jobs/a/tasks/x.ts", export: "default", ... });
 * if (!result.ok) console.error(result.error.reason, result.error.message);
 * ```
 */
export const runProcessAttempt: Executor = async (req) => {
  const started = performance.now();
  const mask = createMasker(req.secrets);
  const out: Outputs = { values: {}, tables: {} };
  let log: AttemptLog | undefined;
  let error: TaskError | undefined;
  try {
    await mkdirAsync(req.attemptDir, { recursive: true });
    log = new AttemptLog(path.join(req.attemptDir, LOG_FILE), mask, req.onLog);
    error = await attempt(req, log, out, mask);
  } catch (cause) {
    error = failure("spawn", `could not start the task: ${cause instanceof Error ? cause.message : String(cause)}`);
  }
  if (error) log?.write("dagship", `attempt failed (${error.reason}): ${error.message}`);
  log?.close();
  // The task wrote its tables without waiting for the disk: they are synced here, in the
  // background, while dependent tasks already start; the run record waits for it.
  if (!error && Object.keys(out.tables).length > 0) void flushFiles(Object.values(out.tables).map((t) => path.join(req.attemptDir, t.path))).catch(() => undefined);
  const duration_ms = Math.round(performance.now() - started);
  const common = { values: mask.json(out.values), tables: mask.json(out.tables), duration_ms, log: LOG_FILE };
  if (!error) return { ok: true, ...common };
  return { ok: false, error: mask.json(error), ...common } satisfies AttemptResult;
};

async function attempt(req: AttemptRequest, log: AttemptLog, out: Outputs, mask: Masker): Promise<TaskError | undefined> {
  if (req.signal.aborted) return failure("canceled", "the run was canceled before the task started");
  const files = sdkFiles();
  const bundle = req.bundled ? { ok: true as const, file: req.module, externals: req.bundled.externals } : await bundleTask(req.module, req.root, req.cacheDir, files.sdk);
  if (!bundle.ok) return failure("spawn", bundle.message);
  if (req.signal.aborted) return failure("canceled", "the run was canceled before the task started");

  const child = spawn(process.execPath, [files.child], {
    cwd: req.root,
    env: childEnv(req.env),
    detached: true,
    // stdin, stdout, stderr, then the channel of ../sdk/protocol.ts.
    stdio: ["ignore", "pipe", "pipe", "pipe"],
  });
  const pid = child.pid;
  if (pid === undefined) {
    const cause = await new Promise<Error>((resolve) => child.once("error", resolve));
    return failure("spawn", `could not start ${process.execPath}: ${cause.message}`);
  }
  quietly(() => req.onSpawn?.(pid));
  return supervise(req, child, pid, bundle, log, out, mask);
}

async function supervise(
  req: AttemptRequest,
  child: ChildProcess,
  pid: number,
  bundle: { file: string; externals: Record<string, string> },
  log: AttemptLog,
  out: Outputs,
  mask: Masker,
): Promise<TaskError | undefined> {
  // Errors after the spawn (a kill that fails) are reported by the exit itself.
  child.on("error", () => undefined);
  const channel = child.stdio[3] as Duplex;
  // Writing to a child that is gone fails (EPIPE): the exit tells what happened.
  channel.on("error", () => undefined);
  let reported: Extract<ChildMessage, { type: "error" }> | undefined;
  let done = false;
  const onMessage = (m: ChildMessage) => {
    if (m.type === "log") log.write(m.level, String(m.message), String(m.at));
    else if (m.type === "progress") {
      log.write("progress", `${Math.round(m.fraction * 100)}%${m.message ? ` ${m.message}` : ""}`, String(m.at));
      quietly(() => req.onProgress?.(m.fraction, m.message === undefined ? undefined : mask.text(String(m.message))));
    } else if (m.type === "value") {
      // What the SDK refuses is refused here too: a task may write to its channel without the SDK.
      if (isValidName(m.name)) out.values[m.name] = m.value;
      else reported ??= { type: "error", reason: "threw", name: "ProtocolError", message: `the task reported a value with an invalid name ${JSON.stringify(String(m.name).slice(0, 130))}` };
    } else if (m.type === "table") {
      if (isValidName(m.name) && m.record?.path === `tables/${m.name}.arrow`) out.tables[m.name] = m.record;
      else reported ??= { type: "error", reason: "threw", name: "ProtocolError", message: `the task reported a table with an invalid name or path ${JSON.stringify(String(m.name).slice(0, 130))}` };
    }
    else if (m.type === "error") reported ??= m;
    else if (m.type === "done") done = true;
  };
  const streams = Promise.all([log.follow("stdout", child.stdout), log.follow("stderr", child.stderr), follow(channel, onMessage)]);

  let stopping: "timeout" | "canceled" | undefined;
  let exited = false;
  let forced = false;
  let grace: NodeJS.Timeout | undefined;
  const stop = (reason: AbortReason) => {
    if (stopping || exited) return;
    stopping = reason;
    const what = reason === "timeout" ? `timed out after ${seconds(req.timeoutMs)}` : "canceled";
    log.write("dagship", `${what}: SIGTERM to process group ${pid}, SIGKILL in ${seconds(GRACE_MS)}`);
    try {
      writeFileSync(path.join(req.attemptDir, ABORT_FILE), reason);
    } catch {
      // The task then sees a cancel; the attempt's outcome is the runner's to say either way.
    }
    killGroup(pid, "SIGTERM");
    grace = setTimeout(() => {
      forced = true;
      log.write("dagship", `still running after the grace period: SIGKILL to process group ${pid}`);
      killGroup(pid, "SIGKILL");
    }, GRACE_MS);
  };
  const timer = req.timeoutMs > 0 ? setTimeout(() => stop("timeout"), req.timeoutMs) : undefined;
  const onAbort = () => stop("canceled");
  req.signal.addEventListener("abort", onAbort, { once: true });

  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once("exit", (code: number | null, signal: NodeJS.Signals | null) => {
      exited = true;
      clearTimeout(timer);
      clearTimeout(grace);
      // Whatever the main process left behind dies with it.
      killGroup(pid, "SIGKILL");
      // A process that escaped the group may still hold the pipes open: stop waiting for it.
      setTimeout(() => {
        child.stdout?.destroy();
        child.stderr?.destroy();
        channel.destroy();
      }, DRAIN_MS).unref();
      resolve({ code, signal });
    });
  });

  const init: InitMessage = {
    type: "init",
    bundle: bundle.file,
    module: path.relative(req.root, req.module) || req.module,
    export: req.export,
    params: req.params,
    job: req.job,
    task_key: req.task_key,
    values: req.values,
    tables: req.tables,
    attemptDir: req.attemptDir,
    arrow: bundle.externals["apache-arrow"] ?? "apache-arrow",
    models: modelRuntime(req, bundle.externals),
    runner: process.pid,
    secret_env: Object.keys(req.env),
  };
  // All the child is told: its end of the channel then reads end of file.
  channel.end(encodeMessage(init));

  const { code, signal } = await exit;
  await streams;
  req.signal.removeEventListener("abort", onAbort);

  const tail = log.stderrTail();
  const status = { exit_code: code, signal, stderr_tail: tail };
  if (stopping === "timeout") {
    const killed = forced ? `; it did not stop within the ${seconds(GRACE_MS)} grace period and was killed` : "";
    return { reason: "timeout", message: `the task timed out after ${seconds(req.timeoutMs)}${killed}`, ...status };
  }
  if (stopping === "canceled") return { reason: "canceled", message: "the run was canceled", ...status };
  if (reported) {
    const { reason, name, message, stack } = reported;
    return { reason, message, name, ...(stack === undefined ? {} : { stack }), ...status };
  }
  if (done && code === 0) return undefined;
  const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
  return { reason: "exited", message: `the task's process ${how} before the task finished`, ...status };
}

/** Reads the child's messages until the channel ends (or is destroyed). */
function follow(stream: Duplex, onMessage: (m: ChildMessage) => void): Promise<void> {
  const decoder = new StringDecoder("utf8");
  const lines = messageLines<ChildMessage>(onMessage);
  return new Promise((resolve) => {
    stream.on("data", (chunk: Buffer) => lines.push(decoder.write(chunk)));
    stream.once("end", resolve);
    stream.once("close", resolve);
    stream.once("error", () => resolve());
  });
}

/** Calls a listener of the caller's; a listener that throws must not break the attempt. */
function quietly(listener: () => void): void {
  try {
    listener();
  } catch {
    // ignored
  }
}

function failure(reason: TaskError["reason"], message: string, status?: Partial<TaskError>): TaskError {
  return { reason, message, exit_code: null, signal: null, stderr_tail: "", ...status };
}

function seconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(3))} s`;
}
