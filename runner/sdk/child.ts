/**
 * The entry of every attempt's child process (`node dist/runner/sdk/child.bundle.cjs`), spawned
 * by the process executor with one extra pipe (see ./protocol.ts). It reads the init message,
 * imports the task's bundle, runs the export with a fresh `ctx` and reports the outcome, then
 * exits: 0 when the task finished, 1 when it threw. Imports Node built-ins and a few small
 * dagship modules only, so an attempt starts about as fast as `node -e 0`.
 */
import { fstatSync, readFileSync, readSync, writeSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { StringDecoder } from "node:string_decoder";
import { fileURLToPath, pathToFileURL } from "node:url";
import { describeError } from "./checks.js";
import { createContext } from "./context.js";
import { writeResultFile, type AttemptResultFile } from "./result-file.js";
import type { TaskDefinition, TaskFunction } from "./index.js";
import { ABORT_FILE, CHANNEL_FD, encodeMessage, messageLines, type ChildMessage, type InitMessage } from "./protocol.js";

/** How often the child checks that the runner is still its parent. */
const WATCH_MS = 200;
const FIRST_PARENT = process.ppid;
/** The runner's pid, from the init message (the first parent until then). */
let runnerPid = FIRST_PARENT;

let finishing = false;
/** Set once the task's function has returned: writing its result file is not interrupted. */
let completing = false;
let connected = true;

/**
 * Sends a message: written whole before this returns (the channel is a blocking pipe), so nothing
 * is lost when the process exits right after. Once the runner is gone, messages are dropped.
 */
function send(message: ChildMessage): void {
  if (!connected) return;
  const bytes = Buffer.from(encodeMessage(message));
  for (let off = 0; off < bytes.length; ) {
    try {
      off += writeSync(CHANNEL_FD, bytes, off);
    } catch (error) {
      // EAGAIN only if something made the pipe non-blocking: try again. EPIPE: the runner is gone.
      if ((error as NodeJS.ErrnoException).code === "EAGAIN") continue;
      connected = false;
      return;
    }
  }
}

/** Reports the outcome and exits; the first outcome wins. */
function finish(code: number, message: ChildMessage): Promise<never> {
  if (finishing) return new Promise<never>(() => undefined);
  finishing = true;
  send(message);
  // The runner ends what the task started once this process exits. If the runner died before the
  // watch below noticed (the task finished first), nobody will: take the group down on the way out.
  if (!connected || process.ppid !== runnerPid) process.kill(0, "SIGKILL");
  process.exit(code);
}

/** Stack frames of this runtime (not the task's code) are left out of reported stacks: its folder, as a URL and a path. */
const RUNTIME = [new URL(".", import.meta.url).href, fileURLToPath(new URL(".", import.meta.url))];

function fail(error: unknown, reason: "threw" | "spawn" = "threw"): Promise<never> {
  const { stack, ...described } = describeError(error);
  const frames = stack?.split("\n").filter((line) => !RUNTIME.some((dir) => line.includes(dir)) && !line.includes("(node:events:"));
  const kept = reason === "spawn" || !frames ? {} : { stack: frames.join("\n") };
  return finish(1, { type: "error", reason, ...described, ...kept });
}

const controller = new AbortController();
function abort(reason: "timeout" | "canceled"): void {
  if (controller.signal.aborted) return;
  const text = reason === "timeout" ? "the task timed out" : "the run was canceled";
  controller.abort(new DOMException(text, reason === "timeout" ? "TimeoutError" : "AbortError"));
}

async function main(init: InitMessage): Promise<void> {
  // The runner writes why it stops the attempt before it sends SIGTERM.
  process.on("SIGTERM", () => {
    let reason = "";
    try {
      reason = readFileSync(path.join(init.attemptDir, ABORT_FILE), "utf8");
    } catch {
      // Not from the runner (or the runner could not say why): a cancel.
    }
    abort(reason === "timeout" ? "timeout" : "canceled");
  });
  // The runner died (this process was handed to another parent): take the task's whole process
  // group with us rather than leave orphans. Checked on a timer that does not keep the process
  // alive (an empty event loop is how a task that never settles is detected).
  runnerPid = init.runner ?? FIRST_PARENT;
  const orphaned = () => {
    if (!finishing && !completing && process.ppid !== runnerPid) process.kill(0, "SIGKILL");
  };
  orphaned();
  setInterval(orphaned, WATCH_MS).unref();
  process.on("uncaughtException", (error) => void fail(error));
  process.on("unhandledRejection", (error) => void fail(error));
  // The event loop emptied while the task's promise was still pending: it can never settle.
  process.on("beforeExit", () => {
    if (!finishing) void fail(new Error("the task's promise never settled: nothing was left to wait for (an await on a promise nobody resolves?)"));
  });

  let exported: unknown;
  try {
    // Stacks of the task's code point at its TypeScript sources (enabled only now, so that this
    // runtime's own modules do not pay for loading their source maps).
    process.setSourceMapsEnabled(true);
    const mod = await loadModule(init.bundle);
    if (!Object.hasOwn(mod, init.export)) {
      const names = Object.keys(mod).filter((name) => name !== "__esModule").sort();
      await fail(new Error(`${init.module} has no export "${init.export}"; its exports: ${names.length ? names.join(", ") : "(none)"}`), "spawn");
    }
    exported = mod[init.export];
  } catch (error) {
    await fail(error);
  }
  const run = taskFunction(exported);
  if (!run) {
    await fail(new TypeError(`export "${init.export}" of ${init.module} is not a task: expected defineTask({ run(ctx) }) or a function, got ${typeof exported}`), "spawn");
    return;
  }

  // What the task reports, kept for its result file as well as sent to the runner.
  const outputs: Pick<AttemptResultFile, "values" | "tables"> = { values: {}, tables: {} };
  const report = (message: ChildMessage) => {
    if (message.type === "value") outputs.values[message.name] = message.value;
    else if (message.type === "table") outputs.tables[message.name] = message.record;
    send(message);
  };
  const started_at = new Date().toISOString();
  const { ctx, flush } = createContext(init, controller.signal, report);
  try {
    const result = await run(ctx);
    // The task's work is done: let its result file be written even if the runner is gone (finish
    // ends the group on the way out), so the work is adopted rather than done again.
    completing = true;
    if (result !== undefined) ctx.values.set("result", result);
    flush();
    // Before the process says it is done: if the runner has died meanwhile, the run's next
    // reaping adopts this success rather than run the task again.
    const secrets = (init.secret_env ?? []).map((name) => process.env[name] ?? "");
    writeResultFile(init.attemptDir, { ok: true, started_at, ended_at: new Date().toISOString(), ...outputs }, secrets);
  } catch (error) {
    flush();
    await fail(error);
  }
  await finish(0, { type: "done" });
}

/**
 * Loads the task's bundle (an ES module) with require(), which Node (≥ 20.19) does synchronously,
 * without the asynchronous module loader's cost; a module graph with top-level await, which
 * require() refuses before running any of it, is loaded with import().
 */
async function loadModule(file: string): Promise<Record<string, unknown>> {
  try {
    // The runtime runs as CommonJS (scripts/bundle-child.mjs), where require() is at hand.
    const load = typeof require === "function" ? require : createRequire(import.meta.url);
    return load(file) as Record<string, unknown>;
  } catch (error) {
    if (!["ERR_REQUIRE_ASYNC_MODULE", "ERR_REQUIRE_ESM"].includes(String((error as NodeJS.ErrnoException).code))) throw error;
    return (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  }
}

function taskFunction(exported: unknown): TaskFunction | undefined {
  if (typeof exported === "function") return exported as TaskFunction;
  const def = exported as Partial<TaskDefinition> | null | undefined;
  if (typeof def === "object" && def !== null && typeof def.run === "function") return (ctx) => def.run!(ctx);
  return undefined;
}

/** Reads the init message: the first line of the channel (the runner writes it right after the spawn). */
function readInit(): InitMessage | undefined {
  const decoder = new StringDecoder("utf8");
  let init: InitMessage | undefined;
  const lines = messageLines<InitMessage>((m) => (init ??= m));
  const buffer = Buffer.allocUnsafe(64 * 1024);
  try {
    while (!init) {
      const n = readSync(CHANNEL_FD, buffer, 0, buffer.length, null);
      if (n === 0) break;
      lines.push(decoder.write(buffer.subarray(0, n)));
    }
  } catch {
    // The channel failed: reported as a missing init message.
  }
  return init;
}

function isPipe(fd: number): boolean {
  try {
    const stat = fstatSync(fd);
    return stat.isSocket() || stat.isFIFO();
  } catch {
    return false;
  }
}

if (!isPipe(CHANNEL_FD)) {
  process.stderr.write("dagship: this is the entry of a task attempt's process; it is started by the dagship runner\n");
  process.exit(2);
}
const init = readInit();
if (init?.type !== "init") void fail(new Error("the runner's channel ended before the init message"), "spawn");
else void main(init).catch((error: unknown) => fail(error));
