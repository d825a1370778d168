/**
 * Combining the votes of weak labelling functions (after AutoWS-Bench-101 and Weaver, "Shrinking the
 * Generation-Verification Gap with Weak Verifiers"): the plain majority vote; Dawid and Skene's estimate of each
 * function's confusion matrix from unlabelled votes alone (EM); and a vote weighted by each function's accuracy
 * measured on a few labels (shared/METHODS.md section 5). Dawid-Skene here is the original class-conditional model,
 * a confusion matrix per function; the weighted vote is the one-coin model's posterior, with each function's
 * accuracy measured on the labels instead of estimated. Votes are K arrays (one per function) of class indices over
 * the same n examples. Pure functions: no tensors.
 */
import { checkpoint } from '../../cancellation';

export interface Combined {
  /** The chosen class per example. */
  classes: Int32Array;
  /** Row-major class probabilities (the vote shares for the plain vote), for the calibration error. */
  probabilities: Float32Array;
}

function checkVotes(votes: readonly ArrayLike<number>[], numClasses: number): number {
  if (votes.length === 0) throw new Error('no labelling functions to combine');
  const n = votes[0].length;
  for (const v of votes) {
    if (v.length !== n) throw new Error('labelling functions voted on different numbers of examples');
    for (let i = 0; i < n; i++) if (!(v[i] >= 0 && v[i] < numClasses)) throw new Error(`a vote outside the ${numClasses} classes: ${v[i]}`);
  }
  return n;
}

/** Each row's argmax; ties go to the lowest class. */
function argmax(scores: Float32Array | Float64Array, n: number, numClasses: number): Int32Array {
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let c = 1; c < numClasses; c++) if (scores[i * numClasses + c] > scores[i * numClasses + best]) best = c;
    out[i] = best;
  }
  return out;
}

/** Turns row-major log scores into probabilities, row by row. */
function softmaxRows(logScores: Float64Array, n: number, numClasses: number): Float32Array {
  const out = new Float32Array(n * numClasses);
  for (let i = 0; i < n; i++) {
    let max = -Infinity;
    for (let c = 0; c < numClasses; c++) max = Math.max(max, logScores[i * numClasses + c]);
    let sum = 0;
    for (let c = 0; c < numClasses; c++) sum += Math.exp(logScores[i * numClasses + c] - max);
    for (let c = 0; c < numClasses; c++) out[i * numClasses + c] = Math.exp(logScores[i * numClasses + c] - max) / sum;
  }
  return out;
}

/** The plain vote: each function one vote, the most voted class wins (ties: the lowest class). */
export function majorityVote(votes: readonly ArrayLike<number>[], numClasses: number): Combined {
  const n = checkVotes(votes, numClasses);
  const counts = new Float32Array(n * numClasses);
  for (const v of votes) for (let i = 0; i < n; i++) counts[i * numClasses + v[i]] += 1;
  // Shares from whole counts: ten votes of 0.1 summed in float32 would exceed 1.
  const probabilities = counts.map((count) => count / votes.length);
  return { classes: argmax(counts, n, numClasses), probabilities };
}

/**
 * Log-odds weights from each function's accuracy on labelled examples, a_k = (right + 1) / (n + 2):
 * w_k = log(a_k (C - 1) / (1 - a_k)). A function at chance (1/C) weighs 0; one worse than chance counts against
 * its class.
 */
export function fittedWeights(votes: readonly ArrayLike<number>[], labels: ArrayLike<number>, numClasses: number): number[] {
  const n = checkVotes(votes, numClasses);
  if (labels.length !== n) throw new Error('labels and votes differ in length');
  return votes.map((v) => {
    let right = 0;
    for (let i = 0; i < n; i++) if (v[i] === labels[i]) right++;
    const a = (right + 1) / (n + 2);
    return Math.log((a * (numClasses - 1)) / (1 - a));
  });
}

