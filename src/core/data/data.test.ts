import { describe, expect, it } from 'vitest';
import { nodeAssetSource } from '../../node/node-assets';
import { createRng } from '../rng';
import { loadRealDataset } from './real';
import { buildSplits } from './splits';
import { generateToy, TOY_CLASSES, TOY_DATASETS } from './toy';

describe('generated 2-D datasets', () => {
  it.each(TOY_DATASETS)('%s: the requested size, every class present, finite points, same seed same points', (id) => {
    const a = generateToy(id, 600, 0.2, createRng(1));
    expect(a.count).toBe(600);
    expect(a.x.length).toBe(1200);
    const counts = new Array(TOY_CLASSES[id]).fill(0);
    a.y.forEach((label) => counts[label]++);
    counts.forEach((c) => expect(c).toBeGreaterThan(600 / TOY_CLASSES[id] / 2));
    expect(a.x.every(Number.isFinite)).toBe(true);
    expect(generateToy(id, 600, 0.2, createRng(1))).toEqual(a);
    expect(generateToy(id, 600, 0.2, createRng(2)).x).not.toEqual(a.x);
  });

  it('noise spreads the points', () => {
    const spread = (noise: number) => {
      const set = generateToy('circles', 2000, noise, createRng(3));
      // Distance from the ideal radius (1 for class 0, 0.5 for class 1).
      let total = 0;
      for (let i = 0; i < set.count; i++) total += Math.abs(Math.hypot(set.x[2 * i], set.x[2 * i + 1]) - (set.y[i] === 0 ? 1 : 0.5));
      return total / set.count;
    };
    expect(spread(0)).toBeLessThan(1e-6);
    expect(spread(0.5)).toBeGreaterThan(spread(0.1));
  });
});

describe('shipped datasets', () => {
  it('loads MNIST scaled to [0, 1] with its official test split', async () => {
    const mnist = await loadRealDataset('mnist', nodeAssetSource());
    expect(mnist.train.count).toBe(10000);
    expect(mnist.test?.count).toBe(2000);
    expect(mnist.train.x.length).toBe(10000 * 784);
    let max = 0;
    for (const v of mnist.train.x) max = Math.max(max, v);
    expect(max).toBe(1);
    // The first training digit of MNIST is a 5, the first test digit a 7.
    expect(mnist.train.y[0]).toBe(5);
    expect(mnist.test!.y[0]).toBe(7);
  });

  it('standardises tabular features with the training statistics', async () => {
    const wine = await loadRealDataset('wine', nodeAssetSource());
    const columns = wine.featureShape[0];
    for (let c = 0; c < columns; c++) {
      let mean = 0;
      for (let i = 0; i < wine.train.count; i++) mean += wine.train.x[i * columns + c];
      expect(Math.abs(mean / wine.train.count)).toBeLessThan(1e-4);
    }
  });

  it('splits without overlap, reproducibly from the seed', async () => {
    const request = {
      dataset: 'digits' as const,
      noise: 0,
      testSize: 300,
      parts: [
        { name: 'A', size: 500 },
        { name: 'B', size: 900 },
      ],
    };
    const a = await buildSplits(request, 1, nodeAssetSource());
    const b = await buildSplits(request, 1, nodeAssetSource());
    const c = await buildSplits(request, 2, nodeAssetSource());
    expect(a.parts.A.x).toEqual(b.parts.A.x);
    expect(a.parts.A.x).not.toEqual(c.parts.A.x);
    // No row of the test set reappears in A or B (rows compared as strings of their 64 pixels).
    const key = (x: Float32Array, i: number) => Array.from(x.subarray(i * 64, (i + 1) * 64)).join(',');
    const testRows = new Set(Array.from({ length: a.test.count }, (_, i) => key(a.test.x, i)));
    const trainRows = [...Array.from({ length: 500 }, (_, i) => key(a.parts.A.x, i)), ...Array.from({ length: 900 }, (_, i) => key(a.parts.B.x, i))];
    const overlap = trainRows.filter((row) => testRows.has(row)).length;
    // The 8x8 digits contain a few exact duplicate images; anything beyond a handful would be a split bug.
    expect(overlap).toBeLessThan(5);
    await expect(buildSplits({ ...request, parts: [{ name: 'A', size: 2000 }] }, 1, nodeAssetSource())).rejects.toThrow(
      /need 2000 training examples but only 1497/,
    );
  });
});
