/** Building DOM nodes without HTML strings: text is always a text node, attributes go through setAttribute. */

export type Child = Node | string | number | null | undefined | false;
export type Attrs = Record<string, string | number | boolean | null | undefined>;

function fill<E extends Element>(el: E, attrs: Attrs, children: Child[]): E {
  for (const [name, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    el.setAttribute(name, value === true ? "" : String(value));
  }
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    el.append(typeof c === "string" || typeof c === "number" ? document.createTextNode(String(c)) : c);
  }
  return el;
}

/**
 * An HTML element with attributes and children; strings become text nodes (never parsed as HTML).
 *
 * @example
 * ```ts
 * h("p", { class: "note" }, "a <b> stays text"); // <p class="note">a &lt;b&gt; stays text</p>
 * ```
 */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  return fill(document.createElement(tag), attrs, children);
}

const SVG = "http://www.w3.org/2000/svg";

/**
 * An SVG element, like {@link h}.
 *
 * @example
 * ```ts
 * s("rect", { width: 10, height: 10, rx: 2 });
 * ```
 */
export function s<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Child[]): SVGElementTagNameMap[K] {
  return fill(document.createElementNS(SVG, tag), attrs, children);
}

/**
 * Scrolls `container` (not the page) so that `el`, one of its descendants, is in view.
 *
 * @example
 * ```ts
 * scrollWithin(tableScroll, row);
 * ```
 */
export function scrollWithin(container: HTMLElement, el: HTMLElement): void {
  const c = container.getBoundingClientRect();
  const r = el.getBoundingClientRect();
  if (r.top < c.top) container.scrollTop -= c.top - r.top + 4;
  else if (r.bottom > c.bottom) container.scrollTop += r.bottom - c.bottom + 4;
}
