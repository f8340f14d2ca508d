import { describe, expect, it } from "vitest";
import { droppedFields } from "../../../runner/importers/databricks/fields.js";
import { convert } from "./helpers.js";

describe("fields that are not carried over", () => {
  it("reports every job-level field dagship has no place for, with a reason, and skips empty ones", () => {
    const settings = {
      name: "x",
      job_clusters: [{ job_cluster_key: "c" }],
      environments: [{ environment_key: "default" }],
      email_notifications: {},
      webhook_notifications: { on_failure: [{ id: "1" }] },
      notification_settings: { no_alert_for_skipped_runs: true },
      health: { rules: [] },
      git_source: { git_url: "https://x" },
      permissions: [{ level: "CAN_VIEW" }],
      run_as: { user_name: "a" },
      queue: { enabled: true },
      format: "MULTI_TASK",
      deployment: { kind: "BUNDLE" },
      edit_mode: "UI_LOCKED",
      continuous: { pause_status: "UNPAUSED" },
      mystery: 1,
      tasks: [],
    };
    const fields = droppedFields(settings, "job", new Set());
    expect(fields.map((f) => f.field)).toEqual(["job_clusters", "environments", "webhook_notifications", "notification_settings", "health", "git_source", "permissions", "run_as", "queue", "format", "deployment", "edit_mode", "continuous", "mystery"]);
    expect(fields.find((f) => f.field === "mystery")!.reason).toBe("not a Databricks Jobs API job field");
    for (const f of fields) expect(f.reason.length).toBeGreaterThan(10);
  });

  it("reports task-level clusters, libraries, notifications and unknown keys per task", () => {
    const job = convert({
      tasks: [
        {
          task_key: "t",
          existing_cluster_id: "0909-190547-toads94",
          new_cluster: { num_workers: 1 },
          job_cluster_key: "c",
          environment_key: "default",
          libraries: [{ whl: "x.whl" }],
          email_notifications: { on_failure: ["a@b"] },
          git_source_info: "url:x",
          notebook_task: { notebook_path: "/n" },
        },
      ],
    });
    expect(job.report.tasks[0]!.dropped.map((d) => d.field)).toEqual(["existing_cluster_id", "new_cluster", "job_cluster_key", "environment_key", "libraries", "email_notifications", "git_source_info"]);
    expect(job.report.tasks[0]!.dropped.at(-1)!.reason).toBe("not a Databricks Jobs API task field");
  });
});
