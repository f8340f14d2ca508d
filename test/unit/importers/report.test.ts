import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { varsNotes } from "../../../runner/importers/databricks/environments.js";
import type { ImportResult } from "../../../runner/importers/databricks/index.js";
import { formatImport } from "../../../runner/importers/databricks/report.js";

const dir = mkdtempSync(path.join(tmpdir(), "dagship-import-report-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("deploy-time vars the imported jobs need", () => {
  it("names the environment files that lack them", () => {
    mkdirSync(path.join(dir, "environments"));
    writeFileSync(path.join(dir, "environments", "dev.yaml"), "name: dev\nvars:\n  catalog: dev\n");
    writeFileSync(path.join(dir, "environments", "prod.yaml"), "name: prod\n");
    const notes = varsNotes(dir, ["catalog", "schema"], (f) => path.relative(dir, f));
    expect(notes).toEqual([
      "vars.catalog is not defined in environments/prod.yaml: add it before rendering or deploying for that environment",
      "vars.schema is not defined in environments/dev.yaml, environments/prod.yaml: add it before rendering or deploying for those environments",
    ]);
  });

  it("without environment files, says to define them in each environment; nothing when no vars are used", () => {
    expect(varsNotes(path.join(dir, "none"), ["x"], (f) => f)[0]).toMatch(/define it under vars in each environments\/<env>\.yaml/);
    expect(varsNotes(dir, [], (f) => f)).toEqual([]);
  });
});

describe("the human report", () => {
  it("lists per task what to port and what was dropped, the reasons once, and a summary", () => {
    const result: ImportResult = {
      source: { file: "job.json", kind: "jobs-api", label: "Databricks Jobs API JSON", detail: "job settings" },
      jobs_dir: "jobs",
      jobs: [
        {
          name: "train",
          folder: "jobs/train",
          from: "(job settings)",
          databricks_name: "Train",
          tasks: [
            { task_key: "a", kind: "notebook_task", as: "ts_task", port: { module: "tasks/a.ts", replaces: 'notebook "/a"' }, dropped: [{ field: "existing_cluster_id", reason: "no clusters" }], notes: [] },
            { task_key: "c", kind: "condition_task", as: "condition_task", dropped: [], notes: ["a note"] },
          ],
          dropped: [{ field: "permissions", reason: "no acl" }],
          renamed: { job: { from: "Train", to: "train" } },
          notes: ["job note"],
          vars: [],
        },
      ],
      placeholders: [],
      skipped: [],
      notes: [],
      validation: { ok: true, errors: [] },
    };
    expect(formatImport(result)).toBe(
      [
        "Imported 1 job from job.json (Databricks Jobs API JSON: job settings)",
        "",
        'train → jobs/train  ((job settings), Databricks name "Train")',
        '  renamed job "Train" → train',
        "  tasks:",
        "    a  notebook_task → ts_task",
        '      to port: tasks/a.ts replaces notebook "/a"',
        "      dropped: existing_cluster_id",
        "    c  condition_task",
        "      note: a note",
        "  job fields dropped: permissions",
        "  why dropped:",
        "    existing_cluster_id: no clusters",
        "    permissions: no acl",
        "  note: job note",
        "",
        "✓ 1 job written and valid; 1 task to port: train/tasks/a.ts",
        "",
      ].join("\n"),
    );
  });
});
