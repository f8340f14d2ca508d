/**
 * A small ustar (POSIX.1-1988) reader and writer for model bundles: regular files only, paths up
 * to 100 characters, sizes up to 8 GiB. Written archives are deterministic (fixed owner and mode,
 * the mtime given), and any `tar` reads them. The reader refuses anything it would have to guess
 * about: bad header checksums, truncated data, links, devices, pax or GNU extension headers.
 */

/** A file in an archive. */
export interface TarEntry {
  path: string;
  data: Uint8Array;
}

/** A malformed or unsupported archive. */
export class TarFormatError extends Error {}

const BLOCK = 512;

/**
 * Writes a ustar archive of `entries` (in the given order), each with mode 0644, owner 0:0 and
 * `mtime` (seconds since the epoch).
 *
 * @example
 * ```ts
 * const tar = writeTar([{ path: "manifest.json", data: Buffer.from("{}") }], 0);
 * ```
 */
export function writeTar(entries: readonly TarEntry[], mtime: number): Buffer {
  const parts: Buffer[] = [];
  for (const e of entries) {
    parts.push(header(e.path, e.data.length, mtime));
    parts.push(Buffer.from(e.data.buffer, e.data.byteOffset, e.data.length));
    const pad = (BLOCK - (e.data.length % BLOCK)) % BLOCK;
    if (pad) parts.push(Buffer.alloc(pad));
  }
  parts.push(Buffer.alloc(2 * BLOCK));
  return Buffer.concat(parts);
}

function header(name: string, size: number, mtime: number): Buffer {
  const nameBytes = Buffer.from(name, "utf8");
  if (nameBytes.length === 0 || nameBytes.length > 100) throw new TarFormatError(`tar entry path "${name}" must be 1 to 100 bytes`);
  const h = Buffer.alloc(BLOCK);
  nameBytes.copy(h, 0);
  octal(h, 100, 8, 0o644);
  octal(h, 108, 8, 0);
  octal(h, 116, 8, 0);
  octal(h, 124, 12, size);
  octal(h, 136, 12, Math.max(0, Math.floor(mtime)));
  h.fill(0x20, 148, 156); // checksum field counts as spaces
  h.write("0", 156, "latin1"); // regular file
  h.write("ustar\u000000", 257, "latin1");
  h.write("root", 265, "latin1");
  h.write("root", 297, "latin1");
  let sum = 0;
  for (const b of h) sum += b;
  h.write(sum.toString(8).padStart(6, "0") + "\u0000 ", 148, "latin1");
  return h;
}

function octal(h: Buffer, offset: number, length: number, value: number): void {
  const text = value.toString(8).padStart(length - 1, "0");
  if (text.length > length - 1) throw new TarFormatError(`value ${value} does not fit a ${length}-byte tar field`);
  h.write(text + "\u0000", offset, "latin1");
}

/**
 * Reads every regular file of a ustar archive (folders are skipped). Throws {@link TarFormatError}
 * for anything malformed or unsupported.
 *
 * @example
 * ```ts
 * readTar(writeTar([{ path: "a.txt", data: Buffer.from("hi") }], 0)); // [{ path: "a.txt", data: <hi> }]
 * ```
 */
export function readTar(archive: Uint8Array): TarEntry[] {
  const buf = Buffer.from(archive.buffer, archive.byteOffset, archive.length);
  const out: TarEntry[] = [];
  let off = 0;
  for (;;) {
    if (off + BLOCK > buf.length) throw new TarFormatError("the archive ends without its end-of-archive marker (truncated?)");
    const h = buf.subarray(off, off + BLOCK);
    if (h.every((b) => b === 0)) break;
    if (h.toString("latin1", 257, 262) !== "ustar") throw new TarFormatError(`entry at byte ${off} is not a ustar header`);
    const stored = parseOctal(h, 148, 8, "checksum");
    let unsigned = 0;
    let signed = 0;
    for (let i = 0; i < BLOCK; i++) {
      const b = i >= 148 && i < 156 ? 0x20 : h[i]!;
      unsigned += b;
      signed += b > 127 ? b - 256 : b;
    }
    if (stored !== unsigned && stored !== signed) throw new TarFormatError(`entry at byte ${off} has a bad header checksum`);
    const name = cString(h, 0, 100);
    const prefix = cString(h, 345, 155);
    const path = prefix ? `${prefix}/${name}` : name;
    const size = parseOctal(h, 124, 12, "size");
    const type = String.fromCharCode(h[156]!);
    off += BLOCK;
    if (off + size > buf.length) throw new TarFormatError(`entry "${path}" is truncated: ${size} bytes declared, ${buf.length - off} left`);
    if (type === "0" || type === "\u0000") out.push({ path, data: buf.subarray(off, off + size) });
    else if (type !== "5") throw new TarFormatError(`entry "${path}" has type "${type}": only regular files and folders are supported (no links, devices or pax/GNU headers)`);
    off += Math.ceil(size / BLOCK) * BLOCK;
  }
  return out;
}

function cString(h: Buffer, offset: number, length: number): string {
  const field = h.subarray(offset, offset + length);
  const end = field.indexOf(0);
  return field.toString("utf8", 0, end === -1 ? length : end);
}

function parseOctal(h: Buffer, offset: number, length: number, what: string): number {
  const text = h.toString("latin1", offset, offset + length).replace(/[\u0000 ]+$/, "").replace(/^ +/, "");
  if (!/^[0-7]{1,12}$/.test(text)) throw new TarFormatError(`bad ${what} field in a tar header: ${JSON.stringify(text)}`);
  return parseInt(text, 8);
}
