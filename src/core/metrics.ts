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

/** One bin of a reliability diagram: the predictions whose confidence falls in [lower, upper). */
export interface ReliabilityBin {
  lower: number;
  upper: number;
  /** Predictions in the bin. */
  count: number;
  /** Of them, how many were right. */
  correct: number;
  /** Their mean confidence (null for an empty bin). */
  meanConfidence: number | null;
}

/**
 * A reliability diagram's bins (METHODS.md section 5) for any confidence score and its outcome: `bins` equal-width
 * bins over [0, 1] (1 goes in the last), each with its count, right answers and mean confidence.
 */
export function outcomeReliabilityBins(confidences: ArrayLike<number>, right: ArrayLike<boolean | number>, bins = 10): ReliabilityBin[] {
  const n = confidences.length;
  if (right.length !== n) throw new Error('confidences and outcomes differ in length');
  const count = new Float64Array(bins);
  const correct = new Float64Array(bins);
  const confidence = new Float64Array(bins);
  for (let i = 0; i < n; i++) {
    // Float32 rounding (a softmax on a GPU, shares summed in float32) may land a hair outside [0, 1]: put it back.
    const p = Math.min(1, Math.max(0, confidences[i]));
    if (!(Math.abs(p - confidences[i]) <= 1e-5)) throw new Error(`confidence ${confidences[i]} of prediction ${i} is not in [0, 1]`);
    const bin = Math.min(bins - 1, Math.floor(p * bins));
    count[bin]++;
    confidence[bin] += p;
    if (right[i]) correct[bin]++;
  }
  return Array.from({ length: bins }, (_, b) => ({
    lower: b / bins,
    upper: (b + 1) / bins,
    count: count[b],
    correct: correct[b],
    meanConfidence: count[b] > 0 ? confidence[b] / count[b] : null,
  }));
}

/** The reliability bins of a classifier's top-class probability against the labels. */
export function reliabilityBins(probabilities: Float32Array, numClasses: number, labels: ArrayLike<number>, bins = 10): ReliabilityBin[] {
  const n = labels.length;
  if (probabilities.length !== n * numClasses) throw new Error('probabilities and labels differ in length');
  const confidences = new Float64Array(n);
  const right = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let c = 1; c < numClasses; c++) if (probabilities[i * numClasses + c] > probabilities[i * numClasses + best]) best = c;
    confidences[i] = probabilities[i * numClasses + best];
    right[i] = best === labels[i] ? 1 : 0;
  }
  return outcomeReliabilityBins(confidences, right, bins);
}

/** Expected calibration error from reliability bins: sum_b |B_b|/n * |acc(B_b) - conf(B_b)|. */
export function calibrationError(bins: ReliabilityBin[]): number {
  const n = bins.reduce((sum, bin) => sum + bin.count, 0);
  let ece = 0;
  for (const bin of bins) if (bin.count > 0) ece += (bin.count / n) * Math.abs(bin.correct / bin.count - (bin.meanConfidence as number));
  return ece;
}

/** Expected calibration error with equal-width confidence bins (see reliabilityBins). */
export function expectedCalibrationError(probabilities: Float32Array, numClasses: number, labels: ArrayLike<number>, bins = 10): number {
  return calibrationError(reliabilityBins(probabilities, numClasses, labels, bins));
}

/** The ECE and the reliability bins it comes from, for a results file. */
export function calibration(probabilities: Float32Array, numClasses: number, labels: ArrayLike<number>): { ece: number; reliability: ReliabilityBin[] } {
  const reliability = reliabilityBins(probabilities, numClasses, labels);
  return { ece: calibrationError(reliability), reliability };
}

/**
 * Counts of (true class, predicted class) over a set: row = truth, column = prediction. Class indices outside
 * [0, numClasses) are refused, not counted somewhere.
 */
export function confusionMatrix(labels: ArrayLike<number>, predictions: ArrayLike<number>, numClasses: number): number[][] {
  if (predictions.length !== labels.length) throw new Error('predictions and labels differ in length');
  const matrix = Array.from({ length: numClasses }, () => new Array<number>(numClasses).fill(0));
  for (let i = 0; i < labels.length; i++) {
    const truth = labels[i];
    const predicted = predictions[i];
    if (!(truth >= 0 && truth < numClasses && predicted >= 0 && predicted < numClasses) || !Number.isInteger(truth) || !Number.isInteger(predicted)) {
      throw new Error(`example ${i}: class ${truth} or ${predicted} is not one of the ${numClasses} classes`);
    }
    matrix[truth][predicted]++;
  }
  return matrix;
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

/**
 * Linear CKA (Kornblith et al. 2019) between two representations X (n x a) and Y (n x b) of the same examples, from
 * their Gram matrices after centring each column: ||Y^T X||_F^2 / (||X^T X||_F ||Y^T Y||_F). 1 for the same
 * representation up to rotation and scale, 0 for unrelated ones. The products are the caller's (on the device for
 * large sets); any layout will do, only the sums of squares count.
 */
export function linearCka(grams: { xx: ArrayLike<number>; yy: ArrayLike<number>; yx: ArrayLike<number> }): number {
  const squares = (values: ArrayLike<number>) => {
    let sum = 0;
    for (let i = 0; i < values.length; i++) sum += values[i] * values[i];
    return sum;
  };
  return squares(grams.yx) / Math.sqrt(squares(grams.xx) * squares(grams.yy));
}
