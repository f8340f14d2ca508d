import { describe, expect, it } from "vitest";
import { addMaskCommands, outputCommands } from "../../../runner/cli/output/github.js";
import { mermaidFlowchart, mermaidLabel } from "../../../runner/cli/output/mermaid.js";
import { deploySummaryMarkdown, diffSummaryMarkdown, modelMarkdown, promotionSummaryMarkdown, runSummaryMarkdown } from "../../../runner/cli/output/summary.js";
import { TASK_STATES, type RunRecord, type TaskRecord } from "../../../runner/workspace/records.js";
import { createMasker } from "../../../runner/workspace/secrets.js";

const task = (state: TaskRecord["state"], attempts = 1, duration_ms = 1200): TaskRecord => ({
  state,
  attempts: Array.from({ length: attempts }, (_, i) => ({ n: i + 1, state, started_at: "2026-01-01T00:00:00.000Z" })),
  duration_ms,
  values: {},
  tables: {},
});

function record(tasks: Record<string, TaskRecord>, state: RunRecord["state"] = "FAILED"): RunRecord {
  return {
    run_id: "r20260101T000000-abc123",
    job: "etl",
    env: "staging",
    state,
    started_at: "2026-01-01T00:00:00.000Z",
    duration_ms: 65_000,
    parameters: {},
    tasks,
    runner: { pid: 1, host: "h", started_at: "2026-01-01T00:00:00.000Z" },
    source: { kind: "working_tree", file: "jobs/etl/job.json", git_sha: "0123456789abcdef" },
  } as RunRecord;
}

