import { describe, expect, it } from 'vitest';
import { createRng, permutation } from './rng';

describe('seeded RNG', () => {
  it('repeats its stream for the same seed and differs for another', () => {
    const a = Array.from({ length: 5 }, createRng(7).next);
    const b = createRng(7);
    expect(Array.from({ length: 5 }, b.next)).toEqual(a);
    const c = createRng(8);
    expect(Array.from({ length: 5 }, c.next)).not.toEqual(a);
  });

  it('draws uniform floats in [0, 1) with mean near 1/2 and normals with mean 0, variance 1', () => {
    const rng = createRng(1);
    const n = 20000;
    let sum = 0;
    for (let i = 0; i < n; i++) {
      const x = rng.next();
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThan(1);
      sum += x;
    }
    expect(sum / n).toBeCloseTo(0.5, 1);
    let s1 = 0;
    let s2 = 0;
    for (let i = 0; i < n; i++) {
      const z = rng.normal();
      s1 += z;
      s2 += z * z;
    }
    expect(Math.abs(s1 / n)).toBeLessThan(0.03);
    expect(s2 / n).toBeGreaterThan(0.95);
    expect(s2 / n).toBeLessThan(1.05);
  });

  it('forks independent streams without advancing the parent', () => {
    const parent = createRng(3);
    const forkA = parent.fork('a').next();
    expect(parent.fork('a').next()).toBe(forkA);
    expect(parent.fork('b').next()).not.toBe(forkA);
    expect(parent.next()).toBe(createRng(3).next());
  });

  it('permutes every index exactly once', () => {
    const order = permutation(1000, createRng(5));
    expect(new Set(order).size).toBe(1000);
    expect(Array.from(order).sort((x, y) => x - y)).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    expect(Array.from(order.subarray(0, 10))).not.toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });
});
