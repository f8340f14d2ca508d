/**
 * Every workflow dagship ships, checked by GitHub's own parser (`@actions/workflow-parser`, the
 * library behind the Actions language service): parsed against the workflow schema and converted to
 * a workflow template (jobs, needs, expressions, concurrency, environments), with zero errors.
 * Covers this repository's `.github/workflows/` and the ones `dagship init` writes into a project
 * (rendered for real into a temporary folder, with secrets in every environment so their blocks
 * render too). The project's own lint rules live in workflows.test.ts.
 */
import { mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { convertWorkflowTemplate, NoOperationTraceWriter, parseWorkflow } from "@actions/workflow-parser";
import { afterAll, describe, expect, it } from "vitest";
import { generateWorkflows } from "../../../runner/templates/generate.js";
import { initProject } from "../../../runner/templates/project.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
const tmp = realpathSync(mkdtempSync(path.join(tmpdir(), "dagship-wf-parse-")));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** A project made by `init`, with secrets in its environments, and its workflows regenerated. */
function projectWorkflowsDir(): string {
  const dir = path.join(tmp, "acme");
  initProject(dir, { link: true });
  for (const env of ["dev", "staging", "prod"]) {
    const file = path.join(dir, "environments", `${env}.yaml`);
    const text = readFileSync(file, "utf8");
    if (!/^secrets:/m.test(text)) writeFileSync(file, `${text.trimEnd()}\nsecrets: [${env.toUpperCase()}_TOKEN, ${env.toUpperCase()}_KEY]\n`);
  }
  generateWorkflows(dir);
  return path.join(dir, ".github", "workflows");
}

const files = (dir: string) => readdirSync(dir).filter((f) => f.endsWith(".yml")).sort().map((f) => ({ name: f, content: readFileSync(path.join(dir, f), "utf8") }));
const repoFiles = files(path.join(ROOT, ".github", "workflows"));
const projectDir = projectWorkflowsDir();
const projectFiles = files(projectDir);

/** Parses and converts one workflow; returns every error message of both stages. */
async function check(name: string, content: string): Promise<{ errors: string[]; jobs: string[] }> {
  const parsed = parseWorkflow({ name, content }, new NoOperationTraceWriter());
  const errors = parsed.context.errors.getErrors().map((e) => e.message);
  if (parsed.value === undefined) return { errors: [...errors, "no workflow value"], jobs: [] };
  const template = await convertWorkflowTemplate(parsed.context, parsed.value);
  for (const e of template.errors ?? []) errors.push(e.Message);
  return { errors, jobs: (template.jobs ?? []).map((j) => j.id.value) };
}

describe("GitHub's workflow parser", () => {
  it("sees six workflows in the repository and in a project, the project's with its secrets", () => {
    expect(repoFiles.map((f) => f.name)).toEqual(["branch.yml", "deploy-prod.yml", "destroy-branch.yml", "main.yml", "pull-request.yml", "retrain-prod.yml"]);
    expect(projectFiles.map((f) => f.name)).toEqual(repoFiles.map((f) => f.name));
    expect(projectFiles.find((f) => f.name === "retrain-prod.yml")!.content).toContain("PROD_TOKEN: ${{ secrets.PROD_TOKEN }}");
  });

  describe.each([
    ["this repository", repoFiles],
    ["a project made by dagship init", projectFiles],
  ])("the workflows of %s", (_, list) => {
    it.each(list.map((f) => [f.name, f.content]))("%s parses and converts with zero errors", async (name, content) => {
      const { errors, jobs } = await check(name, content);
      expect(errors).toEqual([]);
      expect(jobs.length).toBeGreaterThan(0);
    });
  });

  it("does report errors (the check is not vacuous)", async () => {
    const bad = "name: x\non: push\npermissions: { contents: sideways }\njobs:\n  a:\n    runs-on: ubuntu-latest\n    needs: missing\n    steps:\n      - run: echo ${{ github.nope( }}\n";
    const { errors } = await check("bad.yml", bad);
    expect(errors.length).toBeGreaterThanOrEqual(2);
  });
});
