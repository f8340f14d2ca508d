/**
 * The entry of every attempt's child process (`node dist/runner/sdk/child.bundle.cjs`), spawned
 * by the process executor with two extra pipes (see ./protocol.ts). It reads the init message,
 * imports the task's bundle, runs the export with a fresh `ctx` and reports the outcome, then
 * exits: 0 when the task finished, 1 when it threw. Imports Node built-ins and a few small
 * dagship modules only, so an attempt starts about as fast as `node -e 0`.
 */
import { fstatSync, readSync, writeSync } from "node:fs";
import { createRequire } from "node:module";
import { Socket } from "node:net";
import { StringDecoder } from "node:string_decoder";
import { fileURLToPath, pathToFileURL } from "node:url";
import { describeError } from "./checks.js";
import { createContext } from "./context.js";
import type { TaskDefinition, TaskFunction } from "./index.js";
import { CONTROL_FD, encodeMessage, MESSAGE_FD, messageLines, type ChildMessage, type InitMessage, type ParentMessage } from "./protocol.js";

let finishing = false;
let connected = true;

/**
 * Sends a message: written whole before this returns (the message pipe is blocking), so nothing
 * is lost when the process exits right after. Once the runner is gone, messages are dropped.
 */
function send(message: ChildMessage): void {
  if (!connected) return;
  const bytes = Buffer.from(encodeMessage(message));
  for (let off = 0; off < bytes.length; ) {
    try {
      off += writeSync(MESSAGE_FD, bytes, off);
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
  // The runner writes the abort message (with its reason) before it sends SIGTERM: read what is
  // pending first, so that a timeout is not taken for a cancel.
  process.on("SIGTERM", () => {
    drainControl();
    abort("canceled");
  });
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

  const { ctx, flush } = createContext(init, controller.signal, send);
  try {
    const result = await run(ctx);
    if (result !== undefined) ctx.values.set("result", result);
    flush();
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
    return createRequire(import.meta.url)(file) as Record<string, unknown>;
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

function isPipe(fd: number): boolean {
  try {
    const stat = fstatSync(fd);
    return stat.isSocket() || stat.isFIFO();
  } catch {
    return false;
  }
}

if (!isPipe(CONTROL_FD) || !isPipe(MESSAGE_FD)) {
  process.stderr.write("dagship: this is the entry of a task attempt's process; it is started by the dagship runner\n");
  process.exit(2);
}

let started = false;
const decoder = new StringDecoder("utf8");
const lines = messageLines<ParentMessage>((m) => {
  if (m.type === "abort") abort(m.reason === "timeout" ? "timeout" : "canceled");
  else if (m.type !== "init" || started) return;
  else {
    started = true;
    // From now on the control pipe only watches for an abort or the runner's end: it must not
    // keep the process alive (an empty event loop is how a task that never settles is detected).
    control.unref();
    void main(m).catch((error: unknown) => fail(error));
  }
});
const control = new Socket({ fd: CONTROL_FD, readable: true, writable: false });
control.on("data", (chunk: Buffer) => lines.push(decoder.write(chunk)));
// The runner died (its end of the pipe closed): take the task's whole process group with us
// rather than leave orphans.
const orphaned = () => {
  if (!finishing) process.kill(0, "SIGKILL");
};
control.once("end", orphaned);
control.once("error", orphaned);

/** Reads what the control pipe holds right now (it is non-blocking), without waiting for the event loop. */
function drainControl(): void {
  const buffer = Buffer.allocUnsafe(4096);
  for (;;) {
    let n: number;
    try {
      n = readSync(CONTROL_FD, buffer, 0, buffer.length, null);
    } catch {
      return; // EAGAIN: nothing more is pending
    }
    if (n === 0) return;
    lines.push(decoder.write(buffer.subarray(0, n)));
  }
}
