/**
 * Metrics over per-example predictions (shared/METHODS.md section 4). Pure functions on class indices and
 * probabilities, so the UI computes exactly what the CLI reports from the same arrays.
 */

export function accuracy(predictions: ArrayLike<number>, labels: ArrayLike<number>): number {
  if (predictions.length !== labels.length) throw new Error('predictions and labels differ in length');
  if (labels.length === 0) return NaN;
  let right = 0;
  for (let i = 0; i < labels.length; i++) if (predictions[i] === labels[i]) right++;
  return right / labels.length;
}

export type Pgr = { value: number; reason: null } | { value: null; reason: string };

/** Performance gap recovered: (student - weak) / (ceiling - weak); n/a when the ceiling does not beat the weak model. */
export function performanceGapRecovered(weak: number, ceiling: number, student: number): Pgr {
  if (!(ceiling > weak)) {
    return {
      value: null,
      reason: `n/a: the ceiling (${(ceiling * 100).toFixed(1)}%) does not beat the supervisor (${(weak * 100).toFixed(1)}%), so there is no gap to recover`,
    };
  }
  return { value: (student - weak) / (ceiling - weak), reason: null };
}

export interface MistakeBreakdown {
  total: number;
  bothRight: number;
  /** Supervisor wrong, student right. */
  beats: number;
  /** Supervisor wrong, student makes the same mistake. */
  copies: number;
  /** Supervisor wrong, student wrong differently. */
  otherWrong: number;
  /** Supervisor right, student wrong. */
  regresses: number;
  supervisorWrong: number;
  /** beats / supervisorWrong (null when the supervisor is never wrong). */
  beatRate: number | null;
  /** copies / supervisorWrong: the paper's agreement on the supervisor's mistakes. */
  copyRate: number | null;
  /** Overall share of examples where student and supervisor predict the same class. */
  agreement: number;
  /** Agreement where the supervisor is right (= 1 - regresses / supervisorRight). */
  agreementWhenSupervisorRight: number | null;
  /** Agreement where the supervisor is wrong (= copyRate). */
  agreementWhenSupervisorWrong: number | null;
}

export type MistakeCategory = 'bothRight' | 'beats' | 'copies' | 'otherWrong' | 'regresses';

export function categorise(truth: number, supervisor: number, student: number): MistakeCategory {
  if (supervisor === truth) return student === truth ? 'bothRight' : 'regresses';
  if (student === truth) return 'beats';
  return student === supervisor ? 'copies' : 'otherWrong';
}

export function mistakeBreakdown(labels: ArrayLike<number>, supervisor: ArrayLike<number>, student: ArrayLike<number>): MistakeBreakdown {
  const n = labels.length;
  if (supervisor.length !== n || student.length !== n) throw new Error('labels and predictions differ in length');
  const counts: Record<MistakeCategory, number> = { bothRight: 0, beats: 0, copies: 0, otherWrong: 0, regresses: 0 };
  let agree = 0;
  for (let i = 0; i < n; i++) {
    counts[categorise(labels[i], supervisor[i], student[i])]++;
    if (supervisor[i] === student[i]) agree++;
  }
  const supervisorWrong = counts.beats + counts.copies + counts.otherWrong;
  const supervisorRight = counts.bothRight + counts.regresses;
  const rate = (k: number, of: number) => (of > 0 ? k / of : null);
  return {
    total: n,
    ...counts,
    supervisorWrong,
    beatRate: rate(counts.beats, supervisorWrong),
    copyRate: rate(counts.copies, supervisorWrong),
    agreement: n > 0 ? agree / n : NaN,
    agreementWhenSupervisorRight: rate(counts.bothRight, supervisorRight),
    agreementWhenSupervisorWrong: rate(counts.copies, supervisorWrong),
  };
}

/** One bin of a reliability diagram: how many predictions fell in it, their mean confidence and the share right. */
export interface ReliabilityBin {
  /** The bin's confidence range [from, to). */
  from: number;
  to: number;
  count: number;
  /** Mean confidence of its predictions (NaN when empty). */
  confidence: number;
  /** Share of its predictions that were right (NaN when empty). */
  accuracy: number;
}

/**
 * A reliability diagram's bins (shared/METHODS.md section 5): `bins` equal-width bins over confidence in [0, 1]
 * (1 goes in the last), each with its count, mean confidence and share of right predictions.
 */
