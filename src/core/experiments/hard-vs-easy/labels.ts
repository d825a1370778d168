/**
 * The labels of the hard-versus-easy study (after He et al. 2024, "Guiding Through Complexity: What Makes Good
 * Supervision for Hard Reasoning Tasks?"; shared/METHODS.md section 5). The hard task is the full classification;
 * its labels are wrong on a chosen share of examples, in one of three ways. The easy task is a coarse grouping of
 * the classes, labelled without error. Pure functions on class indices: no tensors.
 */

export const ERROR_KINDS = ['random', 'near-miss', 'systematic'] as const;
export type ErrorKind = (typeof ERROR_KINDS)[number];

export interface NoisySetting {
  kind: ErrorKind;
  rate: number;
  /** Stage name of the student on these labels alone, and with the easy labels added. */
  name: string;
  combined: string;
}

/** The noisy-label settings in the order they train: by kind of error, then by rate (ascending, each once). */
export function noisySettings(config: { errorRates: readonly number[]; errorKinds: readonly ErrorKind[] }): NoisySetting[] {
  const rates = [...new Set(config.errorRates)].sort((a, b) => a - b);
  const kinds = ERROR_KINDS.filter((k) => config.errorKinds.includes(k));
  return kinds.flatMap((kind) => rates.map((rate) => ({ kind, rate, name: `${kind}-${rate}`, combined: `${kind}-${rate}+easy` })));
}

/** The coarse group of class c: classes split into `groups` runs of consecutive classes. */
export function groupOf(c: number, groups: number, numClasses: number): number {
  return Math.floor((c * groups) / numClasses);
}

/** The classes of each coarse group, e.g. 5 groups of 10 digits: [0, 1], [2, 3], ..., [8, 9]. */
export function groupMembers(groups: number, numClasses: number): number[][] {
  const members: number[][] = Array.from({ length: groups }, () => []);
  for (let c = 0; c < numClasses; c++) members[groupOf(c, groups, numClasses)].push(c);
  return members;
}

/** What decides the wrong labels of one set: which examples go wrong first, and each example's candidates. */
export interface Corruption {
  /** Examples in the order they go wrong: a share r of the set is wrong on its first round(r n). */
  order: ArrayLike<number>;
  /** random: a class drawn at random among the others, once per example (so a higher rate only adds errors). */
  randomWrong: ArrayLike<number>;
  /** near-miss: the class a model trained on the truth finds most likely after the true one. */
  nearMiss: ArrayLike<number>;
}

/** The hard-task labels with a share `rate` of errors of one kind. */
export function corruptLabels(truth: ArrayLike<number>, rate: number, kind: ErrorKind, corruption: Corruption, numClasses: number): Int32Array {
  const labels = Int32Array.from(truth);
  const wrong = Math.round(rate * truth.length);
  for (let k = 0; k < wrong; k++) {
    const i = corruption.order[k];
    labels[i] = kind === 'random' ? corruption.randomWrong[i] : kind === 'near-miss' ? corruption.nearMiss[i] : (truth[i] + 1) % numClasses;
  }
  return labels;
}

/**
 * The most likely class other than the truth, per row of row-major scores (logits or probabilities): the
 * near miss of a model that knows the answer.
 */
export function nearMisses(scores: Float32Array, truth: ArrayLike<number>, numClasses: number): Int32Array {
  const out = new Int32Array(truth.length);
  for (let i = 0; i < truth.length; i++) {
    let best = -1;
    for (let c = 0; c < numClasses; c++) {
      if (c === truth[i]) continue;
      if (best < 0 || scores[i * numClasses + c] > scores[i * numClasses + best]) best = c;
    }
    out[i] = best;
  }
  return out;
}

/**
 * Training targets, row-major: (1 - easyWeight) on the hard-task label plus easyWeight spread evenly over the
 * classes of the true coarse group. easyWeight 0: the hard labels alone; 1: the easy task alone.
 */
export function mixedTargets(hard: ArrayLike<number>, truth: ArrayLike<number>, easyWeight: number, groups: number, numClasses: number): Float32Array {
  const members = groupMembers(groups, numClasses);
  const out = new Float32Array(truth.length * numClasses);
  for (let i = 0; i < truth.length; i++) {
    if (easyWeight < 1) out[i * numClasses + hard[i]] += 1 - easyWeight;
    if (easyWeight > 0) {
      const group = members[groupOf(truth[i], groups, numClasses)];
      for (const c of group) out[i * numClasses + c] += easyWeight / group.length;
    }
  }
  return out;
}
