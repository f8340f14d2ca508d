/**
 * Run reports in a real browser: headless Chromium (Debian's /usr/bin/chromium via playwright-core)
 * opens the report.html that `dagship run` wrote for a successful run, a failed run with retries,
 * a run whose logs and values try to inject markup and leak a secret, and a 500-task run. Every
 * page must draw without console errors and request nothing but itself. Screenshots go to
 * test-output/report/.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { get } from "node:http";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { noopDag } from "../../bench/runner-repo.js";
import { launchBrowser, type Browser } from "./browser.js";
import { assertBuilt, ROOT } from "./cli.js";
import { eventually, tempRepo, type TempRepo } from "./runner-repo.js";

const SHOTS = path.join(ROOT, "test-output", "report");
const SECRET = "s3cr3t-Report-Value";

/** A job whose task logs and values hold markup and script, and the environment's secret. */
function writeHostileJob(dir: string): void {
  const job = path.join(dir, "jobs", "hostile");
  mkdirSync(path.join(job, "tasks"), { recursive: true });
  writeFileSync(
    path.join(job, "job.json"),
    JSON.stringify({
      name: "hostile",
      parameters: [{ name: "note", default: "<b>bold</b>" }],
      tasks: [
        { task_key: "emit", ts_task: { module: "tasks/emit.ts", parameters: { note: "{{job.parameters.note}}" } } },
        { task_key: "after", depends_on: [{ task_key: "emit" }], ts_task: { module: "tasks/emit.ts", export: "after" } },
      ],
    }),
  );
  writeFileSync(
    path.join(job, "tasks", "emit.ts"),
    [
      'import { tableFromArrays } from "apache-arrow";',
      "export default async (ctx: any) => {",
      '  ctx.log.info(`<img src=x onerror="window.__pwned=1"> secret ${process.env.DAGSHIP_TEST_SECRET}`);',
      '  ctx.values.set("html", "</script><script>window.__pwned=2</script>");',
      '  ctx.values.set("leak", `key=${process.env.DAGSHIP_TEST_SECRET}`);',
      "  await ctx.tables.write(\"numbers\", tableFromArrays({ x: Float64Array.from({ length: 1000 }, (_, i) => i), name: Array.from({ length: 1000 }, (_, i) => `r${i}`) }));",
      "};",
      'export async function after(ctx: any) { ctx.values.set("rows", (await ctx.tables.read("emit", "numbers")).numRows); }',
    ].join("\n"),
  );
}

/** The report.html `run` wrote for the run, and the run's id, from `run --json`. */
async function runWithReport(repo: TempRepo, args: string[], env?: Record<string, string>): Promise<{ runId: string; report: string; state: string }> {
  const r = await repo.json(["run", ...args], env);
  expect(r.body.report, r.stderr).toBe(path.join(repo.dir, ".dagship", "dev", "runs", r.body.run_id, "report.html"));
  return { runId: r.body.run_id, report: r.body.report, state: r.body.state };
}

let repo: TempRepo;
let browser: Browser;
const runs: Record<string, { runId: string; report: string; state: string }> = {};

beforeAll(async () => {
  assertBuilt();
  mkdirSync(SHOTS, { recursive: true });
  repo = tempRepo();
  writeHostileJob(repo.dir);
  runs.chain = await runWithReport(repo, ["chain", "--param", "n=21"]);
  runs.flaky = await runWithReport(repo, ["flaky"]);
  runs.hostile = await runWithReport(repo, ["hostile"], { DAGSHIP_TEST_SECRET: SECRET });
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  repo?.remove();
});

/** Opens a report file and waits for the page to have drawn everything. */
async function open(file: string) {
  const watched = await browser.page();
  await watched.page.goto(pathToFileURL(file).href);
  await watched.page.waitForSelector("html[data-ready='true']", { timeout: 30_000 });
  return watched;
}

