import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runProcessAttempt } from "../../../runner/executors/process.js";
import { cleanup, request, tempDir } from "./helpers.js";

const cacheDir = path.join(tempDir(), "cache");
afterAll(cleanup);

const SECRET = "s3cr3t-Token-9f2c";

describe("logs, progress and secrets", () => {
  it("logs ctx.log, stdout and stderr with timestamps and tags, forwards them live, and reports progress", async () => {
    const lines: Array<{ level: string; message: string }> = [];
    const progress: Array<[number, string | undefined]> = [];
    const req = request("chatty.ts", {
      cacheDir,
      env: { API_TOKEN: SECRET },
      secrets: [SECRET],
      onLog: ({ level, message, at }) => {
        expect(at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
        lines.push({ level, message });
      },
      onProgress: (fraction, message) => progress.push([fraction, message]),
    });
    const result = await runProcessAttempt(req);
    expect(result.ok).toBe(true);
    expect(lines).toEqual(
      expect.arrayContaining([
        { level: "info", message: "hello world" },
        { level: "warn", message: "token=***" },
        { level: "error", message: "an error line" },
        { level: "info", message: "raw stdout with ***" },
        { level: "warn", message: "raw stderr" },
      ]),
    );
    expect(progress).toEqual([
      [0.5, "half way"],
      [1, "done with ***"],
    ]);
    const log = readFileSync(path.join(req.attemptDir, result.log), "utf8");
    const stamp = String.raw`\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z`;
    for (const line of ["[info] hello world", "[warn] token=***", "[error] an error line", "[stdout] raw stdout with ***", "[stderr] raw stderr", "[progress] 50% half way"]) {
      expect(log).toMatch(new RegExp(`^${stamp} ${line.replace(/[[\]*]/g, "\\$&")}$`, "m"));
    }
    expect(log).not.toContain(SECRET);
    expect(result.values).toEqual({ leak: { nested: ["x***y"], "***": true } });
  });

  it("masks secrets in a failure's message, stack and stderr tail", async () => {
    const req = request("chatty.ts", { cacheDir, env: { API_TOKEN: SECRET }, secrets: [SECRET, ""], params: { fail: true } });
    const result = await runProcessAttempt(req);
    expect(!result.ok && result.error).toMatchObject({ reason: "threw", message: "failed with ***" });
    expect(!result.ok && result.error.stack).toMatch(/^Error: failed with \*\*\*\n/);
    expect(JSON.stringify(result)).not.toContain(SECRET);
    expect(readFileSync(path.join(req.attemptDir, result.log), "utf8")).not.toContain(SECRET);
  });
});
