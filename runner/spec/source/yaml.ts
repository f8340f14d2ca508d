import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Node as YamlNode } from "yaml";
import { segmentsOf } from "../diagnostics.js";
import { locateFinding, type SourceDocument } from "./document.js";
import { decodeText } from "./text.js";

/**
 * Parses a YAML configuration file (an environment) keeping source positions. Every syntax
 * error and duplicate key is reported, located; aliases are resolved with a size limit.
 *
 * @example
 * ```ts
 * const doc = parseYamlDocument("environments/dev.yaml", bytes);
 * doc.locate("/workspace/path"); // → { line: 3, column: 9 }
 * ```
 */
export function parseYamlDocument(file: string, bytes: Uint8Array): SourceDocument {
  const decoded = decodeText(bytes, "a YAML mapping");
  const counter = new LineCounter();
  const position = (offset: number) => {
    const p = counter.linePos(offset);
    return { line: p.line, column: p.col };
  };
  let root: YamlNode | undefined;
  const doc: SourceDocument = {
    file,
    text: decoded.text,
    value: undefined,
    diagnostics: [],
    locate: (pointer, atKey) => position(root ? offsetOf(root, pointer, atKey ?? false) : 0),
  };
  if (!decoded.ok) {
    counter.addNewLine(0);
    for (let i = decoded.text.indexOf("\n"); i !== -1; i = decoded.text.indexOf("\n", i + 1)) counter.addNewLine(i + 1);
    doc.diagnostics.push({ ...locateFinding(doc, decoded.finding), ...position(decoded.text.length) });
    return doc;
  }
  const parsed = parseDocument(decoded.text, { lineCounter: counter, prettyErrors: false, uniqueKeys: true, strict: true });
  // The composer is recursive: nesting a few hundred levels deep overflows the stack, which the
  // library reports once per enclosing level. One DS1026, as for JSON, says what happened.
  const exhausted = parsed.errors.find((e) => e.code === "RESOURCE_EXHAUSTION");
  if (exhausted) {
    doc.diagnostics.push({ file, pointer: "", ...position(exhausted.pos[0]), code: "DS1026", severity: "error", message: "nesting too deep to parse", hint: "an environment file is a shallow mapping; check for generated or corrupted content" });
    return doc;
  }
  for (const e of parsed.errors) {
    const duplicate = e.code === "DUPLICATE_KEY";
    doc.diagnostics.push({
      file,
      pointer: "",
      ...position(e.pos[0]),
      code: duplicate ? "DS1019" : "DS1001",
      severity: "error",
      message: firstLine(e.message),
      hint: duplicate ? "YAML mappings need unique keys; remove or rename one" : "check the indentation and quoting around this point",
    });
  }
  // A duplicate key still leaves a usable document (the last value wins), so the schema and
  // the other checks run too; any other error does not.
  if (parsed.errors.some((e) => e.code !== "DUPLICATE_KEY")) return doc;
  root = parsed.contents ?? undefined;
  try {
    doc.value = parsed.toJS({ maxAliasCount: 100 });
  } catch (error) {
    doc.diagnostics.push({ file, pointer: "", line: 1, column: 1, code: "DS1001", severity: "error", message: firstLine(String((error as Error).message)), hint: "avoid deeply nested YAML aliases" });
  }
  return doc;
}

function firstLine(message: string): string {
  return message.split("\n")[0]!.replace(/ at line \d+, column \d+:?$/, "");
}

function offsetOf(root: YamlNode, pointer: string, atKey: boolean): number {
  let node: unknown = root;
  let keyNode: unknown;
  for (const seg of segmentsOf(pointer)) {
    let next: unknown;
    keyNode = undefined;
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === seg);
      keyNode = pair?.key;
      next = pair?.value ?? undefined;
    } else if (isSeq(node)) {
      next = node.items[Number(seg)];
    }
    if (!next || !hasRange(next)) return rangeStart(node);
    node = next;
  }
  return rangeStart(atKey && keyNode ? keyNode : node);
}

function hasRange(n: unknown): n is { range: [number, number, number] } {
  return typeof n === "object" && n !== null && Array.isArray((n as { range?: unknown }).range);
}

function rangeStart(n: unknown): number {
  return hasRange(n) ? n.range[0] : 0;
}
