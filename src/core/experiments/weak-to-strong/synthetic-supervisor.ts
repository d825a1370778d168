/**
 * Synthetic weak supervisors: labelling rules with errors of a known kind and rate instead of a trained model.
 * Random flips are errors a student can average away; systematic errors (a class always given as another, a
 * region of input space always wrong) are a consistent function of the input that a student can learn, and so
 * copy. One rule labels every split (transfer, validation, test) the same way. Pure TypeScript, no tensors.
 */
import type { SupervisorSource } from './spec';
import type { LabelledSet } from '../../data/types';
import { permutation, type Rng } from '../../rng';

export type SyntheticSource = Exclude<SupervisorSource, { type: 'trained' }>;

export interface SyntheticSupervisor {
  /** In words, for the stage card: "the truth with 30% of labels flipped at random". */
  description: string;
  /** The rule's label for every example of a split; `split` names the split (flips draw per split). */
  label(set: LabelledSet, split: string): Int32Array;
}

/**
 * The rule of a synthetic source. `reference` is the transfer set: a region's threshold is set on it so that
 * `share` of it is mislabelled. `rng` is the experiment's generator (forked, never advanced).
 */
export function syntheticSupervisor(source: SyntheticSource, numClasses: number, featureSize: number, reference: LabelledSet, rng: Rng): SyntheticSupervisor {
  const next = (y: number) => (y + 1) % numClasses;
  switch (source.type) {
    case 'flips':
      return {
        description: `the truth with ${percent(source.rate)} of labels flipped at random to another class`,
        label(set, split) {
          // Exactly round(rate * n) examples, chosen at random, get a different class drawn at random.
          const draw = rng.fork(`flips:${split}`);
          const order = permutation(set.count, draw);
          const flipped = Math.round(source.rate * set.count);
          const labels = Int32Array.from(set.y);
          for (let k = 0; k < flipped; k++) {
            const i = order[k];
            labels[i] = (set.y[i] + 1 + draw.int(numClasses - 1)) % numClasses;
          }
          return labels;
        },
      };
    case 'systematic': {
      const wrong = source.classes;
      return {
        description:
          wrong === 1 ? 'the truth, except class 0 always labelled as class 1' : `the truth, except classes 0-${wrong - 1} always labelled as the next class`,
        label: (set) => set.y.map((y) => (y < wrong ? next(y) : y)),
      };
    }
    case 'region': {
      if (featureSize !== 2) throw new Error('a region of input space needs 2-D data');
      const angle = 2 * Math.PI * rng.fork('region').next();
      const [dx, dy] = [Math.cos(angle), Math.sin(angle)];
      const project = (set: LabelledSet, i: number) => dx * set.x[2 * i] + dy * set.x[2 * i + 1];
      const projections = Float64Array.from({ length: reference.count }, (_, i) => project(reference, i)).sort();
      // Points projecting beyond the threshold are mislabelled: `share` of the transfer set.
      const inside = Math.round(source.share * reference.count);
      const threshold = inside === 0 ? Infinity : projections[reference.count - inside];
      return {
        description: `the truth, except in a half-plane (${percent(source.share)} of the transfer set) where every point gets the next class`,
        label: (set) => set.y.map((y, i) => (project(set, i) >= threshold ? next(y) : y)),
      };
    }
  }
}

function percent(x: number): string {
  return `${Math.round(x * 1000) / 10}%`;
}
