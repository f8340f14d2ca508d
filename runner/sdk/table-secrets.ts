/**
 * What the table writer refuses to write: a table holding one of the environment's secrets. The
 * writer checks each chunk it is about to write, so a secret never reaches the workspace.
 */

/**
 * A table that holds the value of one of the environment's secrets — in a column's values, a
 * column name or the schema's or a field's metadata. Secrets are never written to the
 * workspace, so the table is not written; the message names the secret's variable, never its value.
 *
 * @example
 * ```ts
 * await ctx.tables.write("users", tableFromArrays({ token: [process.env.API_TOKEN!] })); // throws TableSecretError
 * ```
 */
export class TableSecretError extends Error {
  override name = "TableSecretError";
}

/**
 * A secret the table writer refuses to write: its variable's name and the bytes to look for.
 *
 * @example
 * ```ts
 * await writeTableFile(arrow, file, table, { secrets: [{ variable: "API_TOKEN", bytes: Buffer.from(process.env.API_TOKEN!) }] });
 * ```
 */
export interface SecretPattern {
  variable: string;
  bytes: Uint8Array;
}

/**
 * Throws {@link TableSecretError} when `chunk` (a part of the file being written: a column buffer,
 * the schema, a batch's metadata) holds one of the secrets' bytes.
 *
 * @example
 * ```ts
 * refuseSecrets(chunk, [{ variable: "API_TOKEN", bytes: Buffer.from(token) }]);
 * ```
 */
export function refuseSecrets(chunk: Uint8Array, secrets: readonly SecretPattern[]): void {
  const bytes = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  for (const secret of secrets) {
    if (bytes.indexOf(secret.bytes) >= 0) {
      throw new TableSecretError(
        `the table holds the value of the secret ${secret.variable} (in its values, column names or metadata); secrets are never written to the workspace, so the table was not written`,
      );
    }
  }
}
