/*
 * The featurizer's inner loop for rows of ASCII text, compiled to WebAssembly
 * (scripts/build-wasm.mjs; the bytes are checked in as featurize-wasm.ts). It computes exactly
 * what featurizeRows (../featurize-core.ts) computes, bit for bit: same terms, same first-
 * occurrence order, same float32 values. A row it cannot do exactly is left empty and listed in
 * `fallback`; the caller featurizes those rows with featurizeRows:
 * - a row with a byte >= 0x80 (Unicode rules need Unicode tables);
 * - with tf = log1p, a term counted 64 times or more (log1p beyond the caller's table).
 *
 * Rows are done in chunks: first every word of the chunk is hashed (raw FNV-1a state per word)
 * by two streams of rows in lockstep, branch-free per byte, so two multiply chains overlap;
 * then, row by row, unigram and bigram hashes are finalised (fmix32), merged in a small
 * open-addressing table, weighted and normalised.
 *
 * Freestanding: no libc, no allocation. The caller lays out linear memory and passes pointers.
 */
typedef unsigned int u32;
typedef unsigned long long u64;
typedef u64 __attribute__((may_alias)) u64a;
typedef int i32;
typedef unsigned char u8;

#define EXPORT(name) __attribute__((export_name(name)))
#define CHUNK 2048
#define NONE 0xffffffffu
#define FNV_PRIME 0x01000193u
#define GOLDEN 0x9e3779b1u

typedef struct { u32 start, count, flag; } rowinfo;
/* A value: a term's count (integer) until the row is weighed, then its weight. */
typedef union { float f; i32 i; } cell;

static u8 table[256];
static int table_ready;