describe("mermaidFlowchart", () => {
  it("draws one node per task coloured by state, edges from depends_on with outcomes labelled", () => {
    const tasks = TASK_STATES.map((state, i) => ({ key: `k${i}`, state, depends_on: i === 0 ? [] : [{ task_key: "k0", ...(i === 1 ? { outcome: "true" } : {}) }] }));
    const text = mermaidFlowchart([...tasks, { key: "x", state: "SUCCESS", depends_on: [{ task_key: "missing" }] }]);
    expect(text).toBe(
      [
        "flowchart TD",
        '  t0["k0<br/>PENDING"]',
        '  t1["k1<br/>RUNNING"]',
        '  t2["k2<br/>SUCCESS"]',
        '  t3["k3<br/>FAILED"]',
        '  t4["k4<br/>TIMEDOUT"]',
        '  t5["k5<br/>CANCELED"]',
        '  t6["k6<br/>SKIPPED"]',
        '  t7["k7<br/>UPSTREAM_FAILED"]',
        '  t8["k8<br/>EXCLUDED"]',
        '  t9["x<br/>SUCCESS"]',
        '  t0 -->|"true"| t1',
        "  t0 --> t2",
        "  t0 --> t3",
        "  t0 --> t4",
        "  t0 --> t5",
        "  t0 --> t6",
        "  t0 --> t7",
        "  t0 --> t8",
        "  classDef running fill:#0969da,stroke:#0550ae,color:#ffffff",
        "  class t0,t1 running",
        "  classDef success fill:#2da44e,stroke:#1a7f37,color:#ffffff",
        "  class t2,t9 success",
        "  classDef failed fill:#cf222e,stroke:#a40e26,color:#ffffff",
        "  class t3,t4 failed",
        "  classDef upstream fill:#fb8500,stroke:#bc4c00,color:#ffffff",
        "  class t5,t7 upstream",
        "  classDef skipped fill:#afb8c1,stroke:#6e7781,color:#24292f",
        "  class t6,t8 skipped",
        "",
      ].join("\n"),
    );
  });

  it("keeps node ids plain and escapes odd task keys in labels", () => {
    const odd = 'a"b<c>-->d[e]{f}|g#h&i`j\nk';
    expect(mermaidLabel(odd)).toBe("a#quot;b#lt;c#gt;--#gt;d#91;e#93;#123;f#125;#124;g#35;h#38;i#96;j k");
    const text = mermaidFlowchart([{ key: odd, state: "SUCCESS", depends_on: [] }, { key: "end", state: "SUCCESS", depends_on: [{ task_key: odd }] }]);
    expect(text).toContain(`  t0["${mermaidLabel(odd)}<br/>SUCCESS"]`);
    expect(text).toContain("  t0 --> t1");
    for (const line of text.split("\n").slice(1, 3)) expect(line).toMatch(/^ {2}t\d+\["[^"\[\]<>]*<br\/>[A-Z_]+"\]$/);
  });
});

describe("runSummaryMarkdown", () => {
  const identity = (s: string) => s;

  it("has a heading, the mermaid graph and the task table", () => {
    const md = runSummaryMarkdown({ record: record({ extract: task("SUCCESS", 2), load: task("FAILED") }), dependsOn: { load: [{ task_key: "extract" }] }, models: [], mask: identity });
    expect(md).toContain("## ❌ dagship run: etl in staging");
    expect(md).toContain("Run `r20260101T000000-abc123` · **FAILED** · 1 min 5 s · `0123456`");
    expect(md).toContain("```mermaid\nflowchart TD\n");
    expect(md).toContain("  t0 --> t1");
    expect(md).not.toContain("<details>");
    expect(md).toContain("| task | state | attempts | duration |\n| --- | --- | --- | --- |\n| extract | SUCCESS | 2 | 1.2 s |\n| load | FAILED | 1 | 1.2 s |\n");
  });

  it("folds the graph in <details> above the threshold", () => {
    const tasks = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`t${i}`, task("SUCCESS")]));
    const md = runSummaryMarkdown({ record: record(tasks, "SUCCESS"), dependsOn: {}, models: [], mask: identity });
    expect(md).toContain("<details><summary>Task graph (51 tasks)</summary>\n\n```mermaid\n");
    expect(runSummaryMarkdown({ record: record(tasks, "SUCCESS"), dependsOn: {}, models: [], mask: identity, detailsAbove: 60 })).not.toContain("<details>");
  });

  it("masks secret values and escapes table cells", () => {
    const r = record({ "a|b": { ...task("SUCCESS"), outcome: "true" } });
    r.job = "job-hunter2";
    const md = runSummaryMarkdown({ record: r, dependsOn: {}, models: [], mask: createMasker(["hunter2"]).text });
    expect(md).not.toContain("hunter2");
    expect(md).toContain("job-***");
    expect(md).toContain("| a\\|b | SUCCESS (true) |");
  });

  it("adds the model metrics against the champion", () => {
    const md = runSummaryMarkdown({
      record: record({ register: task("SUCCESS") }, "SUCCESS"),
      dependsOn: {},
      models: [{ model: "reviews", version: 3, champion_version: 2, promoted: true, metrics: { auc: 0.91, log_loss: 0.3 }, champion_metrics: { auc: 0.9, accuracy: 0.8, log_loss: 0.35 } }],
      mask: identity,
    });
    expect(md).toContain("### Model reviews v3 against champion v2 — promoted to champion");
    expect(md).toContain("| metric | challenger | champion | delta |");
    expect(md).toContain("| accuracy | — | 0.8 | — |\n| auc | 0.91 | 0.9 | +0.01 |\n| log_loss | 0.3 | 0.35 | -0.05 |");
    expect(modelMarkdown({ model: "m", version: 1, champion_version: null, promoted: false, metrics: { auc: 0.5 }, champion_metrics: null })).toContain("v1 against no champion yet — not promoted");
  });

  it("shows the gate decision the run recorded, passed or not, with its reason", () => {
    const base = { model: "reviews", version: 4, champion_version: 3, metrics: { auc: 0.9 }, champion_metrics: { auc: 0.91 } };
    const held = modelMarkdown({ ...base, promoted: false, gate: { passed: false, reason: "auc 0.9 vs champion v3 0.91: -0.01 < min_delta 0.001", metric: "auc", min_delta: 0.001, dataset: "eval" } });
    expect(held).toContain("v4 against champion v3 — not promoted");
    expect(held).toContain("**Gate** (auc, min_delta 0.001, on `eval`): ❌ not passed — auc 0.9 vs champion v3 0.91: -0.01 &lt; min_delta 0.001");
    const passed = modelMarkdown({ ...base, promoted: true, gate: { passed: true, reason: "bootstrap", metric: "auc", min_delta: 0, dataset: "eval" } });
    expect(passed).toContain("✅ passed — bootstrap");
    expect(modelMarkdown({ ...base, promoted: false })).not.toContain("**Gate**");
  });
});

