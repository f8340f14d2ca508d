import { isUtf8 } from "node:buffer";
import type { Finding } from "../diagnostics.js";

/** Job and environment files larger than this are refused before parsing. */
export const MAX_FILE_BYTES = 4 * 1024 * 1024;

/** The decoded text of a file, or the reason it is not text, located by byte position. */
export type DecodeResult =
  | { ok: true; text: string }
  | { ok: false; finding: Finding; offset: number; text: string };

/**
 * Decodes a configuration file's bytes as UTF-8, refusing files that are empty, too large,
 * binary (NUL bytes) or not valid UTF-8. A leading byte-order mark is dropped.
 */
export function decodeText(bytes: Uint8Array, expected: string): DecodeResult {
  const fail = (offset: number, message: string, hint: string): DecodeResult => ({
    ok: false,
    offset,
    // The text before the offending byte, to locate it; a byte-order mark is not a column.
    text: Buffer.from(bytes.subarray(0, offset)).toString("utf8").replace(/^\uFEFF/, ""),
    finding: { pointer: "", code: "DS1025", message, hint },
  });
  if (bytes.length > MAX_FILE_BYTES) {
    const mb = (bytes.length / 1024 / 1024).toFixed(1);
    return fail(0, `file is ${mb} MiB; the limit is ${MAX_FILE_BYTES / 1024 / 1024} MiB`, "split the job, or keep large data out of the job file");
  }
  const nul = bytes.indexOf(0);
  if (nul !== -1) {
    return fail(nul, `file contains a NUL byte at byte ${nul}: it looks binary, expected ${expected}`, "check that the right file was given");
  }
  if (!isUtf8(bytes)) {
    const bad = firstInvalidUtf8(bytes);
    return fail(bad, `file is not valid UTF-8 (byte 0x${bytes[bad]!.toString(16).padStart(2, "0")} at byte ${bad})`, "save the file as UTF-8");
  }
  let text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("utf8");
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.trim() === "") {
    return { ok: false, offset: 0, text, finding: { pointer: "", code: "DS1025", message: `file is empty; expected ${expected}` } };
  }
  return { ok: true, text };
}

/** Index of the first byte that does not start or continue a valid UTF-8 sequence. */
function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    const len = b < 0x80 ? 1 : b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
    if (len === 0) return i;
    if (len > 1 && !isUtf8(bytes.subarray(i, i + len))) return i;
    i += len;
  }
  return bytes.length - 1;
}
