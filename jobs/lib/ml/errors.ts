/**
 * Typed errors of the ML library (`jobs/lib/ml`). Every error has a stable `code` and a
 * message that names the offending input, so a failed task's record says what to fix.
 *
 * @example
 * ```ts
 * try { parseFeaturizerConfig(JSON.parse(text)); }
 * catch (error) { if (error instanceof FeaturizerConfigError) ctx.log.error(error.message); throw error; }
 * ```
 */
export class MlError extends Error {
  /** Stable identifier of the kind of problem, e.g. `ML_FEATURIZER_CONFIG`. */
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/**
 * A featurizer configuration that is not valid (unknown field, out-of-range hash bits...).
 *
 * @example
 * ```ts
 * featurizerConfig({ hashBits: 40 }); // throws FeaturizerConfigError: hashBits must be an integer in 2..28, got 40
 * ```
 */
export class FeaturizerConfigError extends MlError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("ML_FEATURIZER_CONFIG", message, options);
  }
}

/**
 * Review data that cannot be generated, written or read: bad options, a missing or mistyped
 * column, an unreadable file.
 *
 * @example
 * ```ts
 * readReviewBatch("data/batch-0001.arrow"); // throws ReviewDataError when the file lacks a `text` column
 * ```
 */
export class ReviewDataError extends MlError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("ML_REVIEW_DATA", message, options);
  }
}

/**
 * Inputs a model cannot be trained or applied on: mismatched lengths, labels outside {0, 1},
 * feature indices outside the model's width, bad hyper-parameters.
 *
 * @example
 * ```ts
 * trainLogReg(csr, labels.subarray(1)); // throws TrainingError: 999 labels for 1000 rows
 * ```
 */
export class TrainingError extends MlError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("ML_TRAINING", message, options);
  }
}

/**
 * A metric that cannot be computed: different lengths, NaN scores, no rows, AUC of one class.
 *
 * @example
 * ```ts
 * auc(Uint8Array.of(1, 1), Float64Array.of(0.2, 0.9)); // throws MetricError: AUC needs both classes
 * ```
 */
export class MetricError extends MlError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("ML_METRIC", message, options);
  }
}

/**
 * An ONNX model that is not one this library exported (missing initializer, unexpected graph),
 * or scoring inputs it cannot take.
 *
 * @example
 * ```ts
 * readOnnxModel(someOtherModelBytes); // throws OnnxModelError: no initializer "weights"
 * ```
 */
export class OnnxModelError extends MlError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("ML_ONNX_MODEL", message, options);
  }
}
