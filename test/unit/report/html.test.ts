import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { ReportData } from "../../../runner/report/data.js";
import { escapeHtml, renderPage, scriptJson } from "../../../runner/report/html.js";
import { renderReport } from "../../../runner/report/render.js";

const assets = { script: 'console.log("</script>")', style: "body{color:red}/*</style>*/" };

function report(overrides: Partial<ReportData> = {}): ReportData {
  return {
    format: 1,
    run_id: "r20261121T000000-abcdef",
    job: "<job>",
    env: "dev",
    state: "SUCCESS",
    started_at: "2026-11-21T00:00:00.000Z",
    parameters: {},
    source: { kind: "working_tree", file: "jobs/x/job.json" },
    tasks: [],
    models: [],
    generated_at: "2026-11-21T00:00:01.000Z",
    dagship_version: "0.1.0",
    ...overrides,
  };
}

describe("escapeHtml", () => {
  it("escapes every character that could open markup or end an attribute", () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe("&#60;a href=&#34;x&#34; title=&#39;y&#39;&#62;&#38;&#60;/a&#62;");
  });
});

describe("scriptJson", () => {
  it("never lets data close the script element or open a comment, and parses back unchanged", () => {
    const value = { key: "</script><script>alert(1)</script>", c: "<!-- x -->", sep: "a\u2028b\u2029c" };
    const text = scriptJson(value);
    expect(text).not.toMatch(/<\/script|<!--|\u2028|\u2029/i);
    expect(JSON.parse(text)).toEqual(value);
  });
});

describe("renderPage", () => {
  it("inlines script and style with closing tags neutralised, and allows only them by hash", () => {
    const html = renderPage({ title: "t", assets, data: {} });
    expect(html.match(/<\/script>/g)).toHaveLength(2); // the data's and the script's own
    expect(html).toContain('console.log("<\\/script>")');
    expect(html).toContain("/*<\\/style>*/");
    const script = 'console.log("<\\/script>")';
    const hash = createHash("sha256").update(script).digest("base64");
    expect(html).toContain(escapeHtml(`script-src 'sha256-${hash}'`));
    expect(html).toContain(escapeHtml("default-src 'none'"));
    expect(html).toContain(escapeHtml("connect-src 'none'"));
    expect(renderPage({ title: "t", assets, data: {}, connect: "self" })).toContain(escapeHtml("connect-src 'self'"));
  });
});

describe("renderReport", () => {
  it("escapes the job name and run id in the heading and the title", () => {
    const html = renderReport(report({ job: "<img src=x onerror=alert(1)>" }), assets);
    expect(html).not.toContain("<img");
    expect(html).toContain("&#60;img src=x onerror=alert(1)&#62;");
  });

  it("embeds task keys, logs and values as JSON text only", () => {
    const tasks = [{ key: "a</script>", state: "FAILED", depends_on: [], attempts: [{ n: 1, state: "FAILED", started_at: "2026-11-21T00:00:00.000Z", log_tail: "<script>alert(2)</script>" }], duration_ms: 1, values: "", tables: [] }];
    const html = renderReport(report({ tasks }), assets);
    expect(html).not.toContain("<script>alert(2)");
    expect(html).not.toContain("a</script>");
    const json = /<script type="application\/json" id="page-data">(.*?)<\/script>/s.exec(html)![1]!;
    expect((JSON.parse(json) as ReportData).tasks[0]!.attempts[0]!.log_tail).toBe("<script>alert(2)</script>");
  });
});
