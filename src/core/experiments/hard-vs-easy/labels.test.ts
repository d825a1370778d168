import { describe, expect, it } from 'vitest';
import { corruptLabels, groupMembers, groupOf, mixedTargets, nearMisses, type Corruption } from './labels';

describe('the labels of the hard-versus-easy study', () => {
  it('groups consecutive classes', () => {
    expect(groupMembers(5, 10)).toEqual([
      [0, 1],
      [2, 3],
      [4, 5],
      [6, 7],
      [8, 9],
    ]);
    expect(groupMembers(2, 3)).toEqual([[0, 1], [2]]);
    expect(groupOf(9, 5, 10)).toBe(4);
  });

  it('makes exactly round(rate n) labels wrong, the first in the order, each in the way its kind says', () => {
    const truth = [0, 1, 2, 3, 4];
    const corruption: Corruption = { order: [4, 2, 0, 1, 3], randomWrong: [9, 8, 7, 6, 5], nearMiss: [5, 6, 7, 8, 9] };
    // rate 0.6 of 5: examples 4, 2 and 0 go wrong.
    expect(Array.from(corruptLabels(truth, 0.6, 'random', corruption, 10))).toEqual([9, 1, 7, 3, 5]);
    expect(Array.from(corruptLabels(truth, 0.6, 'near-miss', corruption, 10))).toEqual([5, 1, 7, 3, 9]);
    expect(Array.from(corruptLabels(truth, 0.6, 'systematic', corruption, 10))).toEqual([1, 1, 3, 3, 5]);
    // A higher rate only adds errors: the wrong labels at 0.6 stay wrong at 0.8.
    expect(Array.from(corruptLabels(truth, 0.8, 'random', corruption, 10))).toEqual([9, 8, 7, 3, 5]);
    expect(Array.from(corruptLabels(truth, 0, 'systematic', corruption, 10))).toEqual(truth);
  });

  it('finds the most likely class other than the truth', () => {
    const scores = Float32Array.from([0.1, 0.7, 0.2, /* truth 1 */ 0.5, 0.3, 0.2 /* truth 0: the top class is right */]);
    expect(Array.from(nearMisses(scores, [1, 0], 3))).toEqual([2, 1]);
    // When the model is wrong, its top class is the near miss.
    expect(Array.from(nearMisses(Float32Array.from([0.6, 0.1, 0.3]), [2], 3))).toEqual([0]);
  });

  it('mixes the hard label with the true group spread evenly', () => {
    // 4 classes in 2 groups: {0, 1} and {2, 3}. Truth 0, noisy label 3, weight 0.5.
    expect(Array.from(mixedTargets([3], [0], 0.5, 2, 4))).toEqual([0.25, 0.25, 0, 0.5]);
    expect(Array.from(mixedTargets([3], [0], 0, 2, 4))).toEqual([0, 0, 0, 1]);
    expect(Array.from(mixedTargets([3], [0], 1, 2, 4))).toEqual([0.5, 0.5, 0, 0]);
    expect(Array.from(mixedTargets([1], [1], 0.5, 2, 4))).toEqual([0.25, 0.75, 0, 0]);
  });
});
