/** The run report page of a run's data (pure: see ./gather.ts for the data, ./assets.ts for the page's code). */
import type { PageAssets } from "./bundle-pages.js";
import type { ReportData } from "./data.js";
import { escapeHtml, renderPage } from "./html.js";

/**
 * The HTML of the report of `data`: one file, nothing loaded from anywhere. The heading is in
 * the HTML itself (escaped); the graph, timeline, table and details are drawn by the script from
 * the inline JSON.
 *
 * @example
 * ```ts
 * const html = renderReport(await gatherReport(record, runDir, env), await pageAssets("report"));
 * ```
 */
export function renderReport(data: ReportData, assets: PageAssets): string {
  const where = `${data.env}${data.namespace && data.namespace !== "default" ? `/${data.namespace}` : ""}`;
  const title = `${data.job} · ${data.state} · ${data.run_id} — dagship`;
  const body = `<header class="run-header" id="run-header"><h1>${escapeHtml(data.job)} <span class="badge state-${escapeHtml(data.state)}">${escapeHtml(data.state)}</span></h1><p class="meta">run <code>${escapeHtml(data.run_id)}</code> in ${escapeHtml(where)}</p></header>\n<div id="app"></div>`;
  return renderPage({ title, assets, data, body });
}
