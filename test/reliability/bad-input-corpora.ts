/**
 * The bad-input suite's corpora that are files rather than argument lists: broken environment
 * files (written as `environments/bad.yaml`), hostile deploy-time templates (put in a task
 * parameter), and the task that tries hostile names on `ctx.tables`, `ctx.values` and
 * `ctx.models` from inside a run.
 */

const ok = "name: bad\nworkspace:\n  path: .dagship/bad\n";

/** [what, content of environments/bad.yaml]: each must be refused. */
export const ENVIRONMENT_CORPUS: ReadonlyArray<readonly [string, string | Buffer]> = [
  ["unclosed flow sequence", "name: bad\nworkspace: [1"],
  ["tab indentation", "name: bad\nworkspace:\n\tpath: x\n"],
  ["duplicate key", "name: bad\nname: bad\nworkspace:\n  path: .dagship/bad\n"],
  ["path is a number", "name: bad\nworkspace:\n  path: 5\n"],
  ["workspace is a string", "name: bad\nworkspace: .dagship/bad\n"],
  ["no workspace", "name: bad\n"],
  ["unknown top-level key", ok + "bogus: 1\n"],
  ["misspelt key", ok + "secret: [A]\n"],
  ["unknown key in workspace", "name: bad\nworkspace:\n  path: .dagship/bad\n  extra: 1\n"],
  ["isolation not an allowed value", ok + "isolation: sideways\n"],
  ["secrets of numbers", ok + "secrets: [1, 2]\n"],
  ["secrets not a list", ok + "secrets: TOKEN\n"],
  ["secret that is no variable name", ok + "secrets: [\"A-B\"]\n"],
  ["name differs from the file", "name: other\nworkspace:\n  path: .dagship/bad\n"],
  ["name with path characters", "name: ../bad\nworkspace:\n  path: .dagship/bad\n"],
  ["empty file", ""],
  ["only a comment", "# nothing here\n"],
  ["a scalar", "hello\n"],
  ["a list", "- name: bad\n"],
  ["two documents", ok + "---\nname: again\n"],
  ["NUL byte in the workspace path", "name: bad\nworkspace:\n  path: \".dagship/\\0x\"\n"],
  ["bell character in the workspace path", "name: bad\nworkspace:\n  path: \".dagship/\\ax\"\n"],
  ["newline in the workspace path", "name: bad\nworkspace:\n  path: \".dagship/a\\nb\"\n"],
  ["a 5000-character workspace path", `name: bad\nworkspace:\n  path: ${"a".repeat(5000)}\n`],
  ["a workspace path with a 300-byte folder name", `name: bad\nworkspace:\n  path: .dagship/${"é".repeat(150)}\n`],
  ["vars holding an object", ok + "vars:\n  a: { b: 1 }\n"],
  ["vars.__proto__", ok + "vars:\n  __proto__: { polluted: 1 }\n"],
  ["alias bomb", `name: bad\nworkspace:\n  path: .dagship/bad\na: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: [*d, *d, *d, *d, *d, *d, *d, *d, *d]\n`],
  ["gate min_delta a string", ok + "promotion:\n  gate: { metric: auc, greater_is_better: true, min_delta: x, dataset: eval }\n"],
  ["override tasks not a list", ok + "overrides:\n  jobs:\n    chain:\n      tasks: nope\n"],
  ["deploy.allowed_branches a number", ok + "deploy:\n  allowed_branches: 5\n"],
  ["invalid UTF-8", Buffer.concat([Buffer.from(ok), Buffer.from([0xff, 0xfe, 0xc0, 0x80, 0x0a])])],
  ["binary garbage", Buffer.from(Array.from({ length: 512 }, (_, i) => (i * 37 + 11) % 256))],
];

