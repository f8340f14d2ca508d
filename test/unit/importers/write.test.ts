import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { planFolders, writeFolders, type FolderOutput } from "../../../runner/importers/databricks/write.js";

let dir: string;
beforeEach(() => void (dir = mkdtempSync(path.join(tmpdir(), "dagship-import-write-"))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));
const show = (p: string) => path.relative(dir, p);
const out = (name: string, placeholder = false): FolderOutput => ({ name, dir: path.join(dir, "jobs", name), placeholder, files: [{ path: "job.json", content: `{"name":"${name}"}\n` }, { path: "tasks/a.ts", content: "export default 1;\n" }] });
const job = (name: string, content: object) => {
  mkdirSync(path.join(dir, "jobs", name), { recursive: true });
  writeFileSync(path.join(dir, "jobs", name, "job.json"), JSON.stringify(content));
};

describe("writing job folders", () => {
  it("creates folders with every file and leaves no staging folder behind", () => {
    writeFolders(planFolders([out("a"), out("b")], false, show), show);
    expect(readdirSync(path.join(dir, "jobs")).sort()).toEqual(["a", "b"]);
    expect(readFileSync(path.join(dir, "jobs", "a", "tasks", "a.ts"), "utf8")).toBe("export default 1;\n");
  });

  it("refuses to overwrite an existing job folder without --force, naming it; replaces it with --force", () => {
    job("a", { name: "a", old: true });
    writeFileSync(path.join(dir, "jobs", "a", "stale.ts"), "");
    expect(() => planFolders([out("a")], false, show)).toThrow(expect.objectContaining({ code: "DS2001", exitCode: 2, message: "refusing to overwrite existing job folder jobs/a", hint: expect.stringMatching(/--force/) }));
    writeFolders(planFolders([out("a")], true, show), show);
    expect(readFileSync(path.join(dir, "jobs", "a", "job.json"), "utf8")).toBe('{"name":"a"}\n');
    expect(existsSync(path.join(dir, "jobs", "a", "stale.ts"))).toBe(false);
    expect(readdirSync(path.join(dir, "jobs"))).toEqual(["a"]);
  });

  it("never replaces a folder that is not a job folder, even with --force", () => {
    mkdirSync(path.join(dir, "jobs", "a", "x", "y"), { recursive: true });
    writeFileSync(path.join(dir, "jobs", "a", "x", "y", "job.json"), "{}");
    writeFileSync(path.join(dir, "jobs", "a", "x", "keep.txt"), "");
    expect(() => planFolders([out("a")], true, show)).toThrow(/holds no job\.json/);
  });

  it("replaces a placeholder job without --force, and reuses an existing real job instead of writing a placeholder", () => {
    job("p", { name: "p", tags: { dagship_import: "placeholder" } });
    job("real", { name: "real" });
    const plans = planFolders([out("p"), out("real", true)], false, show);
    expect(plans.map((p) => p.action)).toEqual(["replace", "reuse"]);
    writeFolders(plans, show);
    expect(readFileSync(path.join(dir, "jobs", "real", "job.json"), "utf8")).toBe('{"name":"real"}');
  });

  it("an empty existing folder is simply used", () => {
    mkdirSync(path.join(dir, "jobs", "a"), { recursive: true });
    expect(planFolders([out("a")], false, show)[0]!.action).toBe("replace");
  });

  it("on a write error, nothing is left half-written and replaced folders are restored", () => {
    job("a", { name: "a", old: true });
    const bad: FolderOutput = { ...out("b"), files: [{ path: "job.json", content: "{}" }, { path: "job.json/x", content: "" }] };
    expect(() => writeFolders(planFolders([out("a"), bad], true, show), show)).toThrow(expect.objectContaining({ code: "DS2003" }));
    expect(readdirSync(path.join(dir, "jobs"))).toEqual(["a"]);
    expect(JSON.parse(readFileSync(path.join(dir, "jobs", "a", "job.json"), "utf8"))).toEqual({ name: "a", old: true });
  });
});
