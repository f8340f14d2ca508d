import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { readTar, TarFormatError, writeTar } from "../../../runner/models/tar.js";

const entries = [
  { path: "manifest.json", data: Buffer.from('{"a":1}\n') },
  { path: "model.onnx", data: Buffer.alloc(1500, 7) },
  { path: "files/featurizer/config.json", data: Buffer.from("{}") },
  { path: "files/empty", data: Buffer.alloc(0) },
];

describe("ustar", () => {
  it("round-trips regular files, in order, byte for byte", () => {
    const back = readTar(writeTar(entries, 1_700_000_000));
    expect(back.map((e) => e.path)).toEqual(entries.map((e) => e.path));
    back.forEach((e, i) => expect(Buffer.from(e.data).equals(entries[i]!.data)).toBe(true));
  });

  it("is deterministic and readable by the system tar", () => {
    const a = writeTar(entries, 1_700_000_000);
    expect(a.equals(writeTar(entries, 1_700_000_000))).toBe(true);
    const dir = mkdtempSync(path.join(tmpdir(), "dagship-tar-"));
    try {
      writeFileSync(path.join(dir, "b.tar.gz"), gzipSync(a));
      const listing = execFileSync("tar", ["-tzf", path.join(dir, "b.tar.gz")], { encoding: "utf8" }).trim().split("\n");
      expect(listing).toEqual(entries.map((e) => e.path));
      execFileSync("tar", ["-xzf", path.join(dir, "b.tar.gz"), "-C", dir]);
      expect(readFileSync(path.join(dir, "model.onnx")).equals(entries[1]!.data)).toBe(true);
      // and the other way: an archive the system tar wrote reads back
      execFileSync("tar", ["--format=ustar", "-cf", path.join(dir, "sys.tar"), "-C", dir, "model.onnx"]);
      const sys = readTar(readFileSync(path.join(dir, "sys.tar")));
      expect(sys.map((e) => e.path)).toEqual(["model.onnx"]);
      expect(Buffer.from(sys[0]!.data).equals(entries[1]!.data)).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("refuses a corrupted header, a truncated archive, links and long names", () => {
    const tar = writeTar(entries, 0);
    const bad = Buffer.from(tar);
    bad[10] = bad[10]! ^ 0xff; // inside the first header's name
    expect(() => readTar(bad)).toThrow(/bad header checksum/);
    expect(() => readTar(tar.subarray(0, 700))).toThrow(TarFormatError);
    expect(() => readTar(tar.subarray(0, tar.length - 1024))).toThrow(/end-of-archive/);
    const link = Buffer.from(writeTar([{ path: "x", data: Buffer.alloc(0) }], 0));
    link[156] = "2".charCodeAt(0);
    let sum = 0;
    link.fill(0x20, 148, 156);
    for (let i = 0; i < 512; i++) sum += link[i]!;
    link.write(sum.toString(8).padStart(6, "0") + "\0 ", 148, "latin1");
    expect(() => readTar(link)).toThrow(/only regular files/);
    expect(() => writeTar([{ path: "n".repeat(101), data: Buffer.alloc(0) }], 0)).toThrow(TarFormatError);
    expect(() => readTar(Buffer.from("not a tar at all".padEnd(1024, "x")))).toThrow(/not a ustar header/);
  });
});
