import type { CompiledConditionTask } from "../spec/compiled.js";

/**
 * Evaluates a condition_task on its resolved operands: numerically when both are numbers,
 * otherwise as strings (EQUAL_TO / NOT_EQUAL) or by code-point order.
 *
 * @example
 * ```ts
 * evaluateCondition({ op: "GREATER_THAN", left: "0.91", right: "0.9" }); // "true"
 * ```
 */
export function evaluateCondition(c: CompiledConditionTask): "true" | "false" {
  const l = asNumber(c.left);
  const r = asNumber(c.right);
  const cmp = l !== undefined && r !== undefined ? Math.sign(l - r) : c.left < c.right ? -1 : c.left > c.right ? 1 : 0;
  const result =
    c.op === "EQUAL_TO" ? cmp === 0
    : c.op === "NOT_EQUAL" ? cmp !== 0
    : c.op === "GREATER_THAN" ? cmp > 0
    : c.op === "GREATER_THAN_OR_EQUAL" ? cmp >= 0
    : c.op === "LESS_THAN" ? cmp < 0
    : cmp <= 0;
  return result ? "true" : "false";
}

function asNumber(s: string): number | undefined {
  const t = s.trim();
  if (t === "") return undefined;
  const n = Number(t);
  return Number.isFinite(n) ? n : undefined;
}