static void init_table(void) {
  for (int c = 0; c < 256; c++) {
    int word = (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || c == 0x5f;
    table[c] = word ? (u8)c : (c >= 0x41 && c <= 0x5a) ? (u8)(c + 0x20) : 0;
  }
  table_ready = 1;
}

static inline u32 fmix(u32 h) {
  h ^= h >> 16;
  h *= 0x85ebca6bu;
  h ^= h >> 13;
  h *= 0xc2b2ae35u;
  h ^= h >> 16;
  return h;
}

/* One stream's state: a row's bytes p..e, the FNV state h, whether inside a word, where the
 * row's words start (o) and the next word goes (q). */
#define DECL(k) const u8 *p##k, *e##k; u32 h##k = basis, iw##k = 0; u32 *q##k, *o##k; i32 row##k, last##k;
#define START(k) { \
    i32 a_ = r0 + (i32)((long long)n * k / 2), b_ = r0 + (i32)((long long)n * (k + 1) / 2); \
    row##k = a_; last##k = b_; \
    o##k = q##k = words + (offsets[a_] - offsets[r0]) + (a_ - r0); \
    p##k = bytes + offsets[a_]; e##k = bytes + (a_ < b_ ? offsets[a_ + 1] : offsets[a_]); }
/* A byte: the state before it is stored at q, kept (q advances) when a word ends here; then the
 * state moves on (inside a word) or restarts (a separator). No branch. */
#define STEP(k) { \
    u32 c_ = table[p##k[j]]; u32 w_ = c_ != 0; \
    *q##k = h##k; q##k += iw##k & (w_ ^ 1); \
    u32 x_ = (h##k ^ c_) * FNV_PRIME, m_ = 0u - w_; h##k = (x_ & m_) | (basis & ~m_); iw##k = w_; }
#define ROWEND(k) while (row##k < last##k && p##k == e##k) { \
    *q##k = h##k; q##k += iw##k; \
    rowinfo *ri_ = &info[row##k - r0]; \
    ri_->start = (u32)(o##k - words); ri_->count = (u32)(q##k - o##k); ri_->flag = 0; \
    o##k = q##k; h##k = basis; iw##k = 0; row##k++; \
    if (row##k < last##k) e##k = bytes + offsets[row##k + 1]; }
#define LEFT(k) (row##k < last##k ? (u32)(e##k - p##k) : NONE)

/* Hashes every word of rows [r0, r1): info[r - r0] says where row r's words are in `words`
 * (room needed: the chunk's bytes + rows + 2) and whether the row had a non-ASCII byte. */
static void hash_words(const u8 *bytes, const i32 *offsets, i32 r0, i32 r1, u32 basis, u32 *words, rowinfo *info) {
  i32 n = r1 - r0;
  DECL(0) DECL(1)
  START(0) START(1)
  ROWEND(0) ROWEND(1)
  for (;;) {
    u32 l0 = LEFT(0), l1 = LEFT(1);
    u32 len = l0 < l1 ? l0 : l1;
    if (len == NONE) break;
    if (l0 != NONE && l1 != NONE) {
      for (u32 j = 0; j < len; j++) { STEP(0) STEP(1) }
      p0 += len;
      p1 += len;
    } else if (l0 != NONE) {
      for (u32 j = 0; j < len; j++) STEP(0)
      p0 += len;
    } else {
      for (u32 j = 0; j < len; j++) STEP(1)
      p1 += len;
    }
    ROWEND(0) ROWEND(1)
  }
}

/* Flags the rows of [r0, r1) that hold a byte >= 0x80: the chunk's bytes are checked eight at
 * a time, and only a chunk with such a byte is looked at row by row. */
static void mark_non_ascii(const u8 *bytes, const i32 *offsets, i32 r0, i32 r1, rowinfo *info) {
  const u8 *p = bytes + offsets[r0], *e = bytes + offsets[r1];
  u64 any = 0;
  while (p < e && ((unsigned long)p & 7)) any |= *p++;
  for (; p + 8 <= e; p += 8) any |= *(const u64a *)p;
  while (p < e) any |= *p++;
  if (!(any & 0x8080808080808080ull)) return;
  for (i32 r = r0; r < r1; r++) {
    u32 acc = 0;
    for (const u8 *q = bytes + offsets[r], *end = bytes + offsets[r + 1]; q < end; q++) acc |= *q;
    info[r - r0].flag = acc >> 7;
  }
}

/* Rows per chunk: the caller sizes `info` and `words` from it. */
EXPORT("chunkRows")
i32 chunk_rows(void) { return CHUNK; }

/*
 * Featurizes `rows` rows (row r = bytes[offsets[r] .. offsets[r + 1]), offsets from 0).
 * params: FNV basis, bigrams (0/1), column mask, signed (0/1), tf (0 count, 1 binary, 2 log1p),
 * l2 (0/1). log1p: log1p(c) for c in 0..63, computed by the caller. Outputs: indptr (rows + 1),
 * indices/values/ids (room for `cap` entries; ids may be 0), fallback (room for `rows`).
 * Scratch: words (CHUNK rows' bytes + CHUNK + 2 u32), info (CHUNK), seen (`entries`, a power of
 * two, of u64: a row stamp in the low half, a slot in the high half) and *stamp (kept between
 * calls). Returns the number of fallback rows, or -1 - r when row r needs more than `cap`
 * entries in all or more than entries / 2 terms (grow, call again).
 */
EXPORT("featurize")
i32 featurize(const u8 *bytes, const i32 *offsets, i32 rows, const i32 *params, const double *log1p,
              i32 *indptr, i32 *indices, cell *values, i32 *ids, u32 cap, i32 *fallback,
              u32 *words, rowinfo *info, u64 *seen, u32 entries, u32 *stampp) {
  const u32 basis = (u32)params[0], mask = (u32)params[2], signmask = params[3] ? 0x80000000u : 0u;
  const int bigrams = params[1], tf = params[4], l2 = params[5];
  const int shift = 32 - __builtin_ctz(entries);
  const u32 emask = entries - 1;
  if (!table_ready) init_table();
  u32 stamp = *stampp, nnz = 0;
  i32 nfall = 0;
  indptr[0] = 0;
  for (i32 c0 = 0; c0 < rows; c0 += CHUNK) {
    i32 c1 = c0 + CHUNK < rows ? c0 + CHUNK : rows;
    hash_words(bytes, offsets, c0, c1, basis, words, info);
    mark_non_ascii(bytes, offsets, c0, c1, info);
    for (i32 r = c0; r < c1; r++) {
      rowinfo ri = info[r - c0];
      if (ri.flag) {
        fallback[nfall++] = r;
        indptr[r + 1] = (i32)nnz;
        continue;
      }
      const u32 *w = words + ri.start, n = ri.count;
      u32 terms = bigrams && n > 0 ? 2 * n - 1 : n;
      if (nnz + terms > cap || 2 * terms > entries) {
        *stampp = stamp;
        return -1 - r;
      }
      if (++stamp == 0x7fffffff) {
        for (u32 i = 0; i < entries; i++) seen[i] = 0;
        stamp = 1;
      }
      u32 start = nnz;
/* Merge a term: a column seen before in this row adds its sign to its count, a new one is
 * appended (counts are integers, kept in the values' cells until weighed). */
#define ADD(HASH) { \
    u32 hash_ = (HASH); i32 col_ = (i32)(hash_ & mask); \
    i32 sign_ = 1 | ((i32)(hash_ & signmask) >> 31); \
    u32 x_ = ((u32)col_ * GOLDEN) >> shift; \
    for (;;) { \
      u64 e_ = seen[x_]; \
      if (__builtin_expect((u32)e_ != stamp, 1)) { seen[x_] = ((u64)nnz << 32) | stamp; indices[nnz] = col_; values[nnz++].i = sign_; break; } \
      u32 slot_ = (u32)(e_ >> 32); \
      if (indices[slot_] == col_) { values[slot_].i += sign_; break; } \
      x_ = (x_ + 1) & emask; \
    } }
      if (n > 0) ADD(fmix(w[0]))
      if (bigrams) {
        for (u32 i = 1; i < n; i++) { ADD(fmix(w[i])) ADD(fmix(w[i - 1] * GOLDEN + w[i])) }
      } else {
        for (u32 i = 1; i < n; i++) ADD(fmix(w[i]))
      }
      /* Weights, in double as featurizeRows computes them, then the row's norm. */
      double sq = 0;
      int exact = 1;
      if (tf == 2) {
        for (u32 k = start; k < nnz; k++) {
          i32 c = values[k].i;
          u32 m = (u32)(c >> 31), a = ((u32)c ^ m) - m;
          if (__builtin_expect(a >= 64, 0)) { exact = 0; break; }
          double v = log1p[a];
          v = m ? -v : v;
          values[k].f = (float)v;
          sq += v * v;
        }
      } else if (tf == 1) {
        for (u32 k = start; k < nnz; k++) {
          i32 c = values[k].i;
          double v = c > 0 ? 1 : c < 0 ? -1 : 0;
          values[k].f = (float)v;
          sq += v * v;
        }
      } else {
        for (u32 k = start; k < nnz; k++) {
          double v = (double)values[k].i;
          values[k].f = (float)v;
          sq += v * v;
        }
      }
      if (!exact) {
        nnz = start;
        fallback[nfall++] = r;
        indptr[r + 1] = (i32)nnz;
        continue;
      }
      if (l2 && sq > 0) {
        double inv = 1 / __builtin_sqrt(sq);
        for (u32 k = start; k < nnz; k++) values[k].f = (float)((double)values[k].f * inv);
      }
      if (ids) for (u32 k = start; k < nnz; k++) ids[k] = r;
      indptr[r + 1] = (i32)nnz;
    }
  }
  *stampp = stamp;
  return nfall;
}
