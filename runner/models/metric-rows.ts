/**
 * A model version's metrics beside the champion's, as rows to show: one per metric either has,
 * sorted by name, with the delta when both have it. Pure and import-free, so the run report's
 * page (browser code) and the CLI's summaries render the same comparison.
 */

/**
 * `[metric, challenger, champion, delta]` rows; a missing figure is "—", numbers to 6 significant
 * digits, a positive delta with its "+".
 *
 * @example
 * ```ts
 * metricRows({ auc: 0.91 }, { auc: 0.89, accuracy: 0.8 });
 * // [["accuracy", "—", "0.8", "—"], ["auc", "0.91", "0.89", "+0.02"]]
 * ```
 */
export function metricRows(metrics: Record<string, number>, champion: Record<string, number> | null): string[][] {
  const names = [...new Set([...Object.keys(metrics), ...Object.keys(champion ?? {})])].sort();
  const num = (v: number | undefined) => (v === undefined ? "—" : String(Number(v.toPrecision(6))));
  return names.map((k) => {
    const a = metrics[k];
    const b = champion?.[k];
    const delta = a !== undefined && b !== undefined ? Number((a - b).toPrecision(6)) : undefined;
    return [k, num(a), num(b), delta === undefined ? "—" : `${delta > 0 ? "+" : ""}${delta}`];
  });
}