/** Deploy-time templates a job may hold that must be refused (located errors, exit 1). */
export const TEMPLATE_CORPUS: readonly string[] = [
  "{{constructor.constructor}}",
  "{{constructor.constructor \"return process\"}}",
  "{{__proto__}}",
  "{{lookup this \"constructor\"}}",
  "{{lookup (lookup this \"constructor\") \"constructor\"}}",
  "{{lookup vars \"__proto__\"}}",
  "{{vars.constructor}}",
  "{{vars.__proto__.toString}}",
  "{{env.constructor.name}}",
  "{{git.branch.constructor}}",
  "{{this.constructor}}",
  "{{@root.constructor}}",
  "{{#with vars}}{{constructor}}{{/with}}",
  "{{#each this}}{{@key}}{{/each}}{{constructor}}",
  "{{vars.nope}}",
  "{{env.nope}}",
  "{{nope}}",
  "{{nohelper vars.label}}",
  "{{#nohelper}}x{{/nohelper}}",
  "{{> evil}}",
  "{{log \"hello\"}}",
  "{{helperMissing}}",
  "{{blockHelperMissing}}",
  "{{",
  "{{vars.label",
  "{{#if}}x",
  "{{{{raw}}}} {{{{/raw}}}}",
  "{{job.parameters.__proto__}}",
  "{{job.parameters.constructor}}",
  "{{tasks.constructor.values.x}}",
  "{{tasks.__proto__.values.x}}",
];

/**
 * The task that probes names from inside a run: `up` writes a table `t` and a value `v`;
 * `probe` tries each name of its `names` parameter (JSON) on every call that takes a name and
 * writes what happened to the file its `report` parameter names. An error is clear when it is
 * an Error whose message names the input; a call may succeed only with a plain name.
 */
export const nameProbeTask = `import { writeFileSync } from "node:fs";
import { tableFromArrays } from "apache-arrow";

export async function up(ctx: any) {
  await ctx.tables.write("t", tableFromArrays({ x: Float64Array.from([1, 2, 3]) }));
  ctx.values.set("v", 1);
}

const PLAIN = /^[a-z0-9][a-z0-9._-]{0,99}$/;

function named(message: string, input: string): boolean {
  if (input.trim() === "") return message.includes(JSON.stringify(input));
  const escaped = JSON.stringify(input).slice(1, -1);
  return [input, escaped, escaped.replace(/\\\\u0000/g, "\\\\0")].some((form) => message.includes(form.slice(0, 12)));
}

export default async (ctx: any) => {
  const names: string[] = JSON.parse(ctx.params.names);
  const table = tableFromArrays({ x: Float64Array.from([1]) });
  const calls: Array<[string, (n: string) => unknown, boolean]> = [
    // [call, how, whether a plain name may succeed]
    ["tables.write", (n) => ctx.tables.write(n, table), true],
    ["tables.read(task)", (n) => ctx.tables.read(n, "t"), false],
    ["tables.read(name)", (n) => ctx.tables.read("up", n), false],
    ["tables.batches(name)", async (n) => { for await (const _ of ctx.tables.batches("up", n)) break; }, false],
    ["values.set", (n) => ctx.values.set(n, 1), true],
    ["values.get(task)", (n) => ctx.values.get(n, "v"), false],
    ["values.get(name)", (n) => ctx.values.get("up", n), false],
    ["models.load", (n) => ctx.models.load(n, { version: 1 }), false],
    ["models.load(alias)", (n) => ctx.models.load("reviews", { alias: n }), false],
    ["models.versions", (n) => ctx.models.versions(n), true],
    ["models.aliases", (n) => ctx.models.aliases(n), true],
    ["models.setAlias", (n) => ctx.models.setAlias("reviews", n, 1), false],
  ];
  const results = [];
  for (const [call, how, plainMaySucceed] of calls) {
    for (const name of names) {
      try {
        const value = await how(name);
        const legit = name !== "__proto__" && (call === "tables.write" || call === "values.set" ? /^[A-Za-z0-9_.-]{1,128}$/.test(name) && !/^\\.+$/.test(name) : PLAIN.test(name));
        const message = JSON.stringify(value ?? null)?.slice(0, 200) ?? "";
        // A registry call on a model that does not exist must answer "nothing", not something of Object.prototype.
        const clear = plainMaySucceed && legit && (!call.startsWith("models.") || message === "[]" || message === "{}");
        results.push({ call, name, outcome: "returned", message, clear });
      } catch (error) {
        const e = error as any;
        const message = String(e?.message ?? e);
        const internal = typeof e?.code === "string" && e.code.startsWith("ERR_");
        // A plain name may fail for another reason (no model "reviews"), but never by reaching Node's internals.
        const legit = name !== "__proto__" && PLAIN.test(name);
        results.push({ call, name, outcome: \`threw \${e?.name ?? typeof e}\`, message, clear: e instanceof Error && !internal && !/must be of type|Received (function|an instance)/.test(message) && (named(message, name) || legit) });
      }
    }
  }
  writeFileSync(ctx.params.report, JSON.stringify(results, null, 1));
};
`;