describe("deploy and diff summaries", () => {
  it("are a short table of job, status and deployment id", () => {
    const deployed = { ok: true, env: "staging", namespace: "default", seq: 4, noop: false, jobs: { etl: { deployment_id: "abcdef0123456789", changed: true, status: "changed" } }, removed: ["old"], forced: [], git: { branch: "main", sha: "0123456789" } };
    expect(deploySummaryMarkdown(deployed as never)).toBe("## dagship deploy to staging/default\n\ndeployment 4 is current (from `main@0123456`)\n\n| job | status | deployment |\n| --- | --- | --- |\n| etl | changed | abcdef012345 |\n| old | removed |  |\n");
    const diff = { ok: true as const, env: "prod", namespace: "default", current_seq: null, jobs: { etl: { status: "added" as const, changes: [], after: "fedcba9876543210" } } };
    expect(diffSummaryMarkdown(diff)).toContain("Against nothing deployed yet.\n\n| job | status | deployment | changes |\n| --- | --- | --- | --- |\n| etl | added | fedcba987654 | 0 |\n");
  });
});

describe("promotionSummaryMarkdown", () => {
  const result = {
    name: "reviews",
    from: "staging",
    to: "prod",
    source_version: 4,
    target_version: 7,
    imported: true,
    bundle_sha256: "ab".repeat(32),
    gate: { metric: "auc", challenger: 0.9001, champion: 0.9, passed: false, champion_version: 6, threshold: 0.901, bootstrap: false, reason: "auc 0.9001 vs champion v6 0.9: +0.0001 < min_delta 0.001", dataset: "eval", greater_is_better: true, min_delta: 0.001, challenger_metrics: { auc: 0.9001 }, champion_metrics: { auc: 0.9 } },
    promoted: false,
    alias: "champion",
    champion: 6,
  };

  it("says where the version went, that the gate held the champion and why, with the metrics against the champion's", () => {
    const md = promotionSummaryMarkdown(result);
    expect(md.split("\n")[0]).toBe("## ⊘ dagship promotion: reviews v4 of staging → prod v7");
    expect(md).toContain(`Bundle sha256 \`${"ab".repeat(32)}\`, every checksum verified. \`champion\` stays v6.`);
    expect(md).toContain("### Model reviews v7 against champion v6 — not promoted");
    expect(md).toContain("**Gate** (auc, min_delta 0.001, on `eval`): ❌ not passed — auc 0.9001 vs champion v6 0.9: +0.0001 &lt; min_delta 0.001"); // escaped as markdown cells are
    expect(md).toContain("| auc | 0.9001 | 0.9 | +0.0001 |");
  });

  it("a passed gate moves the alias; a version already in the target says so", () => {
    const passed = promotionSummaryMarkdown({ ...result, imported: false, promoted: true, champion: 7, gate: { ...result.gate, passed: true } });
    expect(passed.split("\n")[0]).toBe("## ✅ dagship promotion: reviews v4 of staging → prod v7 (already there)");
    expect(passed).toContain("`champion` → v7.");
  });
});

describe("workflow commands", () => {
  it("add-mask every secret and every line of a multi-line one, escaped", () => {
    expect(addMaskCommands(["s3cr%t", "", "line1\nline2"])).toBe("::add-mask::s3cr%25t\n::add-mask::line1%0Aline2\n::add-mask::line1\n::add-mask::line2\n");
    expect(addMaskCommands([])).toBe("");
  });

  it("write outputs as heredocs with a delimiter that is not in the value", () => {
    const delimiters = ["EOF", "D2"];
    expect(outputCommands({ run_id: "r1", state: "a\nEOF" }, () => delimiters.shift() ?? "D3")).toBe("run_id<<EOF\nr1\nEOF\nstate<<D2\na\nEOF\nD2\n");
  });
});
