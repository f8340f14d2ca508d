/**
 * Run ids: `runs` lists newest first by sorting ids, and tests and users pick "the latest run"
 * the same way, so ids must sort by start time even for runs started in the same second.
 */
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { RunStore } from "../../../runner/workspace/store.js";

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("RunStore.newRunId", () => {
  it("hands out well-formed ids that sort in the order they were made, within one second too", () => {
    const store = new RunStore(tmpdir());
    const second = Date.parse("2026-11-21T07:46:09.000Z");
    const ids = Array.from({ length: 200 }, (_, i) => store.newRunId(second + (i % 3)));
    for (const id of ids) expect(() => store.runDir(id)).not.toThrow();
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
  });

  it("puts the second and the millisecond of the start in the id", () => {
    const store = new RunStore(tmpdir());
    const id = store.newRunId(Date.parse("2099-01-02T03:04:05.999Z"));
    expect(id).toMatch(/^r20990102T030405-3e7[0-9a-f]{3}$/);
  });

  it("never returns an id whose folder already exists", () => {
    dir = mkdtempSync(path.join(tmpdir(), "dagship-ids-"));
    const store = new RunStore(dir);
    // Every id of one millisecond is taken: the next id must come from a later one.
    const at = Date.parse("2099-06-01T00:00:00.005Z");
    for (let n = 0; n < 4096; n++) mkdirSync(path.join(store.runsDir, `r20990601T000000-005${n.toString(16).padStart(3, "0")}`), { recursive: true });
    const id = store.newRunId(at);
    expect(id).toMatch(/^r20990601T000000-(00[6-9a-f]|0[1-9a-f][0-9a-f])[0-9a-f]{3}$/);
  });
});
