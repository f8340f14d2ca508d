/**
 * The run report: a self-contained HTML page of a run (the DAG laid out by dagre, a timeline of
 * every attempt, the task table, each task's values, tables, error and log tail, the run's
 * parameters and the models it registered), and the pages of `dagship ui`.
 */
export { readArrowFooter, ArrowFooterError, type ArrowFooterInfo } from "./arrow-footer.js";
export { pageAssets } from "./assets.js";
export { bundlePage, PAGES, type PageAssets, type PageName } from "./bundle-pages.js";
export type * from "./data.js";
export { ReportAssetsError, ReportWriteError, UiListenError } from "./errors.js";
export { DEFAULT_LIMITS, gatherReport, type ReportEnvironment, type ReportLimits } from "./gather.js";
export { escapeHtml, renderPage, scriptJson, type PageInput } from "./html.js";
export { renderReport } from "./render.js";
export { readTail } from "./tail.js";
export { REPORT_FILE, reportHtml, writeReport, writeRunReport } from "./write.js";