export function reliabilityBins(confidences: ArrayLike<number>, right: ArrayLike<boolean | number>, bins = 10): ReliabilityBin[] {
  const n = confidences.length;
  if (right.length !== n) throw new Error('confidences and outcomes differ in length');
  const count = new Float64Array(bins);
  const correct = new Float64Array(bins);
  const confidence = new Float64Array(bins);
  for (let i = 0; i < n; i++) {
    const p = confidences[i];
    const bin = Math.min(bins - 1, Math.floor(p * bins));
    count[bin]++;
    confidence[bin] += p;
    if (right[i]) correct[bin]++;
  }
  return Array.from({ length: bins }, (_, b) => ({
    from: b / bins,
    to: (b + 1) / bins,
    count: count[b],
    confidence: confidence[b] / count[b],
    accuracy: correct[b] / count[b],
  }));
}

/** Expected calibration error of reliability bins over n predictions: sum_b |B_b|/n * |acc(B_b) - conf(B_b)|. */
export function calibrationError(bins: readonly ReliabilityBin[]): number {
  const n = bins.reduce((sum, b) => sum + b.count, 0);
  let ece = 0;
  for (const b of bins) if (b.count > 0) ece += (b.count / n) * Math.abs(b.accuracy - b.confidence);
  return ece;
}

/** Expected calibration error with equal-width bins over the top-class probability: sum_b |B_b|/n * |acc(B_b) - conf(B_b)|. */
export function expectedCalibrationError(probabilities: Float32Array, numClasses: number, labels: ArrayLike<number>, bins = 10): number {
  const n = labels.length;
  const confidences = new Float64Array(n);
  const right = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let c = 1; c < numClasses; c++) if (probabilities[i * numClasses + c] > probabilities[i * numClasses + best]) best = c;
    confidences[i] = probabilities[i * numClasses + best];
    right[i] = best === labels[i] ? 1 : 0;
  }
  return calibrationError(reliabilityBins(confidences, right, bins));
}

/**
 * Area under the ROC curve of `scores` for telling positives from negatives: the probability that a random positive
 * scores above a random negative, ties counting one half (the Mann-Whitney U statistic over both counts). NaN
 * without a positive or without a negative.
 */
export function auroc(scores: ArrayLike<number>, positive: ArrayLike<boolean | number>): number {
  const n = scores.length;
  if (positive.length !== n) throw new Error('scores and outcomes differ in length');
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[a] - scores[b]);
  let positives = 0;
  let rankSum = 0;
  for (let start = 0; start < n;) {
    let end = start;
    while (end + 1 < n && scores[order[end + 1]] === scores[order[start]]) end++;
    // Tied scores share the mean of their ranks (1-based).
    const rank = (start + end) / 2 + 1;
    for (let k = start; k <= end; k++) {
      if (positive[order[k]]) {
        positives++;
        rankSum += rank;
      }
    }
    start = end + 1;
  }
  const negatives = n - positives;
  if (positives === 0 || negatives === 0) return NaN;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/** Class index of the largest value in each row. */
export function argmaxRows(values: Float32Array, numClasses: number): Int32Array {
  const rows = values.length / numClasses;
  const out = new Int32Array(rows);
  for (let i = 0; i < rows; i++) {
    let best = 0;
    for (let c = 1; c < numClasses; c++) if (values[i * numClasses + c] > values[i * numClasses + best]) best = c;
    out[i] = best;
  }
  return out;
}

/** A copy of a row-major n x width matrix with each column's mean subtracted. */
function centredColumns(values: ArrayLike<number>, n: number, width: number): Float64Array {
  const out = Float64Array.from(values);
  for (let j = 0; j < width; j++) {
    let mean = 0;
    for (let i = 0; i < n; i++) mean += out[i * width + j];
    mean /= n;
    for (let i = 0; i < n; i++) out[i * width + j] -= mean;
  }
  return out;
}

/** A^T B (aWidth x bWidth, row-major) for row-major A (n x aWidth) and B (n x bWidth). */
function crossProduct(a: Float64Array, aWidth: number, b: Float64Array, bWidth: number, n: number): Float64Array {
  const product = new Float64Array(aWidth * bWidth);
  for (let i = 0; i < n; i++) {
    for (let p = 0; p < aWidth; p++) {
      const value = a[i * aWidth + p];
      if (value === 0) continue;
      for (let q = 0; q < bWidth; q++) product[p * bWidth + q] += value * b[i * bWidth + q];
    }
  }
  return product;
}

