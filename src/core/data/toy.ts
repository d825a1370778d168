/** Generated 2-D datasets, every point drawn from the seeded RNG. Coordinates lie roughly in [-1.5, 1.5]. */
import type { Rng } from '../rng';
import type { LabelledSet } from './types';

export const TOY_DATASETS = ['moons', 'circles', 'xor', 'spirals', 'gaussians'] as const;
export type ToyDatasetId = (typeof TOY_DATASETS)[number];

export const TOY_CLASSES: Record<ToyDatasetId, number> = { moons: 2, circles: 2, xor: 2, spirals: 2, gaussians: 3 };

type Point = [number, number];

const generators: Record<ToyDatasetId, (label: number, rng: Rng, noise: number) => Point> = {
  // Two interleaving half circles (as in scikit-learn's make_moons), centred on the origin.
  moons(label, rng, noise) {
    const t = Math.PI * rng.next();
    const [x, y] = label === 0 ? [Math.cos(t), Math.sin(t)] : [1 - Math.cos(t), 0.5 - Math.sin(t)];
    return [x - 0.5 + noise * rng.normal() * 0.5, y - 0.25 + noise * rng.normal() * 0.5];
  },
  // An inner disc's edge (label 1) inside an outer ring (label 0).
  circles(label, rng, noise) {
    const angle = 2 * Math.PI * rng.next();
    const radius = label === 0 ? 1 : 0.5;
    return [radius * Math.cos(angle) + noise * rng.normal() * 0.3, radius * Math.sin(angle) + noise * rng.normal() * 0.3];
  },
  // Quadrants: label 1 where x and y have the same sign.
  xor(label, rng, noise) {
    const x = 0.05 + 0.95 * rng.next();
    const y = 0.05 + 0.95 * rng.next();
    const sx = rng.next() < 0.5 ? -1 : 1;
    const sy = label === 1 ? sx : -sx;
    return [sx * x + noise * rng.normal() * 0.3, sy * y + noise * rng.normal() * 0.3];
  },
  // Two interleaved spirals of 1.75 turns.
  spirals(label, rng, noise) {
    const t = Math.sqrt(rng.next());
    const angle = t * 3.5 * Math.PI + label * Math.PI;
    const radius = 1.4 * t;
    return [radius * Math.cos(angle) + noise * rng.normal() * 0.15, radius * Math.sin(angle) + noise * rng.normal() * 0.15];
  },
  // Three Gaussian blobs on a triangle; noise widens them until they overlap.
  gaussians(label, rng, noise) {
    const angle = (2 * Math.PI * label) / 3 + Math.PI / 2;
    const spread = 0.25 + 0.5 * noise;
    return [0.8 * Math.cos(angle) + spread * rng.normal(), 0.8 * Math.sin(angle) + spread * rng.normal()];
  },
};

/** `count` points with balanced classes in a random order. */
export function generateToy(id: ToyDatasetId, count: number, noise: number, rng: Rng): LabelledSet {
  const classes = TOY_CLASSES[id];
  const x = new Float32Array(count * 2);
  const y = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const label = rng.int(classes);
    const [px, py] = generators[id](label, rng, noise);
    x[2 * i] = px;
    x[2 * i + 1] = py;
    y[i] = label;
  }
  return { x, y, count };
}

export function isToyDataset(id: string): id is ToyDatasetId {
  return (TOY_DATASETS as readonly string[]).includes(id);
}
