/** The end of a log file, read from its end: a large log costs what its last few kilobytes do. */
import { closeSync, fstatSync, openSync, readSync } from "node:fs";

/**
 * The last `lines` lines of `file`, at most `maxBytes` of them (the first, partial line of the
 * window is dropped when the window does not reach the file's start). Empty for an empty file;
 * the file system's error for a missing one.
 *
 * @example
 * ```ts
 * readTail(".dagship/dev/runs/r1/generate/1/log.txt", 20, 4096); // "…\nwrote 5000 rows"
 * ```
 */
export function readTail(file: string, lines: number, maxBytes: number): string {
  const fd = openSync(file, "r");
  try {
    const size = fstatSync(fd).size;
    const start = Math.max(0, size - maxBytes);
    const buf = Buffer.alloc(size - start);
    let got = 0;
    while (got < buf.length) {
      const n = readSync(fd, buf, got, buf.length - got, start + got);
      if (n === 0) break;
      got += n;
    }
    let text = buf.subarray(0, got).toString("utf8").replace(/\s+$/, "");
    if (start > 0) text = text.slice(text.indexOf("\n") + 1);
    return text.split("\n").slice(-lines).join("\n");
  } finally {
    closeSync(fd);
  }
}