/** The weighted vote: class c scores the sum of the weights of the functions voting c; probabilities = softmax of the scores. */
export function weightedVote(votes: readonly ArrayLike<number>[], weights: readonly number[], numClasses: number): Combined {
  const n = checkVotes(votes, numClasses);
  if (weights.length !== votes.length) throw new Error('one weight per labelling function');
  const scores = new Float64Array(n * numClasses);
  votes.forEach((v, k) => {
    for (let i = 0; i < n; i++) scores[i * numClasses + v[i]] += weights[k];
  });
  const probabilities = softmaxRows(scores, n, numClasses);
  return { classes: argmax(probabilities, n, numClasses), probabilities };
}

/** Dawid and Skene's label model: a class prior and, per function, P(vote l | true class c). */
export interface DawidSkeneModel {
  prior: Float64Array;
  /** Per function, row-major C x C: confusion[k][c * C + l] = P(function k votes l | class c). */
  confusion: Float64Array[];
}

/** Log P(class c | votes) up to a constant, row-major. */
function logPosterior(model: DawidSkeneModel, votes: readonly ArrayLike<number>[], n: number, numClasses: number): Float64Array {
  const out = new Float64Array(n * numClasses);
  const logPrior = model.prior.map(Math.log);
  const logConfusion = model.confusion.map((m) => m.map(Math.log));
  for (let i = 0; i < n; i++)
    for (let c = 0; c < numClasses; c++) {
      let s = logPrior[c];
      for (let k = 0; k < votes.length; k++) s += logConfusion[k][c * numClasses + votes[k][i]];
      out[i * numClasses + c] = s;
    }
  return out;
}

/**
 * Fits Dawid-Skene by EM on unlabelled votes, starting from the vote shares. M-step (with `smoothing` added to each
 * count): prior_c ~ sum_i T_ic, confusion_k[c][l] ~ sum_i T_ic [v_ik = l]; E-step: T_ic ~ prior_c prod_k confusion_k[c][v_ik].
 * Stops between iterations once `signal` aborts.
 */
export async function fitDawidSkene(
  votes: readonly ArrayLike<number>[],
  numClasses: number,
  iterations: number,
  signal?: AbortSignal,
  smoothing = 1,
): Promise<DawidSkeneModel> {
  const n = checkVotes(votes, numClasses);
  let posterior: Float32Array = majorityVote(votes, numClasses).probabilities;
  let model: DawidSkeneModel = { prior: new Float64Array(numClasses), confusion: [] };
  for (let it = 0; it < iterations; it++) {
    await checkpoint(signal);
    const prior = new Float64Array(numClasses).fill(smoothing);
    for (let i = 0; i < n; i++) for (let c = 0; c < numClasses; c++) prior[c] += posterior[i * numClasses + c];
    const total = prior.reduce((a, b) => a + b, 0);
    const confusion = votes.map((v) => {
      const m = new Float64Array(numClasses * numClasses).fill(smoothing);
      for (let i = 0; i < n; i++) for (let c = 0; c < numClasses; c++) m[c * numClasses + v[i]] += posterior[i * numClasses + c];
      for (let c = 0; c < numClasses; c++) {
        let row = 0;
        for (let l = 0; l < numClasses; l++) row += m[c * numClasses + l];
        for (let l = 0; l < numClasses; l++) m[c * numClasses + l] /= row;
      }
      return m;
    });
    model = { prior: prior.map((p) => p / total), confusion };
    posterior = softmaxRows(logPosterior(model, votes, n, numClasses), n, numClasses);
  }
  return model;
}

/** The fitted label model's most likely class on (other) votes. */
export function applyDawidSkene(model: DawidSkeneModel, votes: readonly ArrayLike<number>[], numClasses: number): Combined {
  const n = checkVotes(votes, numClasses);
  if (model.confusion.length !== votes.length) throw new Error('one confusion matrix per labelling function');
  const probabilities = softmaxRows(logPosterior(model, votes, n, numClasses), n, numClasses);
  return { classes: argmax(probabilities, n, numClasses), probabilities };
}