describe("the report of a successful run", () => {
  it("draws every task without errors or requests, and a click on a node shows its details", async () => {
    expect(runs.chain!.state).toBe("SUCCESS");
    const { page, errors, requests } = await open(runs.chain!.report);
    expect(await page.locator("svg.dag g.node").count()).toBe(3);
    expect(await page.locator("svg.dag path.edge").count()).toBe(2);
    expect(await page.locator("g.node.st-success").count()).toBe(3);
    expect(await page.locator("table.tasks tbody tr").count()).toBe(3);
    expect(await page.locator(".tl-bar").count()).toBe(3);
    await page.locator('g.node[data-key="double"]').click();
    const details = page.locator("#details");
    await expect.poll(() => details.locator("h2").textContent()).toBe("double");
    expect(await details.textContent()).toContain('"doubled": 42');
    expect(await details.textContent()).toContain("ts_task tasks/double.ts");
    expect(await page.locator("section.summary").textContent()).toContain("n21");
    await page.screenshot({ path: path.join(SHOTS, "success.png") });
    expect(errors).toEqual([]);
    expect(requests).toEqual([pathToFileURL(runs.chain!.report).href]);
    await page.close();
  });

  it("is usable with the keyboard: Tab reaches a node, arrows move, Enter selects; table rows too", async () => {
    const { page, errors } = await open(runs.chain!.report);
    await page.locator('svg.dag g.node[tabindex="0"]').focus();
    expect(await page.evaluate("document.activeElement && document.activeElement.dataset.key")).toBe("produce");
    await page.keyboard.press("ArrowRight");
    expect(await page.evaluate("document.activeElement && document.activeElement.dataset.key")).toBe("double");
    await page.keyboard.press("Enter");
    await expect.poll(() => page.locator("#details h2").textContent()).toBe("double");
    await page.locator('table.tasks tr[tabindex="0"]').focus();
    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("Enter");
    await expect.poll(() => page.locator("#details h2").textContent()).toBe("report");
    expect(await page.locator('g.node.selected').getAttribute("data-key")).toBe("report");
    await page.keyboard.press("Escape");
    await expect.poll(() => page.locator("#details h2").textContent()).toBe("Task details");
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe("the report of a failed run with retries", () => {
  it("shows every attempt on the timeline and each attempt's typed error", async () => {
    expect(runs.flaky!.state).toBe("FAILED");
    const { page, errors, requests } = await open(runs.flaky!.report);
    expect(await page.locator("svg.dag g.node").count()).toBe(2);
    expect(await page.locator('g.node.st-failed[data-key="never"]').count()).toBe(1);
    expect(await page.locator('g.node[data-key="eventually"] .retry-count').textContent()).toBe("3");
    // eventually: 2 failed attempts then a success; never: 2 failed attempts; a wait before each retry.
    expect(await page.locator('.tl-row[data-key="eventually"] .tl-bar').count()).toBe(3);
    expect(await page.locator('.tl-row[data-key="eventually"] .tl-bar.st-failed').count()).toBe(2);
    expect(await page.locator('.tl-row[data-key="never"] .tl-bar.st-failed').count()).toBe(2);
    expect(await page.locator('.tl-row[data-key="eventually"] .tl-wait').count()).toBe(2);
    await page.locator('g.node[data-key="never"]').click();
    const details = page.locator("#details");
    await expect.poll(() => details.locator("h2").textContent()).toBe("never");
    expect(await details.locator("li.attempt").count()).toBe(2);
    const text = await details.textContent();
    expect(text).toContain("attempt 2 fails");
    expect(text).toContain("reason");
    expect(text).toContain("threw");
    expect(text).toMatch(/exit code\s*1/);
    expect(text).toContain("[dagship] attempt failed (threw): attempt 2 fails");
    await page.screenshot({ path: path.join(SHOTS, "failed-retries.png") });
    expect(errors).toEqual([]);
    expect(requests).toEqual([pathToFileURL(runs.flaky!.report).href]);
    await page.close();
  });
});

describe("run data in the report", () => {
  it("is text, never markup or script, and the environment's secret is masked", async () => {
    const html = readFileSync(runs.hostile!.report, "utf8");
    expect(html).not.toContain(SECRET);
    expect(html).not.toContain("</script><script>window.__pwned");
    const { page, errors } = await open(runs.hostile!.report);
    await page.locator('g.node[data-key="emit"]').click();
    const details = page.locator("#details");
    await expect.poll(() => details.locator("h2").textContent()).toBe("emit");
    const text = (await details.textContent()) ?? "";
    expect(text).toContain("</script><script>window.__pwned=2</script>");
    expect(text).toContain('<img src=x onerror="window.__pwned=1"> secret ***');
    expect(text).toContain("key=***");
    expect(await page.evaluate("window.__pwned")).toBeUndefined();
    expect(await page.locator("#details img, #app img, #app script").count()).toBe(0);
    expect(await page.locator("section.summary").textContent()).toContain("<b>bold</b>");
    // The table's schema and rows, from the Arrow file's footer.
    expect(text).toContain("1,000 rows");
    expect(await details.locator("table.schema tbody tr").count()).toBe(2);
    expect(await details.locator("table.schema").textContent()).toContain("Float64");
    expect(errors).toEqual([]);
    await page.close();
  });

  it("dagship report --html writes the same page anywhere, and refuses a folder that does not exist (DS2040)", async () => {
    const out = path.join(repo.dir, "flaky.html");
    const r = await repo.cli(["report", runs.flaky!.runId, "--html", "flaky.html"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain("flaky.html");
    expect(readFileSync(out, "utf8")).toContain(runs.flaky!.runId);
    const bad = await repo.cli(["report", runs.flaky!.runId, "--html", "no/such/dir/x.html"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("DS2040");
    const missing = await repo.cli(["report", "r20200101T000000-000000", "--html", "x.html"]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("DS2006");
  });
});

describe("the report of a 500-task run", () => {
  let big: { runId: string; report: string; state: string };
  beforeAll(async () => {
    mkdirSync(path.join(repo.dir, "jobs", "lib"), { recursive: true });
    writeFileSync(path.join(repo.dir, "jobs", "lib", "noop.ts"), "export default async (): Promise<void> => {};\n");
    const job = noopDag("wide", 500, 25);
    mkdirSync(path.join(repo.dir, "jobs", "wide"), { recursive: true });
    writeFileSync(path.join(repo.dir, "jobs", "wide", "job.json"), JSON.stringify(job));
    big = await runWithReport(repo, ["wide", "--concurrency", "4"]);
  }, 300_000);

  it("has every task node, draws without errors or requests, and a click shows details", async () => {
    expect(big.state).toBe("SUCCESS");
    const { page, errors, requests } = await open(big.report);
    expect(await page.locator("svg.dag g.node").count()).toBe(500);
    expect(await page.locator("table.tasks tbody tr").count()).toBe(500);
    expect(await page.locator(".tl-row[data-key]").count()).toBe(500);
    await page.locator('g.node[data-key="l10_t7"]').click();
    await expect.poll(() => page.locator("#details h2").textContent()).toBe("l10_t7");
    expect(await page.locator("#details").textContent()).toContain("l9_t7");
    // The filter narrows the table.
    await page.locator(".table-tools input").fill("l18_");
    expect(await page.locator("table.tasks tbody tr").count()).toBe(25);
    await page.screenshot({ path: path.join(SHOTS, "tasks-500.png") });
    expect(errors).toEqual([]);
    expect(requests).toEqual([pathToFileURL(big.report).href]);
    await page.close();
  }, 60_000);
});

describe("dagship ui", () => {
  it("lists the runs, links each to its report, and stops on SIGTERM", async () => {
    const ui = repo.background(["ui", "--port", "0", "--json"]);
    let out = "";
    ui.child.stdout!.on("data", (d) => (out += d));
    const url = await eventually(() => (JSON.parse(out.split("\n")[0] ?? "") as { url?: string }).url, 15_000, "the ui's URL");
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const api = (await (await fetch(`${url}api/runs`)).json()) as { runs: Array<{ run_id: string; state: string }> };
    expect(api.runs.map((r) => r.run_id)).toContain(runs.flaky!.runId);
    // A request for another host name (DNS rebinding) is refused.
    expect(await statusFor(url, "evil.example")).toBe(403);
    expect(await statusFor(url, "localhost")).toBe(200);
    const { page, errors, requests } = await browser.page();
    await page.goto(url);
    await page.waitForSelector("html[data-ready='true']");
    expect(await page.locator("table.runs tbody tr").count()).toBe(api.runs.length);
    await page.locator(`a[href="runs/${runs.flaky!.runId}"]`).click();
    await page.waitForSelector("html[data-ready='true']");
    expect(page.url()).toBe(`${url}runs/${runs.flaky!.runId}`);
    expect(await page.locator("svg.dag g.node").count()).toBe(2);
    await page.screenshot({ path: path.join(SHOTS, "ui-report.png") });
    expect(errors).toEqual([]);
    expect(requests.every((r) => r.startsWith(url))).toBe(true);
    await page.close();
    ui.child.kill("SIGTERM");
    const done = await ui.done;
    expect(done.code).toBe(0);
  }, 60_000);
});

/** The status of GET `url` sent with another Host header (fetch may not set one). */
function statusFor(url: string, host: string): Promise<number | undefined> {
  return new Promise((resolve, reject) => {
    const req = get(url, { headers: { host } }, (res) => {
      res.resume();
      resolve(res.statusCode);
    });
    req.on("error", reject);
  });
}
