// Every job and environment of the repository validates, with the same checks as `dagship validate`.
import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { compileJobs, validateEnvironments, type Diagnostic } from "dagship/spec";
import { describe, expect, it } from "vitest";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const show = (d: Diagnostic) => `${d.file}:${d.line}:${d.column} ${d.code} ${d.message}`;

describe("the repository", () => {
  it("has jobs, and every job validates", async () => {
    const dir = path.join(root, "jobs");
    const files = readdirSync(dir)
      .map((name) => path.join(dir, name, "job.json"))
      .filter((file) => existsSync(file));
    expect(files.length).toBeGreaterThan(0);
    const { jobs, diagnostics } = await compileJobs(files, { cwd: root });
    expect(diagnostics.map(show)).toEqual([]);
    expect(jobs.every((j) => j.job !== undefined)).toBe(true);
  });

  it("has dev, staging and prod environments, and every one validates", () => {
    const dir = path.join(root, "environments");
    const files = readdirSync(dir).filter((name) => /\.ya?ml$/.test(name));
    expect(files.map((f) => f.replace(/\.ya?ml$/, "")).sort()).toEqual(expect.arrayContaining(["dev", "prod", "staging"]));
    const { diagnostics } = validateEnvironments(files.map((f) => path.join(dir, f)), root);
    expect(diagnostics.map(show)).toEqual([]);
  });
});
