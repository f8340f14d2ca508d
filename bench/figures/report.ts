import { statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { pathToFileURL } from "node:url";
import { launchBrowser } from "../../test/e2e/browser.js";
import { describeSample, FigureError, format, progress, sample, type Benchmark } from "../harness.js";
import { noopDag, runDir, runJob, sharedRunnerRepo, writeRunnerJob } from "../runner-repo.js";

const TASKS = 500;
const WIDTH = 25;

/**
 * report_500 and report_500_size: the report `dagship run` writes for a 500-task no-op run
 * (layers of 25 tasks, each on 1–3 of the layer before: 1,429 edges).
 * - report_500_size: the size of report.html, in MB. Goal < 2 MB.
 * - report_500: time from navigation to the `data-ready` mark the page sets once it has laid
 *   out the graph with dagre and drawn the graph, timeline and table, in headless Chromium (a
 *   fresh page each time, the browser already running). Floor: the same navigation to a page
 *   of the same size that only parses its inline JSON and sets the mark (no layout, no drawing).
 *   Goal < 2 s.
 */
export const reportFigures: Benchmark = {
  figures: ["report_500", "report_500_size"],
  async run(ctx) {
    const repo = await sharedRunnerRepo(ctx);
    writeRunnerJob(repo, "noop_500", noopDag("noop_500", TASKS, WIDTH));
    const run = await runJob(repo, "noop_500", TASKS, { extra: ["--concurrency", "2"] });
    const report = path.join(runDir(repo, run.record.run_id), "report.html");
    const bytes = statSync(report).size;
    const floorPage = path.join(ctx.tempDir(), "floor.html");
    const payload = JSON.stringify({ filler: "x".repeat(Math.max(0, bytes - 400)) }).replace(/</g, "\\u003c");
    writeFileSync(floorPage, `<!doctype html><html><head><meta charset="utf-8"><title>floor</title></head><body><script type="application/json" id="d">${payload}</script><script>JSON.parse(document.getElementById("d").textContent);requestAnimationFrame(()=>document.documentElement.dataset.ready="true")</script></body></html>`);
    progress(`report of a ${TASKS}-task run: ${(bytes / 1e6).toFixed(2)} MB at ${report}`);
    const browser = await launchBrowser();
    try {
      let layoutMs: number[] = [];
      const open = async (file: string, record?: boolean) => {
        const { page, errors } = await browser.page();
        const start = performance.now();
        await page.goto(pathToFileURL(file).href);
        await page.waitForSelector("html[data-ready='true']", { timeout: 30_000 });
        const seconds = (performance.now() - start) / 1000;
        if (record) layoutMs.push(Number(await page.evaluate("document.documentElement.dataset.layoutMs")));
        if (errors.length) throw new FigureError(`${file}: ${errors.join("; ")}`);
        if (record && (await page.locator("svg.dag g.node").count()) !== TASKS) throw new FigureError(`the report does not draw ${TASKS} nodes`);
        await page.close();
        return seconds;
      };
      const floor = await sample("report_500 floor: a page of the same size that parses its JSON only", ctx.sampling("slow"), () => open(floorPage));
      layoutMs = [];
      const render = await sample(`report_500: navigate to the report of a ${TASKS}-task run until data-ready`, ctx.sampling("slow"), () => open(report, true));
      const layout = [...layoutMs].sort((a, b) => a - b)[Math.floor(layoutMs.length / 2)] ?? Number.NaN;
      return {
        report_500: {
          value: render.median,
          unit: "s",
          floor: floor.median,
          ratio: render.median / floor.median,
          goal: { of: "value", op: "<", limit: 2, text: "< 2 s" },
          notes: [
            `navigation to data-ready in headless Chromium (fresh page, browser running): ${describeSample(render)}`,
            `of which the dagre layout (tight-tree ranker above 150 tasks): median ${format(layout)} ms`,
            `floor: the same-size page that only parses its inline JSON: ${describeSample(floor)}`,
            `the run: ${TASKS} no-op tasks (layers of ${WIDTH}), ${run.seconds.toFixed(1)} s`,
          ],
        },
        report_500_size: {
          value: bytes / 1e6,
          unit: "MB",
          goal: { of: "value", op: "<", limit: 2, text: "< 2 MB" },
          notes: [`report.html of a ${TASKS}-task run: data, script (dagre included) and styles inline`],
        },
      };
    } finally {
      await browser.close();
    }
  },
};