function rowsOf(x: ArrayLike<number>, xWidth: number, y: ArrayLike<number>, yWidth: number): number {
  const n = x.length / xWidth;
  if (!Number.isInteger(n) || y.length !== n * yWidth) throw new Error('the two representations differ in their number of rows');
  return n;
}

/**
 * Linear CKA (Kornblith et al. 2019) between two representations of the same n examples (row-major, widths may
 * differ): with both centred on their column means, ||Y^T X||_F^2 / (||X^T X||_F ||Y^T Y||_F). 1 for the same
 * representation up to rotation and scale, 0 for unrelated ones. NaN when either is constant.
 */
export function linearCka(x: ArrayLike<number>, xWidth: number, y: ArrayLike<number>, yWidth: number): number {
  const n = rowsOf(x, xWidth, y, yWidth);
  /** ||A^T B||_F^2 */
  const crossNorm = (a: Float64Array, aWidth: number, b: Float64Array, bWidth: number) =>
    crossProduct(a, aWidth, b, bWidth, n).reduce((sum, v) => sum + v * v, 0);
  const cx = centredColumns(x, n, xWidth);
  const cy = centredColumns(y, n, yWidth);
  return crossNorm(cy, yWidth, cx, xWidth) / Math.sqrt(crossNorm(cx, xWidth, cx, xWidth) * crossNorm(cy, yWidth, cy, yWidth));
}

/**
 * How much of Y a linear map of X explains: fit Y ~ X B + c by least squares (a ridge of 1e-6 of X's mean
 * variance keeps it solvable), then R^2 = 1 - sum of squared residuals / sum of squared deviations of Y from its
 * column means, over every column of Y. 1: Y is an affine function of X; 0: X explains nothing of it.
 */
export function linearFitR2(x: ArrayLike<number>, xWidth: number, y: ArrayLike<number>, yWidth: number): number {
  const n = rowsOf(x, xWidth, y, yWidth);
  const cx = centredColumns(x, n, xWidth);
  const cy = centredColumns(y, n, yWidth);
  const gram = crossProduct(cx, xWidth, cx, xWidth, n);
  let trace = 0;
  for (let p = 0; p < xWidth; p++) trace += gram[p * xWidth + p];
  for (let p = 0; p < xWidth; p++) gram[p * xWidth + p] += 1e-6 * (trace / xWidth) + 1e-12;
  // Cholesky: gram = L L^T, then B = gram^-1 X^T Y column by column.
  const L = new Float64Array(xWidth * xWidth);
  for (let i = 0; i < xWidth; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = gram[i * xWidth + j];
      for (let k = 0; k < j; k++) sum -= L[i * xWidth + k] * L[j * xWidth + k];
      L[i * xWidth + j] = i === j ? Math.sqrt(Math.max(sum, 1e-300)) : sum / L[j * xWidth + j];
    }
  }
  const xty = crossProduct(cx, xWidth, cy, yWidth, n);
  const B = new Float64Array(xWidth * yWidth);
  const z = new Float64Array(xWidth);
  for (let q = 0; q < yWidth; q++) {
    for (let i = 0; i < xWidth; i++) {
      let sum = xty[i * yWidth + q];
      for (let k = 0; k < i; k++) sum -= L[i * xWidth + k] * z[k];
      z[i] = sum / L[i * xWidth + i];
    }
    for (let i = xWidth - 1; i >= 0; i--) {
      let sum = z[i];
      for (let k = i + 1; k < xWidth; k++) sum -= L[k * xWidth + i] * B[k * yWidth + q];
      B[i * yWidth + q] = sum / L[i * xWidth + i];
    }
  }
  let residual = 0;
  let total = 0;
  for (let i = 0; i < n; i++) {
    for (let q = 0; q < yWidth; q++) {
      let fitted = 0;
      for (let p = 0; p < xWidth; p++) fitted += cx[i * xWidth + p] * B[p * yWidth + q];
      const target = cy[i * yWidth + q];
      residual += (target - fitted) ** 2;
      total += target ** 2;
    }
  }
  return total > 0 ? 1 - residual / total : NaN;
}
