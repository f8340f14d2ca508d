/**
 * The schema and row count of an Arrow IPC file, read from its footer and the metadata of its
 * record batches only: a few small reads at the end of the file and at each batch, never the
 * data itself, so a 10 GB table costs the report what a 10 kB one does.
 */
import { closeSync, fstatSync, openSync, readSync } from "node:fs";

/** What the footer says about a table. */
export interface ArrowFooterInfo {
  schema: Array<{ name: string; type: string; nullable: boolean }>;
  rows: number;
  batches: number;
  bytes: number;
}

const MAGIC = "ARROW1";
/** Trailer: int32 footer length + "ARROW1". */
const TRAILER = 4 + MAGIC.length;

/** Not an Arrow IPC file, or a damaged one. */
export class ArrowFooterError extends Error {
  override name = "ArrowFooterError";
}

/**
 * Reads the footer of the Arrow IPC file `file`: its schema (name, type, nullability), the
 * number of record batches and, from each batch's metadata message, the number of rows.
 * apache-arrow is loaded on first use. Throws {@link ArrowFooterError} for a file that is not
 * Arrow IPC (the caller falls back to the run record) and the file system's error for a missing one.
 *
 * @example
 * ```ts
 * const { rows, schema } = await readArrowFooter(".dagship/dev/runs/r1/write/1/tables/numbers.arrow");
 * // rows: 1000, schema: [{ name: "x", type: "Float64", nullable: true }, ...]
 * ```
 */
export async function readArrowFooter(file: string): Promise<ArrowFooterInfo> {
  const { Footer } = await import("apache-arrow/ipc/metadata/file");
  const { Message } = await import("apache-arrow");
  const fd = openSync(file, "r");
  try {
    const size = fstatSync(fd).size;
    if (size < 8 + TRAILER) throw new ArrowFooterError(`${size} bytes: too short for an Arrow IPC file`);
    const trailer = readAt(fd, size - TRAILER, TRAILER);
    if (trailer.subarray(4).toString("latin1") !== MAGIC || readAt(fd, 0, 6).toString("latin1") !== MAGIC) throw new ArrowFooterError("no ARROW1 magic: not an Arrow IPC file");
    const footerLength = trailer.readInt32LE(0);
    if (footerLength <= 0 || footerLength > size - TRAILER - 8) throw new ArrowFooterError(`footer length ${footerLength} does not fit a ${size}-byte file`);
    const footer = Footer.decode(readAt(fd, size - TRAILER - footerLength, footerLength));
    let rows = 0;
    for (const block of footer.recordBatches()) {
      if (block.offset + block.metaDataLength > size || block.metaDataLength < 8) throw new ArrowFooterError(`record batch block at ${block.offset} lies outside the file`);
      const meta = readAt(fd, block.offset, block.metaDataLength);
      // An encapsulated message: 0xFFFFFFFF, int32 length, flatbuffer (pre-0.15 files: no marker).
      const start = meta.readInt32LE(0) === -1 ? 8 : 4;
      const length = meta.readInt32LE(start - 4);
      const message = Message.decode(meta.subarray(start, start + length));
      if (!message.isRecordBatch()) throw new ArrowFooterError(`block at ${block.offset} is not a record batch`);
      rows += Number(message.header().length);
    }
    const schema = footer.schema.fields.map((f) => ({ name: f.name, type: String(f.type), nullable: f.nullable }));
    return { schema, rows, batches: footer.numRecordBatches, bytes: size };
  } catch (error) {
    if (error instanceof ArrowFooterError || (error as NodeJS.ErrnoException).code !== undefined) throw error;
    throw new ArrowFooterError(`unreadable footer: ${(error as Error).message}`);
  } finally {
    closeSync(fd);
  }
}

function readAt(fd: number, position: number, length: number): Buffer {
  const buf = Buffer.alloc(length);
  let got = 0;
  while (got < length) {
    const n = readSync(fd, buf, got, length - got, position + got);
    if (n === 0) throw new ArrowFooterError(`unexpected end of file at ${position + got}`);
    got += n;
  }
  return buf;
}
