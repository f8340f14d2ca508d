/** The run list of `dagship ui` (types only: the list page's own code shares them). */

/** One run as the list shows it. */
export interface RunListItem {
  run_id: string;
  job: string;
  state: string;
  interrupted?: boolean;
  namespace?: string;
  source: string;
  started_at: string;
  ended_at?: string;
  duration_ms?: number;
  /** Tasks that have ended, and all tasks. */
  done: number;
  tasks: number;
  failed: number;
}

/** The list: the environment and its runs, newest first. */
export interface RunList {
  env: string;
  generated_at: string;
  runs: RunListItem[];
}
