import jsonc from "jsonc-parser";
import type { Finding } from "../diagnostics.js";
import { segmentsOf } from "../diagnostics.js";
import type { SourceDocument } from "./document.js";
import { LineIndex } from "./lines.js";
import { countKeys, scanStructure } from "./json-scan.js";
import { decodeText } from "./text.js";

type Node = jsonc.Node;

/** Deeper nesting than this is refused before parsing (the parser is recursive). */
export const MAX_DEPTH = 128;

const SYNTAX: Record<string, string> = {
  InvalidSymbol: "unexpected character",
  InvalidNumberFormat: "invalid number",
  PropertyNameExpected: "expected a property name in double quotes",
  ValueExpected: "expected a value",
  ColonExpected: 'expected ":" after the property name',
  CommaExpected: 'expected "," between items',
  CloseBraceExpected: 'expected "}" to close the object',
  CloseBracketExpected: 'expected "]" to close the array',
  EndOfFileExpected: "unexpected content after the end of the JSON value",
  InvalidCommentToken: "comments are not allowed in JSON",
  UnexpectedEndOfComment: "unterminated comment",
  UnexpectedEndOfString: "unterminated string",
  UnexpectedEndOfNumber: "unterminated number",
  InvalidUnicode: "invalid unicode escape",
  InvalidEscapeCharacter: "invalid escape character",
  InvalidCharacter: "invalid character in string (control characters must be escaped)",
};

/**
 * Parses a JSON configuration file keeping source positions. Reports every syntax error the
 * tolerant parser finds, duplicate keys, excessive nesting and undecodable bytes, all located.
 *
 * @example
 * ```ts
 * const doc = parseJsonDocument("jobs/a/job.json", bytes);
 * if (doc.value !== undefined) console.log(doc.locate("/tasks/0/task_key"));
 * ```
 */
export function parseJsonDocument(file: string, bytes: Uint8Array): SourceDocument {
  const decoded = decodeText(bytes, "a JSON object");
  const text = decoded.text;
  const lines = new LineIndex(text);
  let tree: Node | undefined;
  const treeOf = (): Node => (tree ??= jsonc.parseTree(text, [], { disallowComments: true, allowTrailingComma: false }) ?? { type: "null", offset: 0, length: 0 });
  const doc: SourceDocument = {
    file,
    text,
    value: undefined,
    diagnostics: [],
    // The positional tree is built only when something has to be located: valid files never need it.
    locate: (pointer, atKey) => lines.position(decoded.ok ? offsetOf(treeOf(), pointer, atKey ?? false) : 0),
  };
  // Syntax-level problems are placed by offset directly (never through the tree).
  const report = (offset: number, f: Finding) =>
    doc.diagnostics.push({ file, pointer: f.pointer, ...lines.position(offset), code: f.code, severity: "error", message: f.message, ...(f.hint === undefined ? {} : { hint: f.hint }) });

  if (!decoded.ok) {
    report(decoded.text.length, decoded.finding);
    return doc;
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    // Invalid JSON: let the tolerant parser find every syntax error (after the nesting guard,
    // because that parser is recursive).
    const deep = tooDeepAt(text);
    if (deep !== -1) {
      report(deep, tooDeep());
      return doc;
    }
    const errors: jsonc.ParseError[] = [];
    tree = jsonc.parseTree(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
    let previous = -1;
    for (const e of errors) {
      // jsonc-parser reports some single mistakes twice at one offset (a trailing comma in an
      // object is both PropertyNameExpected and ValueExpected): keep the first, the precise one.
      if (e.offset === previous) continue;
      previous = e.offset;
      const name = jsonc.printParseErrorCode(e.error);
      report(e.offset, { pointer: "", code: "DS1001", message: SYNTAX[name] ?? name, hint: syntaxHint(name, text, e.offset) });
    }
    return doc;
  }
  const scan = scanStructure(text, MAX_DEPTH);
  if (scan.tooDeepAt !== -1) {
    report(scan.tooDeepAt, tooDeep());
    return doc;
  }
  if (scan.keys !== countKeys(value)) {
    for (const d of duplicateKeys(treeOf())) report(d.offset, d.finding);
  }
  doc.value = value;
  return doc;
}

function tooDeep(): Finding {
  return { pointer: "", code: "DS1026", message: `nesting deeper than ${MAX_DEPTH} levels`, hint: "a job file is a shallow object; check for generated or corrupted content" };
}

function syntaxHint(name: string, text: string, offset: number): string {
  if (name === "InvalidSymbol" && text[offset] === "'") return "JSON strings use double quotes";
  if (name === "ValueExpected" || name === "PropertyNameExpected") return "check for a trailing comma before this point";
  if (name === "InvalidCommentToken") return "remove the comment; put notes in a \"description\" field";
  return "job files are strict JSON (RFC 8259)";
}

/** Offset of the first bracket that opens a level beyond MAX_DEPTH, or -1. */
function tooDeepAt(text: string): number {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i++;
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 || c === 91) {
      if (++depth > MAX_DEPTH) return i;
    } else if (c === 125 || c === 93) depth--;
  }
  return -1;
}

function duplicateKeys(root: Node): Array<{ offset: number; finding: Finding }> {
  const out: Array<{ offset: number; finding: Finding }> = [];
  const stack: Array<{ node: Node; path: string }> = [{ node: root, path: "" }];
  while (stack.length > 0) {
    const { node, path } = stack.pop()!;
    if (node.type === "object") {
      const seen = new Set<string>();
      for (const prop of node.children ?? []) {
        const [key, value] = prop.children ?? [];
        if (!key) continue;
        const name = String(key.value);
        const childPath = `${path}/${name.replace(/~/g, "~0").replace(/\//g, "~1")}`;
        if (seen.has(name)) {
          out.push({ offset: key.offset, finding: { pointer: childPath, code: "DS1019", message: `duplicate key "${name}"`, hint: "JSON keeps only the last one; remove or rename one of them" } });
        }
        seen.add(name);
        if (value) stack.push({ node: value, path: childPath });
      }
    } else if (node.type === "array") {
      (node.children ?? []).forEach((child, i) => stack.push({ node: child, path: `${path}/${i}` }));
    }
  }
  return out;
}

/** The offset of the deepest node on the pointer's path (its key, with `atKey`). */
function offsetOf(root: Node, pointer: string, atKey: boolean): number {
  let node = root;
  let keyNode: Node | undefined;
  for (const seg of segmentsOf(pointer)) {
    let next: Node | undefined;
    keyNode = undefined;
    if (node.type === "object") {
      const prop = node.children?.find((p) => p.children?.[0]?.value === seg);
      keyNode = prop?.children?.[0];
      next = prop?.children?.[1];
    } else if (node.type === "array") {
      next = node.children?.[Number(seg)];
    }
    if (!next) return node.offset;
    node = next;
  }
  return atKey && keyNode ? keyNode.offset : node.offset;
}

