/** The selected task, shared by the graph, the timeline, the table and the details panel. */

/** Who changed the selection: the view that did need not scroll itself to it. */
export type Origin = "graph" | "timeline" | "table" | "details" | "hash";

type Listener = (key: string | null, origin: Origin) => void;

/**
 * The selection: one task key or none; listeners hear every change.
 *
 * @example
 * ```ts
 * const sel = new Selection();
 * sel.on((key) => console.log(key));
 * sel.set("train", "graph");
 * ```
 */
export class Selection {
  key: string | null = null;
  readonly #listeners: Listener[] = [];

  on(listener: Listener): void {
    this.#listeners.push(listener);
  }

  set(key: string | null, origin: Origin): void {
    this.key = key;
    for (const l of this.#listeners) l(key, origin);
  }
}
