import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runProcessAttempt } from "../../../runner/executors/process.js";
import { encodeMessage, messageLines, type ChildMessage } from "../../../runner/sdk/protocol.js";
import { cleanup, request, tempDir } from "./helpers.js";

const cacheDir = path.join(tempDir(), "cache");
afterAll(cleanup);

describe("the parent–child protocol: lines of JSON", () => {
  it("reassembles messages split across chunks and several in one chunk", () => {
    const seen: ChildMessage[] = [];
    const lines = messageLines<ChildMessage>((m) => seen.push(m));
    const text = encodeMessage({ type: "value", name: "v", value: { s: "a\nb", n: [1, 2] } }) + encodeMessage({ type: "done" });
    for (const chunk of [text.slice(0, 7), text.slice(7, 30), text.slice(30)]) lines.push(chunk);
    expect(seen).toEqual([{ type: "value", name: "v", value: { s: "a\nb", n: [1, 2] } }, { type: "done" }]);
  });

  it("skips lines that are not dagship messages", () => {
    const seen: ChildMessage[] = [];
    const lines = messageLines<ChildMessage>((m) => seen.push(m));
    lines.push('not json\n42\n{"no":"type"}\n{"type":"done"}\n');
    expect(seen).toEqual([{ type: "done" }]);
  });

  it("carries a large value whole (many pipe buffers)", async () => {
    const result = await runProcessAttempt(request("plain.ts", { cacheDir, params: { a: "x".repeat(40_000), b: "y" } }));
    expect(result).toMatchObject({ ok: true });
    expect(JSON.stringify(result.values).length).toBeGreaterThan(40_000);
  });

  it("runs a task module with top-level await", async () => {
    const result = await runProcessAttempt(request("top-level-await.ts", { cacheDir }));
    expect(result).toMatchObject({ ok: true, values: { ready: "ready" } });
  });
});
