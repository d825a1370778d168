/**
 * Test-time intervention (Saha et al. 2023, "Can Language Models Teach Weaker Agents?"): the teacher replaces a
 * budget of the student's answers with its own. Which answers it replaces is a ranking of the test examples; a
 * budget of k takes the first k. The rankings, the teacher's "mental model" of where the student goes wrong
 * (a logistic regression on the teacher's own view of an example, fit on the few examples where it watched the
 * student answer), and the accuracy after an intervention. Plain arrays, no tfjs.
 */
import { checkpoint } from '../../cancellation';

/** What the teacher sees of an example: its class probabilities, its top probability and its entropy. */
export function teacherView(probabilities: Float32Array, numClasses: number): Float64Array {
  const rows = probabilities.length / numClasses;
  const dims = numClasses + 2;
  const out = new Float64Array(rows * dims);
  for (let i = 0; i < rows; i++) {
    let top = 0;
    let entropy = 0;
    for (let c = 0; c < numClasses; c++) {
      const p = probabilities[i * numClasses + c];
      out[i * dims + c] = p;
      top = Math.max(top, p);
      if (p > 0) entropy -= p * Math.log(p);
    }
    out[i * dims + numClasses] = top;
    out[i * dims + numClasses + 1] = entropy;
  }
  return out;
}

export interface LogisticFit {
  /** Per feature: mean and spread of the training rows (features are standardised with them). */
  mean: Float64Array;
  scale: Float64Array;
  weights: Float64Array;
  bias: number;
}

export interface LogisticSettings {
  l2: number;
  steps: number;
  learningRate: number;
}

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

/**
 * Logistic regression by full-batch gradient descent on standardised features, from zero weights (no random
 * start): minimises mean binary cross-entropy + (l2 / 2) |w|^2 (the bias is not penalised).
 */
export async function fitLogistic(
  features: Float64Array,
  dims: number,
  targets: ArrayLike<number>,
  settings: LogisticSettings,
  signal?: AbortSignal,
): Promise<LogisticFit> {
  const rows = targets.length;
  const mean = new Float64Array(dims);
  const scale = new Float64Array(dims);
  for (let i = 0; i < rows; i++) for (let d = 0; d < dims; d++) mean[d] += features[i * dims + d] / rows;
  for (let i = 0; i < rows; i++) for (let d = 0; d < dims; d++) scale[d] += (features[i * dims + d] - mean[d]) ** 2 / rows;
  for (let d = 0; d < dims; d++) scale[d] = Math.sqrt(scale[d]) || 1;
  const x = Float64Array.from(features, (v, j) => (v - mean[j % dims]) / scale[j % dims]);
  const weights = new Float64Array(dims);
  let bias = 0;
  const gradient = new Float64Array(dims);
  for (let step = 0; step < settings.steps; step++) {
    await checkpoint(signal);
    gradient.fill(0);
    let biasGradient = 0;
    for (let i = 0; i < rows; i++) {
      let z = bias;
      for (let d = 0; d < dims; d++) z += weights[d] * x[i * dims + d];
      const error = (sigmoid(z) - targets[i]) / rows;
      biasGradient += error;
      for (let d = 0; d < dims; d++) gradient[d] += error * x[i * dims + d];
    }
    for (let d = 0; d < dims; d++) weights[d] -= settings.learningRate * (gradient[d] + settings.l2 * weights[d]);
    bias -= settings.learningRate * biasGradient;
  }
  return { mean, scale, weights, bias };
}

/** The fitted probability of every row. */
export function predictLogistic(fit: LogisticFit, features: Float64Array): Float64Array {
  const dims = fit.weights.length;
  const rows = features.length / dims;
  const out = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    let z = fit.bias;
    for (let d = 0; d < dims; d++) z += (fit.weights[d] * (features[i * dims + d] - fit.mean[d])) / fit.scale[d];
    out[i] = sigmoid(z);
  }
  return out;
}

/** Row indices by score, highest first; ties in row order. */
export function rankDescending(scores: ArrayLike<number>): Int32Array {
  return Int32Array.from(Array.from({ length: scores.length }, (_, i) => i).sort((a, b) => scores[b] - scores[a] || a - b));
}

/** The top probability of every row: the student's confidence in its answer. */
export function confidence(probabilities: Float32Array, numClasses: number): Float64Array {
  const rows = probabilities.length / numClasses;
  const out = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    let top = 0;
    for (let c = 0; c < numClasses; c++) top = Math.max(top, probabilities[i * numClasses + c]);
    out[i] = top;
  }
  return out;
}

/** The class a teacher gives as its second choice on every row (what a misaligned teacher answers). */
export function secondChoice(probabilities: Float32Array, numClasses: number): Int32Array {
  const rows = probabilities.length / numClasses;
  const out = new Int32Array(rows);
  for (let i = 0; i < rows; i++) {
    let first = 0;
    for (let c = 1; c < numClasses; c++) if (probabilities[i * numClasses + c] > probabilities[i * numClasses + first]) first = c;
    let second = first === 0 ? 1 : 0;
    for (let c = 0; c < numClasses; c++) if (c !== first && probabilities[i * numClasses + c] > probabilities[i * numClasses + second]) second = c;
    out[i] = second;
  }
  return out;
}

/**
 * After the teacher replaces the first `budget` answers of `order` with `replacement`: the accuracy, and the share
 * of the replaced answers the student had wrong (null for a budget of 0).
 */
export function intervene(
  order: Int32Array,
  budget: number,
  student: ArrayLike<number>,
  replacement: ArrayLike<number>,
  labels: ArrayLike<number>,
): { accuracy: number; studentWrongAmongChosen: number | null } {
  const chosen = new Uint8Array(labels.length);
  for (let j = 0; j < budget; j++) chosen[order[j]] = 1;
  let right = 0;
  let wrongChosen = 0;
  for (let i = 0; i < labels.length; i++) {
    const answer = chosen[i] ? replacement[i] : student[i];
    if (answer === labels[i]) right++;
    if (chosen[i] && student[i] !== labels[i]) wrongChosen++;
  }
  return { accuracy: right / labels.length, studentWrongAmongChosen: budget > 0 ? wrongChosen / budget : null };
}

/** How many test answers a budget in percent covers. */
export function budgetCount(percent: number, rows: number): number {
  return Math.min(rows, Math.round((percent / 100) * rows));
}

/** Area under the ROC curve of `scores` for picking out the rows where `positive` is 1 (ties count half). */
export function auroc(scores: ArrayLike<number>, positive: ArrayLike<number>): number | null {
  const order = Array.from({ length: scores.length }, (_, i) => i).sort((a, b) => scores[a] - scores[b]);
  let positives = 0;
  let rankSum = 0;
  for (let start = 0; start < order.length;) {
    let end = start;
    while (end + 1 < order.length && scores[order[end + 1]] === scores[order[start]]) end++;
    const meanRank = (start + end) / 2 + 1;
    for (let j = start; j <= end; j++)
      if (positive[order[j]]) {
        positives++;
        rankSum += meanRank;
      }
    start = end + 1;
  }
  const negatives = order.length - positives;
  if (positives === 0 || negatives === 0) return null;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}
