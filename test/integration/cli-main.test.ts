import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { main } from "../../runner/cli/main.js";
import type { Io } from "../../runner/cli/io.js";

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

function capture(overrides: Partial<Io> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const io: Io = { stdout: (t) => void out.push(t), stderr: (t) => void err.push(t), env: {}, cwd: repo, isTTY: false, ...overrides };
  return { io, out, err };
}

describe("main (the CLI's top-level handler)", () => {
  it("turns an unexpected exception into a short report and exit code 3", async () => {
    const { io, err } = capture({
      stdout: () => {
        throw new TypeError("stdout exploded");
      },
    });
    const code = await main(["validate"], io);
    expect(code).toBe(3);
    const text = err.join("");
    expect(text).toMatch(/^dagship: internal error DS9999 stdout exploded\n/);
    expect(text).toContain("DAGSHIP_DEBUG=1");
    expect(text.split("\n").filter((l) => l.trim().startsWith("at ")).length).toBeLessThanOrEqual(1);
  });

  it("prints the full stack of an internal error when DAGSHIP_DEBUG is set", async () => {
    const { io, err } = capture({
      env: { DAGSHIP_DEBUG: "1" },
      stdout: () => {
        throw new Error("boom");
      },
    });
    expect(await main(["validate"], io)).toBe(3);
    expect(err.join("").split("\n").filter((l) => l.trim().startsWith("at ")).length).toBeGreaterThan(1);
  });

  it("maps a usage error to exit code 2 and a JSON error object under --json", async () => {
    const { io, out, err } = capture();
    expect(await main(["validate", "--json", "--nope"], io)).toBe(2);
    expect(err.join("")).toContain('unknown flag "--nope"');
    expect(JSON.parse(out.join(""))).toMatchObject({ ok: false, error: { code: "DS2001" } });
  });

  it("suggests the closest command for a misspelt one", async () => {
    const { io, err } = capture();
    expect(await main(["valdate"], io)).toBe(2);
    expect(err.join("")).toContain('did you mean "validate"?');
  });

  it("prints usage on stderr with exit code 2 when no command is given", async () => {
    const { io, out, err } = capture();
    expect(await main([], io)).toBe(2);
    expect(out).toEqual([]);
    expect(err.join("")).toContain("usage: dagship <command>");
  });

  it("prints the package version", async () => {
    const { io, out } = capture();
    expect(await main(["--version"], io)).toBe(0);
    expect(out.join("")).toMatch(/^\d+\.\d+\.\d+\n$/);
  });

  it("validates this repository's own jobs and environments", async () => {
    const { io, out } = capture();
    expect(await main(["validate", "--json"], io)).toBe(0);
    const result = JSON.parse(out.join("")) as { ok: boolean; checked: { jobs: string[]; environments: string[] } };
    expect(result.ok).toBe(true);
    expect(result.checked.jobs).toContain(path.join("jobs", "hello", "job.json"));
    expect(result.checked.environments).toHaveLength(3);
  });

  it("adds a code frame to each problem on a terminal, and none otherwise", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "dagship-frame-"));
    mkdirSync(path.join(dir, ".git"));
    mkdirSync(path.join(dir, "jobs", "a"), { recursive: true });
    writeFileSync(path.join(dir, "jobs", "a", "job.json"), '{\n  "name": "a",\n  "tasks": [],\n  "nmae": 1\n}\n');
    const tty = capture({ isTTY: true, cwd: dir });
    expect(await main(["validate"], tty.io)).toBe(1);
    expect(tty.out.join("")).toMatch(/> 4 \|\s+"nmae": 1/);
    const pipe = capture({ isTTY: false, cwd: dir });
    expect(await main(["validate"], pipe.io)).toBe(1);
    expect(pipe.out.join("")).not.toContain("> 4 |");
    expect(pipe.out.join("")).toContain('jobs/a/job.json:4:3 error DS1003 unknown field "nmae" in the job');
    rmSync(dir, { recursive: true, force: true });
  });
});
