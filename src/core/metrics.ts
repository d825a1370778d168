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

/** Expected calibration error with equal-width confidence bins: sum_b |B_b|/n * |acc(B_b) - conf(B_b)|. */
export function expectedCalibrationError(probabilities: Float32Array, numClasses: number, labels: ArrayLike<number>, bins = 10): number {
  const n = labels.length;
  const count = new Float64Array(bins);
  const correct = new Float64Array(bins);
  const confidence = new Float64Array(bins);
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let c = 1; c < numClasses; c++) if (probabilities[i * numClasses + c] > probabilities[i * numClasses + best]) best = c;
    const p = probabilities[i * numClasses + best];
    const bin = Math.min(bins - 1, Math.floor(p * bins));
    count[bin]++;
    confidence[bin] += p;
    if (best === labels[i]) correct[bin]++;
  }
  let ece = 0;
  for (let b = 0; b < bins; b++) if (count[b] > 0) ece += (count[b] / n) * Math.abs(correct[b] / count[b] - confidence[b] / count[b]);
  return ece;
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
