/**
 * Hostile names and the judgement of a command's answer to one: the corpora and the checks the
 * bad-input suite shares. A clear error is exit 1 or 2 (never 3, never a crash by signal), a
 * stable `[DSnnnn]` code on stderr, no stack trace, no raw control or bidirectional characters
 * (they would rewrite the user's terminal), and the input named in the message.
 */
import type { CliResult } from "../e2e/cli.js";

/** Names every name slot (job, environment, run id, model, alias, task, parameter) must refuse. */
export function hostileNames(parent: string): string[] {
  return [
    "../x",
    "../../outside",
    "a/../../b",
    "..",
    ".",
    `${parent}/outside/abs`,
    "/etc/passwd",
    "a\\..\\b",
    "%2e%2e%2fx",
    "a".repeat(300),
    "é".repeat(200), // 400 bytes of UTF-8
    "💥".repeat(70), // 280 bytes, astral
    "x\u202Egnp.exe", // right-to-left override
    "\u2066chain\u2069", // bidi isolates around a real job name
    "ｃｈａｉｎ", // full-width letters
    "chain\u200B", // zero-width space
    "chain\u0301", // combining accent
    "line\nbreak",
    "tab\tx",
    "\u001b[31mred\u001b[0m", // ANSI escape
    "",
    " ",
    "-",
    "chain ",
  ];
}

/** The few names that stand for the whole list in the slots that are not tried with every name. */
export function sampleNames(parent: string): string[] {
  return ["../x", `${parent}/outside/abs`, "a".repeat(300), "x\u202Egnp.exe", "\u001b[31mred", "", ".."];
}

/** Names git refuses as branch names (`git check-ref-format`), for `--branch`. */
export function hostileBranches(parent: string): string[] {
  return ["../x", "a/../../b", "..", `/${parent}/abs`, "a//b", "x.lock", "a@{1}", "a~1", "a^b", "a:b", "a?b", "a*b", "a[b", "a\\b", "a b", "line\nbreak", "\u001b[31mred", "", "-x", "a".repeat(300), "x/"];
}

/** Why `r` is not a clear error for `input` (undefined when it is one). */
export function unclear(r: CliResult, input?: string): string | undefined {
  if (r.code !== 1 && r.code !== 2) return `exit ${String(r.code)}${r.signal ? ` (${r.signal})` : ""}`;
  const all = r.stdout + r.stderr;
  if (all.includes("DS9999") || /internal error/i.test(all)) return "internal error";
  if (/^\s+at .*(:\d+:\d+\)?|\(native\))$/m.test(all)) return "stack trace";
  if (!/DS\d{4}/.test(all)) return "no DS code";
  if (/Cannot read propert|is not a function|is not iterable|\(reading '|Maximum call stack/.test(all)) return "a JavaScript error in place of a message";
  // eslint-disable-next-line no-control-regex
  const raw = /[\u0000-\u0008\u000b-\u001f\u007f\u202a-\u202e\u2066-\u2069]/.exec(all);
  if (raw) return `raw control character U+${raw[0].charCodeAt(0).toString(16).padStart(4, "0")} in the output`;
  if (input !== undefined && !names(all, input)) return "the message does not name the input";
  return undefined;
}

/** Whether `text` names `input`: its start, raw or escaped as in JSON (long names are cut). */
export function names(text: string, input: string): boolean {
  if (input.trim() === "") return text.includes(`"${input}"`) || text.includes("empty");
  const escaped = JSON.stringify(input).slice(1, -1);
  const hex = (c: string) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`;
  const unicode = escaped.replace(/[\u007f-\uffff]/g, hex);
  // As the CLI prints it: control and bidi characters as \uXXXX (see runner/cli/output/safe-text.ts).
  // eslint-disable-next-line no-control-regex
  const safe = input.replace(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, hex);
  return [input, escaped, unicode, safe].some((form) => text.includes(form.slice(0, 12)));
}
