/**
 * The records of the model registry, as stored in `meta.json`, `aliases.json` and `audit.jsonl`
 * and as the `models` commands print them with `--json`.
 */

/** A table a model was trained on, identified by the sha256 of its Arrow file. */
export interface InputTable {
  name: string;
  sha256: string;
}

/** Where an imported version came from: the source registry's version and the bundle it travelled in. */
export interface ModelSource {
  /** The environment the bundle was exported from. */
  env: string;
  name: string;
  version: number;
  /** sha256 of the bundle file (the tar or tar.gz as a whole). */
  bundle_sha256: string;
  imported_at: string;
  /** The source version's own source, when it was imported too (dev → staging → prod). */
  previous?: ModelSource;
}

/**
 * What produced a version: the run and the data. `null` where there is no such thing (a version
 * registered outside a run has no run id, a run of the working tree no deployment).
 */
export interface Lineage {
  env: string | null;
  job: string | null;
  run_id: string | null;
  task_key: string | null;
  deployment_id: string | null;
  git_sha: string | null;
  input_tables: InputTable[];
  /** Set on versions registered by `import` or `promote`: where the version came from. */
  source?: ModelSource;
}

/** A JSON value (what params and the featurizer config may hold). */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** `meta.json` of a version. Immutable once the version exists. */
export interface ModelVersionMeta {
  name: string;
  version: number;
  created_at: string;
  onnx_sha256: string;
  onnx_bytes: number;
  metrics: Record<string, number>;
  params: Record<string, Json>;
  /** The featurizer config scoring needs to build the model's input (null if none). */
  featurizer: Json;
  lineage: Lineage;
  /** Further files of the version (relative path → sha256), besides model.onnx. */
  files: Record<string, string>;
}

/** `aliases.json` of a model: alias → version. */
export type Aliases = Record<string, number>;

/** Who did something and from which commit, as the audit log records it. */
export interface Actor {
  /** The git author (`name <email>`) of the repository, or the user name of the process. */
  who: string;
  git_sha: string | null;
}

/** One line of a model's `audit.jsonl`. */
export type AuditEntry = AuditBase &
  (
    | { event: "register"; version: number; source?: ModelSource }
    | { event: "alias"; alias: string; from: number | null; to: number | null; reason?: string; run?: { job: string | null; run_id: string | null; task_key: string | null } }
    | ({ event: "gate"; run?: { job: string | null; run_id: string | null; task_key: string | null } } & GateRecord)
  );

interface AuditBase {
  at: string;
  env: string | null;
  model: string;
  who: string;
  git_sha: string | null;
}

/** A gate decision as the audit log keeps it (and `promote --json` reports it). */
export interface GateRecord {
  /** The challenger: the target's version being gated. */
  version: number;
  alias: string;
  metric: string;
  greater_is_better: boolean;
  min_delta: number;
  dataset: string;
  /** The challenger's metric on the dataset (null: missing). */
  challenger: number | null;
  /** The champion's metric on the dataset (null: missing or no champion). */
  champion: number | null;
  champion_version: number | null;
  /** The value the challenger had to reach (champion ± min_delta), null without a champion. */
  threshold: number | null;
  bootstrap: boolean;
  passed: boolean;
  /** The alias moved: from the old champion to the challenger. */
  from: number | null;
  to: number | null;
  reason: string;
  /** All metrics the evaluator returned, for both models. */
  challenger_metrics: Record<string, number>;
  champion_metrics: Record<string, number> | null;
  /** Set when the evaluation failed (the gate then did not pass). */
  error?: string;
}
