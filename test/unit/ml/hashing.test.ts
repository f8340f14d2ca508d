import { describe, expect, it } from "vitest";
import { featureHash, fmix32, fnv1a32, fnvBasis, FNV_OFFSET } from "../../../jobs/lib/ml/hashing.js";

const utf8 = (s: string) => new TextEncoder().encode(s);

describe("hashing", () => {
  it("fnv1a32 matches the published FNV-1a 32-bit test vectors", () => {
    expect(fnv1a32(utf8(""))).toBe(0x811c9dc5);
    expect(fnv1a32(utf8("a"))).toBe(0xe40c292c);
    expect(fnv1a32(utf8("foobar"))).toBe(0xbf9cf968);
  });

  it("fmix32 is murmur3's finaliser", () => {
    expect(fmix32(0)).toBe(0);
    expect(fmix32(1)).toBe(0x514e28b7);
    expect(fmix32(0xdeadbeef)).toBe(0x0de5c6a9);
  });

  it("seed 0 starts from the standard offset basis; other seeds do not", () => {
    expect(fnvBasis(0)).toBe(FNV_OFFSET);
    expect(fnvBasis(42)).not.toBe(FNV_OFFSET);
  });

  // Golden values: a stored model's featurizer config means these exact hashes. If this test
  // fails, every model already registered would score different features: do not "fix" it.
  it("featureHash keeps its golden values", () => {
    expect(featureHash("great").toString(16)).toBe("f12c0ec1");
    expect(featureHash("refund").toString(16)).toBe("8b3f8350");
    expect(featureHash("not great").toString(16)).toBe("5368cbd6");
    expect(featureHash("café").toString(16)).toBe("df518d52");
    expect(featureHash("great", 42).toString(16)).toBe("eb3344d8");
    expect(featureHash(utf8("great"))).toBe(featureHash("great"));
  });
});
