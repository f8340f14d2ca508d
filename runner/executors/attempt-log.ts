/**
 * An attempt's log file: every `ctx.log` line, the raw stdout/stderr of the task's processes and
 * the executor's own notes, one timestamped and tagged line each, secrets masked.
 */
import { close, fsync, openSync, writeSync } from "node:fs";
import { StringDecoder } from "node:string_decoder";
import type { Readable } from "node:stream";
import { track } from "./flushes.js";
import type { AttemptRequest } from "./types.js";
import type { Masker } from "../workspace/secrets.js";

/** What a log line is: a `ctx.log` level, a raw stream, a progress update or the executor's note. */
export type LogTag = "info" | "warn" | "error" | "stdout" | "stderr" | "progress" | "dagship";

const TAIL_LINES = 20;
const TAIL_BYTES = 4096;
/** A line longer than this is cut (so a stream without newlines cannot fill the memory). */
const MAX_LINE = 64 * 1024;

/**
 * Writes `<at> [<tag>] <text>` lines to the log file; forwards `ctx.log` lines and raw output to
 * `onLog` (stdout as info, stderr as warn), and keeps the last lines of stderr.
 */
export class AttemptLog {
  private readonly fd: number;
  private readonly tail: string[] = [];

  constructor(
    file: string,
    private readonly mask: Masker,
    private readonly onLog: AttemptRequest["onLog"],
  ) {
    this.fd = openSync(file, "a", 0o644);
  }

  /** Logs `text` (each of its lines) under `tag`, at `at` (ISO time; now by default). */
  write(tag: LogTag, text: string, at = new Date().toISOString()): void {
    const masked = this.mask.text(text);
    const lines = masked.split(/\r?\n/);
    writeSync(this.fd, lines.map((line) => `${at} [${tag}] ${line}\n`).join(""));
    if (tag === "stderr") this.keepTail(lines);
    const level = tag === "stdout" ? "info" : tag === "stderr" ? "warn" : tag === "progress" || tag === "dagship" ? undefined : tag;
    if (level && this.onLog) {
      try {
        this.onLog({ level, message: masked, at });
      } catch {
        // A failing listener must not fail the attempt.
      }
    }
  }

  /** Reads `stream` line by line into the log under `tag`; resolves when it ends. */
  follow(tag: "stdout" | "stderr", stream: Readable | null | undefined): Promise<void> {
    if (!stream) return Promise.resolve();
    const decoder = new StringDecoder("utf8");
    let partial = "";
    const take = (text: string) => {
      partial += text;
      let nl: number;
      while ((nl = partial.indexOf("\n")) >= 0) {
        this.write(tag, partial.slice(0, nl).replace(/\r$/, ""));
        partial = partial.slice(nl + 1);
      }
      while (partial.length > MAX_LINE) {
        this.write(tag, partial.slice(0, MAX_LINE));
        partial = partial.slice(MAX_LINE);
      }
    };
    return new Promise((resolve) => {
      let ended = false;
      const end = () => {
        if (ended) return;
        ended = true;
        take(decoder.end());
        if (partial) this.write(tag, partial);
        partial = "";
        resolve();
      };
      stream.on("data", (chunk: Buffer) => take(decoder.write(chunk)));
      stream.once("end", end);
      stream.once("close", end);
      stream.once("error", end);
    });
  }

  /** The last ~20 lines (at most 4 KiB) the task printed on stderr, masked. */
  stderrTail(): string {
    let text = this.tail.join("\n");
    if (Buffer.byteLength(text) > TAIL_BYTES) text = Buffer.from(text).subarray(-TAIL_BYTES).toString("utf8").replace(/^\uFFFD+/, "");
    return text;
  }

  /**
   * Closes the log; it is flushed to disk in the background, on the thread pool, so neither the
   * event loop nor the attempt waits for the disk (`outputsFlushed` in ./flushes.ts tells when it is done).
   * The lines are in the file already: readers see them at once.
   */
  close(): void {
    // An fsync that fails counts as done: not every file system can fsync.
    track(new Promise<void>((resolve) => fsync(this.fd, () => close(this.fd, () => resolve()))));
  }

  private keepTail(lines: string[]): void {
    this.tail.push(...lines);
    if (this.tail.length > TAIL_LINES) this.tail.splice(0, this.tail.length - TAIL_LINES);
  }
}
