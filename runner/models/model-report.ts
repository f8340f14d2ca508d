/**
 * What the summaries and the run report show of a model version a run registered. Types only,
 * with no imports, so the run report's page (browser code) can share them.
 */

/** A model version a run registered, against the champion it was compared with. */
export interface ModelReport {
  model: string;
  version: number;
  /** The champion before the run (null: none). */
  champion_version: number | null;
  /** Whether the run moved the champion alias to `version`. */
  promoted: boolean;
  metrics: Record<string, number>;
  champion_metrics: Record<string, number> | null;
  /** The gate decision recorded on the version by the run (audit log), when there is one. */
  gate?: GateSummary | null;
}

/** A gate decision as the summaries show it. */
export interface GateSummary {
  passed: boolean;
  reason: string;
  metric: string;
  min_delta: number;
  dataset: string;
}
