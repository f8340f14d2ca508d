/**
 * The entry of every attempt's child process (`node dist/runner/sdk/child.js`), spawned by the
 * process executor with an IPC channel. It waits for the init message, imports the task's bundle,
 * runs the export with a fresh `ctx` and reports the outcome, then exits: 0 when the task
 * finished, 1 when it threw. Imports Node built-ins and a few small dagship modules only, so an
 * attempt starts about as fast as `node -e 0`.
 */
import { pathToFileURL } from "node:url";
import { describeError } from "./checks.js";
import { createContext } from "./context.js";
import type { TaskDefinition, TaskFunction } from "./index.js";
import type { ChildMessage, ParentMessage } from "./protocol.js";

let finishing = false;
const inFlight = new Set<Promise<void>>();

/** Sends a message; the returned promise settles once it is written (or the channel is gone). */
function send(message: ChildMessage): void {
  if (!process.connected || !process.send) return;
  const sent = new Promise<void>((resolve) => process.send!(message, undefined, undefined, () => resolve()));
  inFlight.add(sent);
  void sent.then(() => inFlight.delete(sent));
}

/** Reports the outcome, waits for every message to be written, and exits; the first outcome wins. */
async function finish(code: number, message: ChildMessage): Promise<never> {
  if (finishing) return new Promise<never>(() => undefined);
  finishing = true;
  send(message);
  await Promise.all(inFlight);
  process.exit(code);
}

/** Stack frames of this runtime (not the task's code) are left out of reported stacks. */
const RUNTIME = new URL(".", import.meta.url).href;

function fail(error: unknown, reason: "threw" | "spawn" = "threw"): Promise<never> {
  const { stack, ...described } = describeError(error);
  const frames = stack?.split("\n").filter((line) => !line.includes(RUNTIME) && !line.includes("(node:events:"));
  const kept = reason === "spawn" || !frames ? {} : { stack: frames.join("\n") };
  return finish(1, { type: "error", reason, ...described, ...kept });
}

async function main(init: Extract<ParentMessage, { type: "init" }>): Promise<void> {
  const controller = new AbortController();
  const abort = (reason: "timeout" | "canceled") => {
    if (controller.signal.aborted) return;
    const text = reason === "timeout" ? "the task timed out" : "the run was canceled";
    controller.abort(new DOMException(text, reason === "timeout" ? "TimeoutError" : "AbortError"));
  };
  process.on("SIGTERM", () => abort("canceled"));
  process.on("message", (m: ParentMessage) => {
    if (m.type === "abort") abort(m.reason);
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
    const mod = (await import(pathToFileURL(init.bundle).href)) as Record<string, unknown>;
    if (!Object.hasOwn(mod, init.export)) {
      const names = Object.keys(mod).sort();
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

function taskFunction(exported: unknown): TaskFunction | undefined {
  if (typeof exported === "function") return exported as TaskFunction;
  const def = exported as Partial<TaskDefinition> | null | undefined;
  if (typeof def === "object" && def !== null && typeof def.run === "function") return (ctx) => def.run!(ctx);
  return undefined;
}

if (!process.send) {
  process.stderr.write("dagship: this is the entry of a task attempt's process; it is started by the dagship runner\n");
  process.exit(2);
}
// The parent died: take the task's whole process group with us rather than leave orphans.
process.on("disconnect", () => {
  if (!finishing) process.kill(0, "SIGKILL");
});
process.once("message", (init: ParentMessage) => {
  if (init.type !== "init") return void fail(new Error(`expected the init message, got "${init.type}"`), "spawn");
  process.channel?.unref();
  void main(init).catch((error: unknown) => fail(error));
});
