import { availableParallelism } from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { csrNnz } from "../../jobs/lib/ml/csr.js";
import { DEFAULT_FEATURIZER, Featurizer } from "../../jobs/lib/ml/features.js";
import { trainLogReg } from "../../jobs/lib/ml/logreg.js";
import { auc } from "../../jobs/lib/ml/metrics.js";
import { exportOnnx, ONNX_NAMES } from "../../jobs/lib/ml/onnx.js";
import { defaultWorkers } from "../../jobs/lib/ml/featurize-pool.js";
import { loadOnnxSession, onnxFeeds, scoreTextsWithOnnx } from "../../jobs/lib/ml/onnx-score.js";
import { generateReviews } from "../../jobs/lib/ml/reviews.js";
import { utf8Slice } from "../../jobs/lib/ml/utf8.js";
import { BENCH_DIR, describeSample, FigureError, format, median, PACKAGE_ROOT, progress, seconds, type Benchmark, type Sample, type Sampling } from "../harness.js";
import { canSampleMemory, sampleIn, spawnNode } from "../runner-repo.js";
import type { TrainReport } from "../workers/ml-train.js";

const ROWS = 1_000_000;
const BATCH_ROWS = 65_536;
const EVERY_MS = 50;

/**
 * score_1m: end-to-end batch scoring of 1,000,000 reviews with the ONNX model, as the score job
 * does it — `scoreTextsWithOnnx`: featurize each batch of 65,536 review texts (UTF-8, as read
 * from Arrow; two batches in three in the process's featurizer threads, one per core but one,
 * working ahead, the third on the calling thread straight into kernel memory), build the sparse
 * input tensors, `session.run`, collect the probabilities. The session has onnxruntime's default
 * threads (one per core), spinning off. The featurizer threads are started by the warm-up run
 * and kept, as in a scoring process that scores batch after batch.
 * Floor: bare `session.run` over the same batches with every input tensor built beforehand (the
 * time onnxruntime itself needs). Runs alternate (floor, figure) so load drift hits both alike.
 */
