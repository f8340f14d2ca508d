/**
 * The run report as one self-contained HTML page: the data as inline JSON, the page's script and
 * style sheet inline, and a Content-Security-Policy that lets only those two run and forbids every
 * request. Pure: no I/O.
 */
import { createHash } from "node:crypto";
import type { PageAssets } from "./bundle-pages.js";

/**
 * Escapes text for HTML element content and quoted attribute values.
 *
 * @example
 * ```ts
 * escapeHtml(`<b title="x">&`); // "&lt;b title=&quot;x&quot;&gt;&amp;"
 * ```
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * JSON that can sit inside a `<script>` element: `<` (so neither `</script>` nor `<!--` can
 * appear), U+2028 and U+2029 are written as `\u` escapes, which JSON.parse reads back unchanged.
 *
 * @example
 * ```ts
 * scriptJson({ key: "</script>" }); // '{"key":"\\u003c/script>"}'
 * ```
 */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, "\\u003c").replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029");
}

/** Code for an inline element: a closing tag inside it (in a string or a regular expression) is written `<\/`, which means the same there. */
function inline(code: string, tag: "script" | "style"): string {
  return code.replace(new RegExp(`</(${tag})`, "gi"), "<\\/$1");
}

function sha256(text: string): string {
  return `'sha256-${createHash("sha256").update(text, "utf8").digest("base64")}'`;
}

/** A page of the report or of the run browser: what goes into its head and body. */
export interface PageInput {
  title: string;
  assets: PageAssets;
  /** JSON data for the script, in `<script type="application/json" id="page-data">`. */
  data: unknown;
  /** Extra CSP directives (the run browser's list fetches from its own server: `connect-src 'self'`). */
  connect?: "none" | "self";
  /** Static body content (already escaped) shown before the script has run. */
  body?: string;
}

/**
 * A self-contained page: CSP (script and style by hash, no requests unless `connect: "self"`),
 * the style sheet, the data and the script, all inline.
 *
 * @example
 * ```ts
 * const html = renderPage({ title: "run r1", assets: await pageAssets("report"), data: report });
 * ```
 */
export function renderPage(input: PageInput): string {
  const script = inline(input.assets.script, "script");
  const style = inline(input.assets.style, "style");
  const csp = [
    "default-src 'none'",
    `script-src ${sha256(script)}`,
    `style-src ${sha256(style)}`,
    "img-src data:",
    `connect-src ${input.connect === "self" ? "'self'" : "'none'"}`,
    "base-uri 'none'",
    "form-action 'none'",
  ].join("; ");
  return [
    "<!doctype html>",
    '<html lang="en">',
    "<head>",
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${escapeHtml(csp)}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="referrer" content="no-referrer">',
    `<title>${escapeHtml(input.title)}</title>`,
    `<style>${style}</style>`,
    "</head>",
    "<body>",
    input.body ?? "",
    '<noscript><p class="noscript">This page needs JavaScript to draw the run.</p></noscript>',
    `<script type="application/json" id="page-data">${scriptJson(input.data)}</script>`,
    `<script>${script}</script>`,
    "</body>",
    "</html>",
    "",
  ].join("\n");
}
