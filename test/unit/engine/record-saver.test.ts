import { describe, expect, it } from "vitest";
import { recordSaver, SAVE_SPACING_MS } from "../../../runner/engine/record-saver.js";
import type { RunRecord } from "../../../runner/workspace/records.js";
import type { RunStore } from "../../../runner/workspace/store.js";

/** A store that keeps what each write saw, and when it started. */
function fakeStore(fail?: Error): { store: RunStore; writes: Array<{ at: number; state: string }> } {
  const writes: Array<{ at: number; state: string }> = [];
  const store = {
    async saveAsync(record: RunRecord) {
      writes.push({ at: performance.now(), state: JSON.parse(JSON.stringify(record)).state });
      await new Promise((r) => setTimeout(r, 5));
      if (fail) throw fail;
    },
  } as unknown as RunStore;
  return { store, writes };
}

const record = () => ({ state: "RUNNING" }) as RunRecord;

describe("recordSaver", () => {
  it("writes at once, then coalesces the changes of a busy moment into spaced writes", async () => {
    const { store, writes } = fakeStore();
    const r = record();
    const saver = recordSaver(store, r);
    const start = performance.now();
    for (let i = 0; i < 30; i++) {
      saver.now();
      await new Promise((res) => setTimeout(res, 10));
    }
    await saver.flush();
    expect(writes[0]!.at - start).toBeLessThan(20);
    expect(writes.length).toBeLessThanOrEqual(Math.ceil((performance.now() - start) / SAVE_SPACING_MS) + 1);
    for (let i = 1; i < writes.length - 1; i++) expect(writes[i]!.at - writes[i - 1]!.at).toBeGreaterThanOrEqual(SAVE_SPACING_MS - 2);
  });

  it("flush writes what is pending without waiting for the spacing, and the last write has the last state", async () => {
    const { store, writes } = fakeStore();
    const r = record();
    const saver = recordSaver(store, r);
    saver.now();
    r.state = "SUCCESS";
    saver.now();
    const before = performance.now();
    await saver.flush();
    expect(performance.now() - before).toBeLessThan(SAVE_SPACING_MS / 2);
    expect(writes.map((w) => w.state)).toEqual(["RUNNING", "SUCCESS"]);
  });

  it("soon() writes within the spacing, and flush() writes it at once", async () => {
    const { store, writes } = fakeStore();
    const saver = recordSaver(store, record());
    saver.soon();
    expect(writes).toHaveLength(0);
    await new Promise((r) => setTimeout(r, SAVE_SPACING_MS + 30));
    expect(writes).toHaveLength(1);
    saver.soon();
    await saver.flush();
    expect(writes).toHaveLength(2);
  });

  it("reports a failed write from check() and flush()", async () => {
    const { store } = fakeStore(new Error("disk full"));
    const saver = recordSaver(store, record());
    saver.now();
    await expect(saver.flush()).rejects.toThrow("disk full");
    expect(() => saver.check()).toThrow("disk full");
  });
});

describe("outputsFlushed", () => {
  it("resolves once the logs closed so far are flushed; their lines are readable at once", async () => {
    const { mkdtempSync, readFileSync, rmSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const path = await import("node:path");
    const { AttemptLog } = await import("../../../runner/executors/attempt-log.js");
    const { outputsFlushed } = await import("../../../runner/executors/flushes.js");
    const { createMasker } = await import("../../../runner/workspace/secrets.js");
    const dir = mkdtempSync(path.join(tmpdir(), "dagship-log-"));
    try {
      const logs = [1, 2, 3].map((n) => {
        const log = new AttemptLog(path.join(dir, `log-${n}`), createMasker([]), undefined);
        log.write("info", `line ${n}`);
        log.close();
        return n;
      });
      for (const n of logs) expect(readFileSync(path.join(dir, `log-${n}`), "utf8")).toContain(`[info] line ${n}`);
      await expect(outputsFlushed()).resolves.toBeUndefined();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("waits for table files being synced, and fails with the file named when one cannot be", async () => {
    const { mkdtempSync, rmSync, writeFileSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const path = await import("node:path");
    const { flushFiles, FlushError, outputsFlushed } = await import("../../../runner/executors/flushes.js");
    const dir = mkdtempSync(path.join(tmpdir(), "dagship-flush-"));
    try {
      const files = ["a.arrow", "b.arrow"].map((name) => path.join(dir, name));
      for (const file of files) writeFileSync(file, "bytes");
      const ok = flushFiles(files);
      await expect(outputsFlushed()).resolves.toBeUndefined();
      await expect(ok).resolves.toBeUndefined();

      const missing = path.join(dir, "gone.arrow");
      const failed = flushFiles([missing]);
      await expect(outputsFlushed()).rejects.toBeInstanceOf(FlushError);
      await expect(failed).rejects.toMatchObject({ name: "FlushError", file: missing });
      // Settled flushes are forgotten: the next record write is not failed by an old one.
      await expect(outputsFlushed()).resolves.toBeUndefined();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