const score1m: Benchmark = {
  figures: ["score_1m"],
  async run(ctx) {
    progress("  score_1m: training a model on 100,000 reviews and generating 1,000,000 to score...");
    const featurizer = new Featurizer(DEFAULT_FEATURIZER);
    const train = generateReviews({ count: 100_000, seed: 1 });
    const { model } = trainLogReg(featurizer.featurize(train.text), train.label, { epochs: 2, seed: 1 });
    const session = await loadOnnxSession(exportOnnx(model, { featurizer: DEFAULT_FEATURIZER }));
    const reviews = generateReviews({ count: ROWS, seed: 2, drift: 0.2 });
    const feeds: Array<Awaited<ReturnType<typeof onnxFeeds>>> = [];
    let nnz = 0;
    for (let start = 0; start < ROWS; start += BATCH_ROWS) {
      const csr = featurizer.featurize(utf8Slice(reviews.text, start, Math.min(ROWS, start + BATCH_ROWS)));
      nnz += csrNnz(csr);
      feeds.push(await onnxFeeds(csr));
    }
    const bare = async (): Promise<number> => {
      const t = performance.now();
      for (const f of feeds) await session.run(f, [ONNX_NAMES.probability]);
      return (performance.now() - t) / 1000;
    };
    let last: Float32Array | undefined;
    const endToEnd = async (): Promise<number> => {
      const t = performance.now();
      last = await scoreTextsWithOnnx(session, reviews.text, featurizer, { batchRows: BATCH_ROWS });
      return (performance.now() - t) / 1000;
    };
    const sampling = ctx.sampling("slow");
    const floor: number[] = [];
    const figure: number[] = [];
    for (let i = 0; i < sampling.warmup + sampling.runs; i++) {
      const b = await bare();
      const e = await endToEnd();
      const kept = i >= sampling.warmup;
      if (kept) {
        floor.push(b);
        figure.push(e);
      }
      progress(`  score_1m: ${kept ? `run ${i - sampling.warmup + 1}/${sampling.runs}` : `warm-up ${i + 1}/${sampling.warmup}`}: bare session.run ${seconds(b)}, end to end ${seconds(e)}`);
    }
    // The end-to-end probabilities must be the model's: compare with a bare run's.
    const check = new Float32Array(ROWS);
    for (let k = 0, start = 0; k < feeds.length; k++, start += BATCH_ROWS) check.set((await session.run(feeds[k]!, [ONNX_NAMES.probability]))[ONNX_NAMES.probability]!.data as Float32Array, start);
    for (let i = 0; i < ROWS; i++) if (check[i] !== last![i]) throw new FigureError(`score_1m: end-to-end probability ${i} is ${last![i]}, a bare run gives ${check[i]}`);
    const heldAuc = auc(reviews.label, last!);
    if (heldAuc < 0.8) throw new FigureError(`score_1m: the model scores the reviews with AUC ${heldAuc.toFixed(3)}: not a working model`);
    const f: Sample = { median: median(figure), samples: figure, sampling };
    const fl: Sample = { median: median(floor), samples: floor, sampling };
    return {
      score_1m: {
        value: f.median,
        unit: "s",
        floor: fl.median,
        ratio: f.median / fl.median,
        goal: { of: "ratio", op: "≤", limit: 2, text: "ratio ≤ 2" },
        notes: [
          `end to end: scoreTextsWithOnnx over ${format(ROWS)} review texts (${format(reviews.text.bytes.length / 1e6)} MB of UTF-8) in batches of ${format(BATCH_ROWS)}, ${format(nnz)} features in all: ${describeSample(f)}; ${format(ROWS / f.median)} reviews/s`,
          `floor: bare session.run on the same ${feeds.length} batches, input tensors built beforehand: ${describeSample(fl)}`,
          `the probabilities equal a bare run's exactly; AUC on these (drift 0.2) reviews ${heldAuc.toFixed(3)}; ${defaultWorkers()} featurizer threads, ${availableParallelism()} cores`,
        ],
      },
    };
  },
};

/** The loader flags of this process (tsx), so a worker's TypeScript runs; nothing else. */
function loaderFlags(): string[] {
  const out: string[] = [];
  const argv = process.execArgv;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (["--require", "-r", "--import", "--loader", "--experimental-loader"].includes(a) && argv[i + 1] !== undefined) out.push(a, argv[++i]!);
    else if (/^--(require|import|loader|experimental-loader)=/.test(a)) out.push(a);
  }
  return out;
}

async function trainWorker(rows: number, seed: number): Promise<{ report?: TrainReport; peakMB: number; samples: number }> {
  const worker = path.join(BENCH_DIR, "workers", "ml-train.ts");
  const r = await spawnNode([...loaderFlags(), worker, String(rows), String(seed)], PACKAGE_ROOT, { sampleEveryMs: EVERY_MS, timeoutMs: 300_000 });
  const what = `the training worker (${format(rows)} rows)`;
  if (r.timedOut) throw new FigureError(`${what} did not finish within 300 s (killed)`);
  if (r.code !== 0) throw new FigureError(`${what} failed (exit ${r.code ?? r.signal}):\n${r.stderr.trimEnd().split("\n").slice(-15).join("\n")}`);
  if (!r.memory || r.memory.samples === 0) throw new FigureError(`no memory sample of ${what}`);
  if (rows === 0) return { peakMB: r.memory.peakMB, samples: r.memory.samples };
  let report: TrainReport;
  try {
    report = JSON.parse(r.stdout) as TrainReport;
  } catch {
    throw new FigureError(`${what} printed no report:\n${r.stdout.slice(-2000)}${r.stderr.slice(-2000)}`);
  }
  if (!(report.heldOutAuc > 0.85)) throw new FigureError(`${what} trained a model with held-out AUC ${report.heldOutAuc}: not a working model`);
  return { report, peakMB: r.memory.peakMB, samples: r.memory.samples };
}

