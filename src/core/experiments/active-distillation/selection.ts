/**
 * Which pool points a student asks its teacher to label (shared/METHODS.md section 5, active distillation): by
 * the student's uncertainty (entropy), by uncertainty weighted with the teacher's confidence, or spread out by
 * greedy k-center in the student's probability space. Plain arrays, no tfjs.
 */
import { checkpoint } from '../../cancellation';

/** Entropy of every row's distribution, in nats. */
export function entropies(probabilities: Float32Array, numClasses: number): Float64Array {
  const rows = probabilities.length / numClasses;
  const out = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    let h = 0;
    for (let c = 0; c < numClasses; c++) {
      const p = probabilities[i * numClasses + c];
      if (p > 0) h -= p * Math.log(p);
    }
    out[i] = h;
  }
  return out;
}

/** The top probability of every row. */
export function topProbabilities(probabilities: Float32Array, numClasses: number): Float64Array {
  const rows = probabilities.length / numClasses;
  const out = new Float64Array(rows);
  for (let i = 0; i < rows; i++) for (let c = 0; c < numClasses; c++) out[i] = Math.max(out[i], probabilities[i * numClasses + c]);
  return out;
}

/** Up to `count` rows not yet `taken`, by score, highest first (ties in row order). */
export function highestScores(scores: ArrayLike<number>, taken: Uint8Array, count: number): Int32Array {
  const free = Array.from({ length: scores.length }, (_, i) => i).filter((i) => !taken[i]);
  free.sort((a, b) => scores[b] - scores[a] || a - b);
  return Int32Array.from(free.slice(0, count));
}

/**
 * Greedy k-center (Sener and Savarese 2018): starting from the `taken` rows as centres (at least one), repeatedly
 * takes the row farthest (Euclidean) from its nearest centre, up to `count` rows; ties go to the lowest row.
 */
export async function kCenterGreedy(points: Float32Array, dims: number, taken: Uint8Array, count: number, signal?: AbortSignal): Promise<Int32Array> {
  const rows = points.length / dims;
  const nearest = new Float64Array(rows).fill(Infinity);
  const chosen = Uint8Array.from(taken);
  const update = (center: number) => {
    for (let i = 0; i < rows; i++) {
      let d = 0;
      for (let k = 0; k < dims; k++) d += (points[i * dims + k] - points[center * dims + k]) ** 2;
      if (d < nearest[i]) nearest[i] = d;
    }
  };
  let centres = 0;
  for (let i = 0; i < rows; i++) {
    if (!taken[i]) continue;
    update(i);
    centres++;
    await checkpoint(signal);
  }
  if (centres === 0) throw new Error('k-center needs at least one starting centre');
  const order: number[] = [];
  while (order.length < count) {
    await checkpoint(signal);
    let best = -1;
    for (let i = 0; i < rows; i++) if (!chosen[i] && (best < 0 || nearest[i] > nearest[best])) best = i;
    if (best < 0) break;
    chosen[best] = 1;
    order.push(best);
    update(best);
  }
  return Int32Array.from(order);
}
