/**
 * `dagship ui`'s HTTP server (node:http): the environment's run list at `/` (refreshed by the page
 * from `/api/runs`) and each run's report at `/runs/<run-id>`, rendered on request. Loopback
 * only by default; requests whose Host header names another host are refused, so a web page
 * elsewhere cannot reach it through DNS rebinding.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { DagshipError } from "../errors.js";
import { openRun } from "../engine/reap.js";
import { RunStore } from "../workspace/store.js";
import { pageAssets } from "../report/assets.js";
import { UiListenError } from "../report/errors.js";
import type { ReportEnvironment } from "../report/gather.js";
import { escapeHtml, renderPage } from "../report/html.js";
import { reportHtml } from "../report/write.js";
import { listRuns } from "./runs.js";

/** Where the server listens and what it serves. */
export interface UiOptions {
  env: ReportEnvironment;
  host: string;
  /** 0: any free port. */
  port: number;
}

/** A running server: its URL and how to stop it. */
export interface UiServer {
  url: string;
  server: Server;
  close(): Promise<void>;
}

const LOOPBACK = new Set(["127.0.0.1", "::1", "localhost"]);

/** Whether `host` is a loopback address or name. */
export function isLoopback(host: string): boolean {
  return LOOPBACK.has(host) || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/**
 * Starts the server and resolves once it listens. A port in use or a host that is not this
 * machine's is a {@link UiListenError}.
 *
 * @example
 * ```ts
 * const ui = await startUi({ env, host: "127.0.0.1", port: 0 });
 * console.log(ui.url); // http://127.0.0.1:41235/
 * await ui.close();
 * ```
 */
export async function startUi(options: UiOptions): Promise<UiServer> {
  const store = new RunStore(options.env.workspace);
  const server = createServer((req, res) => {
    handle(req, res, options, store).catch((error) => send(res, 500, "text/plain; charset=utf-8", `internal error: ${error instanceof Error ? error.message : String(error)}\n`));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", (error: NodeJS.ErrnoException) => reject(new UiListenError(options.host, options.port, error.code ?? error.message)));
    server.listen(options.port, options.host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}/`,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

const HEADERS = { "x-content-type-options": "nosniff", "referrer-policy": "no-referrer", "cache-control": "no-store", "x-frame-options": "DENY" };

function send(res: ServerResponse, status: number, type: string, body: string, extra: Record<string, string> = {}): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  res.writeHead(status, { ...HEADERS, "content-type": type, "content-length": Buffer.byteLength(body), ...extra });
  res.end(res.req.method === "HEAD" ? undefined : body);
}

async function handle(req: IncomingMessage, res: ServerResponse, options: UiOptions, store: RunStore): Promise<void> {
  if (req.method !== "GET" && req.method !== "HEAD") return send(res, 405, "text/plain; charset=utf-8", "only GET and HEAD\n", { allow: "GET, HEAD" });
  const hostHeader = (req.headers.host ?? "").replace(/:\d+$/, "").replace(/^\[(.*)\]$/, "$1");
  if (isLoopback(options.host) && !isLoopback(hostHeader)) return send(res, 403, "text/plain; charset=utf-8", "this server answers requests for its loopback address only\n");
  const url = new URL(req.url ?? "/", "http://localhost");
  if (url.pathname === "/api/runs") return send(res, 200, "application/json; charset=utf-8", JSON.stringify(listRuns(store, options.env.name)));
  if (url.pathname === "/") {
    const list = listRuns(store, options.env.name);
    const html = renderPage({ title: `dagship runs · ${options.env.name}`, assets: await pageAssets("runs"), data: list, connect: "self", body: `<div id="app"></div>` });
    return send(res, 200, "text/html; charset=utf-8", html);
  }
  const run = /^\/runs\/([^/]+)$/.exec(url.pathname);
  if (run) {
    let record;
    try {
      record = openRun(store, decodeURIComponent(run[1]!));
    } catch (error) {
      if (error instanceof DagshipError) return send(res, 404, "text/html; charset=utf-8", `<!doctype html><title>not found</title><p>${escapeHtml(error.message)}</p><p><a href="/">all runs</a></p>\n`);
      throw error;
    }
    const active = record.state === "RUNNING" || record.state === "PENDING";
    // A run that is going is reloaded every 3 s until it ends (the selected task stays in the URL).
    return send(res, 200, "text/html; charset=utf-8", await reportHtml(record, options.env), active ? { refresh: "3" } : {});
  }
  return send(res, 404, "text/plain; charset=utf-8", "not found: / lists the runs, /runs/<run-id> shows one\n");
}