/**
 * train_throughput_1m and train_rss_1m, from the same runs: a fresh process per run
 * (bench/workers/ml-train.ts) generates 1,000,000 reviews, featurizes them and trains with the
 * default options (L2, 4 epochs, FTRL-Proximal), reporting each phase's time; its peak RSS
 * (VmHWM) is read from /proc/<pid>/status every 50 ms.
 * - train_throughput_1m = 1,000,000 / (featurize + train time): reviews trained on per second.
 * - train_rss_1m = the run's peak RSS; floor: the same worker loading its modules, no rows.
 */
const train1m: Benchmark = {
  figures: ["train_throughput_1m", "train_rss_1m"],
  async run(ctx) {
    if (!canSampleMemory()) throw new FigureError("train_rss_1m reads /proc/<pid>/status: Linux only");
    const floor = await sampleIn("MB", "train_rss_1m: floor (the worker loading its modules), peak RSS", ctx.sampling("fast"), async () => (await trainWorker(0, 1)).peakMB);
    // Three runs, no warm-up (each is a fresh process: there is nothing to warm), one with --quick.
    const sampling: Sampling = ctx.quick ? { warmup: 0, runs: 1 } : { warmup: 0, runs: 3 };
    const reports: TrainReport[] = [];
    const peaks: number[] = [];
    let run = 0;
    progress(`  train_1m: ${sampling.runs} runs of generate + featurize + train on ${format(ROWS)} reviews, each in a fresh process (10–30 s each)...`);
    for (let i = 0; i < sampling.warmup + sampling.runs; i++) {
      const r = await trainWorker(ROWS, ++run);
      const rep = r.report!;
      progress(`  train_1m: ${i < sampling.warmup ? "warm-up" : "run"}: generate ${seconds(rep.generateSeconds)}, featurize ${seconds(rep.featurizeSeconds)}, train ${seconds(rep.trainSeconds)} (${rep.epochs} epochs), peak RSS ${format(r.peakMB)} MB, held-out AUC ${rep.heldOutAuc.toFixed(3)}`);
      if (i < sampling.warmup) continue;
      reports.push(rep);
      peaks.push(r.peakMB);
    }
    const throughput = reports.map((r) => r.rows / (r.featurizeSeconds + r.trainSeconds));
    const tp: Sample = { median: median(throughput), samples: throughput, sampling };
    const rss: Sample = { median: median(peaks), samples: peaks, sampling };
    const mid = reports[reports.length >> 1]!;
    return {
      train_throughput_1m: {
        value: tp.median,
        unit: "rows/s",
        notes: [
          `${format(ROWS)} reviews / (featurize + train) time, in a fresh process per run: ${describeSample(tp, "rows/s")}`,
          `a run: featurize ${seconds(mid.featurizeSeconds)} (${format(mid.nnz)} features), train ${seconds(mid.trainSeconds)} for ${mid.epochs} epochs = ${format((mid.rows * mid.epochs) / mid.trainSeconds)} row-epochs/s, ${format(mid.nonZeroWeights)} non-zero weights, held-out AUC ${mid.heldOutAuc.toFixed(3)}; generating the reviews (${seconds(mid.generateSeconds)}) is not counted`,
        ],
      },
      train_rss_1m: {
        value: rss.median,
        unit: "MB",
        floor: floor.median,
        ratio: rss.median / floor.median,
        goal: { of: "value", op: "<", limit: 2048, text: "< 2 GB" },
        notes: [
          `peak RSS (VmHWM, /proc/<pid>/status every ${EVERY_MS} ms) of the process generating, featurizing and training on ${format(ROWS)} reviews: ${describeSample(rss, "MB")}`,
          `floor: the same worker loading tsx and its modules, then exiting: ${describeSample(floor, "MB")}`,
        ],
      },
    };
  },
};

export const mlFigures: readonly Benchmark[] = [score1m, train1m];
