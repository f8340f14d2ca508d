/**
 * Replaces every secret value in a text by `***`. Longer secrets first, so one that contains
 * another is masked whole. Empty secrets are ignored.
 *
 * @example
 * ```ts
 * masker(["s3cret"])("token=s3cret"); // "token=***"
 * ```
 */
export function masker(secrets: readonly string[]): (text: string) => string {
  const list = [...new Set(secrets.filter((s) => s.length > 0))].sort((a, b) => b.length - a.length);
  if (list.length === 0) return (text) => text;
  return (text) => list.reduce((out, secret) => out.split(secret).join("***"), text);
}
