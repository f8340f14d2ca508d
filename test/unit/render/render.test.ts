import { describe, expect, it } from "vitest";
import { mergeJob } from "../../../runner/render/merge.js";
import { renderJob, type RenderTarget } from "../../../runner/render/render.js";
import { renderString } from "../../../runner/render/template.js";
import type { EnvironmentSpec } from "../../../runner/spec/schema/environment.js";

const context = { env: { name: "dev" }, vars: { bucket: "b", n: 3, on: true }, git: { branch: "feat", sha: "abc1234def", short_sha: "abc1234" } };
const target = (spec: Partial<EnvironmentSpec> = {}): RenderTarget => ({
  name: spec.name ?? "dev",
  spec: { name: "dev", workspace: { path: ".dagship/dev" }, vars: { bucket: "b" }, ...spec } as EnvironmentSpec,
  file: "environments/dev.yaml",
  locate: () => ({ line: 7, column: 9 }),
  git: { branch: "feat", sha: "abc1234def", short_sha: "abc1234" },
});

describe("renderString", () => {
  it("renders deploy-time names and helpers, keeping run-time references intact", () => {
    expect(renderString("s3://{{vars.bucket}}/{{env.name}}/{{git.short_sha}}/{{job.run_id}}/{{tasks.a.values.v}}", context)).toBe("s3://b/dev/abc1234/{{job.run_id}}/{{tasks.a.values.v}}");
    expect(renderString("{{#if vars.on}}gpu{{else}}cpu{{/if}}-{{task.key}}", context)).toBe("gpu-{{task.key}}");
    expect(renderString("{{job.parameters.[my param]}}", context)).toBe("{{job.parameters.[my param]}}");
  });

  it("names the full unknown path and what exists beside it", () => {
    expect(() => renderString("{{vars.nope}}", context)).toThrow('unknown name "vars.nope": vars has bucket, n, on');
    expect(() => renderString("{{git.nope.deeper}}", context)).toThrow('unknown name "git.nope.deeper": git has branch, sha, short_sha');
  });

  it("refuses unknown helpers, syntax errors and prototype access", () => {
    expect(() => renderString("{{shout vars.bucket}}", context)).toThrow(/shout/);
    expect(() => renderString("{{#if vars.on}}x", context)).toThrow();
    expect(() => renderString("{{vars.constructor}}", context)).toThrow('"constructor" cannot be used in a template (prototype access is disabled)');
    expect(() => renderString("{{lookup vars '__proto__'}}", context)).toThrow();
  });

  it("has no log helper: {{log}} would print from inside a render, into render's JSON", () => {
    const log = console.log;
    const info = console.info;
    const printed: unknown[] = [];
    console.log = console.info = (...args: unknown[]) => void printed.push(args);
    try {
      expect(() => renderString('{{log "hello"}}', context)).toThrow(/log/);
    } finally {
      console.log = log;
      console.info = info;
    }
    expect(printed).toEqual([]);
  });

  it("leaves strings with malformed references for the validator", () => {
    expect(renderString("{{vars.bucket", context)).toBe("{{vars.bucket");
  });
});

describe("mergeJob", () => {
  it("merges objects deeply, tasks by task_key, parameters by name, and replaces other arrays", () => {
    const job = { tags: { a: "1" }, parameters: [{ name: "p", default: "x" }], tasks: [{ task_key: "a", max_retries: 0, depends_on: [{ task_key: "z" }] }] };
    const override = { tags: { b: "2" }, parameters: [{ name: "p", default: "y" }, { name: "q", default: "z" }], tasks: [{ task_key: "a", max_retries: 2, depends_on: [] }, { task_key: "b" }] };
    expect(mergeJob(job, override)).toEqual({
      tags: { a: "1", b: "2" },
      parameters: [{ name: "p", default: "y" }, { name: "q", default: "z" }],
      tasks: [{ task_key: "a", max_retries: 2, depends_on: [] }, { task_key: "b" }],
    });
  });
});

describe("renderJob", () => {
  const job = { name: "j", schedule: { quartz_cron_expression: "0 0 3 * * ?", timezone_id: "UTC", pause_status: "UNPAUSED" }, tasks: [{ task_key: "a", ts_task: { module: "tasks/{{vars.bucket}}.ts", parameters: { b: "{{vars.bucket}}" } } }] };

  it("forces schedules PAUSED in a development (branch-isolated) environment only", () => {
    expect((renderJob("j", job, target({ isolation: "branch" })).value as typeof job).schedule.pause_status).toBe("PAUSED");
    expect((renderJob("j", job, target({ isolation: "none" })).value as typeof job).schedule.pause_status).toBe("UNPAUSED");
  });

  it("never renders fields that must be static (module paths), so the validator reports them", () => {
    const rendered = renderJob("j", job, target()).value as typeof job;
    expect(rendered.tasks[0]!.ts_task.module).toBe("tasks/{{vars.bucket}}.ts");
    expect(rendered.tasks[0]!.ts_task.parameters.b).toBe("b");
  });

  it("returns the very same object when nothing changes", () => {
    const plain = { name: "j", tasks: [{ task_key: "a", ts_task: { module: "m.ts" } }] };
    expect(renderJob("j", plain, target()).value).toBe(plain);
  });

  it("locates a template error in the environment's override in the environment file", () => {
    const { findings } = renderJob("j", job, target({ overrides: { jobs: { j: { description: "{{vars.missing}}" } } } }));
    expect(findings).toEqual([expect.objectContaining({ code: "DS1029", pointer: "/description", at: { file: "environments/dev.yaml", line: 7, column: 9 } })]);
    expect(findings[0]!.message).toContain('unknown name "vars.missing"');
  });
});
