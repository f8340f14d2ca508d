/**
 * A local stand-in for the GitHub REST API (node:http on 127.0.0.1): it records every request and
 * answers the endpoints dagship calls the way GitHub does (status codes, `Link` pagination headers,
 * ids). Nothing reaches the internet.
 */
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/** One request the fake received. */
export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  body: Record<string, unknown> | undefined;
  authorization: string | undefined;
}

interface Comment {
  id: number;
  body: string;
  html_url: string;
}

/** A workflow run the fake knows, with its artifacts; tests seed them in `workflowRuns`. */
export interface FakeWorkflowRun {
  id: number;
  /** The workflow file, e.g. `.github/workflows/main.yml`. */
  path: string;
  head_sha: string;
  run_number: number;
  status: "completed" | "in_progress" | "queued";
  conclusion: "success" | "failure" | "cancelled" | null;
  artifacts: Array<{ id: number; name: string; expired?: boolean }>;
}

/** A running fake GitHub API. */
export interface FakeGitHub {
  url: string;
  requests: RecordedRequest[];
  /** Comments per issue number; tests may seed them. */
  comments: Map<number, Comment[]>;
  /** Answer check-run requests with 403, as for a token without `checks: write`. */
  denyChecks: boolean;
  /** Workflow runs, for the actions/runs endpoints. */
  workflowRuns: FakeWorkflowRun[];
  close(): Promise<void>;
}

/** Starts a fake GitHub API on a free port. */
export async function startFakeGitHub(): Promise<FakeGitHub> {
  let nextId = 1000;
  const fake: FakeGitHub = { url: "", requests: [], comments: new Map(), denyChecks: false, workflowRuns: [], close: async () => {} };
  const server: Server = createServer((req, res) => {
    void readBody(req).then((raw) => {
      const url = new URL(req.url ?? "/", "http://localhost");
      const body = raw ? (JSON.parse(raw) as Record<string, unknown>) : undefined;
      fake.requests.push({ method: req.method ?? "", path: url.pathname, query: Object.fromEntries(url.searchParams), body, authorization: req.headers.authorization });
      const send = (status: number, data: unknown, headers: Record<string, string> = {}) => {
        res.writeHead(status, { "content-type": "application/json; charset=utf-8", ...headers });
        res.end(JSON.stringify(data));
      };
      const m = (re: RegExp) => re.exec(`${req.method} ${url.pathname}`);
      let g: RegExpExecArray | null;
      if ((g = m(/^GET \/repos\/[^/]+\/[^/]+\/issues\/(\d+)\/comments$/))) {
        const all = fake.comments.get(Number(g[1])) ?? [];
        const perPage = Number(url.searchParams.get("per_page") ?? 30);
        const page = Number(url.searchParams.get("page") ?? 1);
        const last = Math.max(1, Math.ceil(all.length / perPage));
        const headers: Record<string, string> = {};
        if (page < last) {
          const next = new URL(url);
          next.searchParams.set("page", String(page + 1));
          next.host = req.headers.host ?? next.host;
          headers.link = `<${next.href}>; rel="next"`;
        }
        return send(200, all.slice((page - 1) * perPage, page * perPage), headers);
      }
      if ((g = m(/^POST \/repos\/[^/]+\/[^/]+\/issues\/(\d+)\/comments$/))) {
        const c = { id: nextId++, body: String(body?.body), html_url: `https://github.com/acme/jobs/pull/${g[1]}#issuecomment-${nextId}` };
        fake.comments.set(Number(g[1]), [...(fake.comments.get(Number(g[1])) ?? []), c]);
        return send(201, c);
      }
      if ((g = m(/^PATCH \/repos\/[^/]+\/[^/]+\/issues\/comments\/(\d+)$/))) {
        const c = [...fake.comments.values()].flat().find((x) => x.id === Number(g![1]));
        if (!c) return send(404, { message: "Not Found" });
        c.body = String(body?.body);
        return send(200, c);
      }
      if (m(/^POST \/repos\/[^/]+\/[^/]+\/deployments$/)) return send(201, { id: nextId++, ref: body?.ref, environment: body?.environment });
      if ((g = m(/^POST \/repos\/[^/]+\/[^/]+\/deployments\/(\d+)\/statuses$/))) return send(201, { id: nextId++, state: body?.state });
      if (m(/^(POST|PATCH) \/repos\/[^/]+\/[^/]+\/check-runs(\/\d+)?$/)) {
        if (fake.denyChecks) return send(403, { message: "Resource not accessible by integration" });
        return send(req.method === "POST" ? 201 : 200, { id: req.method === "POST" ? nextId++ : Number(url.pathname.split("/").at(-1)) });
      }
      const runJson = (r: FakeWorkflowRun) => ({ id: r.id, path: r.path, head_sha: r.head_sha, run_number: r.run_number, status: r.status, conclusion: r.conclusion, html_url: `https://github.example/acme/jobs/actions/runs/${r.id}` });
      if ((g = m(/^GET \/repos\/[^/]+\/[^/]+\/actions\/workflows\/([^/]+)\/runs$/))) {
        const q = url.searchParams;
        const runs = fake.workflowRuns
          .filter((r) => r.path === `.github/workflows/${g![1]}`)
          .filter((r) => !q.get("head_sha") || r.head_sha === q.get("head_sha"))
          .filter((r) => !q.get("status") || (q.get("status") === "success" ? r.conclusion === "success" : r.status === q.get("status")))
          .sort((a, b) => b.run_number - a.run_number)
          .slice(0, Number(q.get("per_page") ?? 30));
        return send(200, { total_count: runs.length, workflow_runs: runs.map(runJson) });
      }
      if ((g = m(/^GET \/repos\/[^/]+\/[^/]+\/actions\/runs\/(\d+)$/))) {
        const r = fake.workflowRuns.find((x) => x.id === Number(g![1]));
        return r ? send(200, runJson(r)) : send(404, { message: "Not Found" });
      }
      if ((g = m(/^GET \/repos\/[^/]+\/[^/]+\/actions\/runs\/(\d+)\/artifacts$/))) {
        const r = fake.workflowRuns.find((x) => x.id === Number(g![1]));
        if (!r) return send(404, { message: "Not Found" });
        const name = url.searchParams.get("name");
        const artifacts = r.artifacts.filter((a) => !name || a.name === name).map((a) => ({ id: a.id, name: a.name, expired: a.expired ?? false, size_in_bytes: 1024, expires_at: "2099-01-01T00:00:00Z", workflow_run: { id: r.id, head_sha: r.head_sha } }));
        return send(200, { total_count: artifacts.length, artifacts });
      }
      send(404, { message: "Not Found" });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  fake.close = () => new Promise((resolve) => server.close(() => resolve()));
  return fake;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let s = "";
    req.setEncoding("utf8");
    req.on("data", (c: string) => (s += c));
    req.on("end", () => resolve(s));
    req.on("error", reject);
  });
}
