/**
 * Text that came from the user (a name, a path, a flag) made safe to print on a terminal: control
 * characters (ANSI escapes, carriage returns, NUL…) and the Unicode bidirectional controls that
 * can make a line read differently from what it holds ("Trojan Source") are shown as `\uXXXX`
 * escapes instead of being interpreted. Newlines are kept only when `keepNewlines` is set.
 *
 * @example
 * ```ts
 * safeText('no job "\u001b[31mred"'); // 'no job "\\u001b[31mred"'
 * ```
 */
export function safeText(text: string, options: { keepNewlines?: boolean } = {}): string {
  return text.replace(options.keepNewlines ? UNSAFE_KEEP_NL : UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

// C0 controls, DEL, C1 controls, and the bidi embeddings, overrides and isolates.
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;
// eslint-disable-next-line no-control-regex
const UNSAFE_KEEP_NL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;
