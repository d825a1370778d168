import { describe, expect, it } from 'vitest';
import { accuracy } from '../../metrics';
import { applyDawidSkene, fitDawidSkene, fittedWeights, majorityVote, weightedVote } from './label-models';

/** A fixed sequence in [0, 1) (mulberry32), so that the noisy functions below are the same on every run. */
function draws(n: number, seed: number): number[] {
  let s = seed >>> 0;
  return Array.from({ length: n }, () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t ^= t + Math.imul(t ^ (t >>> 7), 61 | t);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  });
}

describe('combining labelling functions', () => {
  it('the plain vote: most votes win, ties go to the lowest class, shares as probabilities', () => {
    // Three functions on three examples (columns).
    const votes = [
      [0, 1, 2],
      [0, 1, 1],
      [1, 2, 1],
    ];
    const { classes, probabilities } = majorityVote(votes, 3);
    expect(Array.from(classes)).toEqual([0, 1, 1]);
    expect(Array.from(probabilities.subarray(0, 3))).toEqual([2 / 3, 1 / 3, 0].map(Math.fround));
    expect(Array.from(majorityVote([[2], [1]], 3).classes)).toEqual([1]);
    // Ten unanimous votes: a share of exactly 1, not ten float32 tenths summed (1.0000001).
    expect(
      majorityVote(
        Array.from({ length: 10 }, () => [4]),
        10,
      ).probabilities[4],
    ).toBe(1);
  });

  it('weights each function by the log odds of its accuracy on the labels, chance weighing nothing', () => {
    const labels = [0, 1, 2, 0];
    // Right on 3 of 4: a = 4/6, w = log(a (C - 1) / (1 - a)) = log 4; right on 1 of 4: a = 1/3 = chance for C = 3,
    // w = 0; right on none: a = 1/6, w = log(0.4) < 0.
    const w = fittedWeights(
      [
        [0, 1, 2, 1],
        [0, 0, 0, 1],
        [1, 2, 0, 2],
      ],
      labels,
      3,
    );
    expect(w[0]).toBeCloseTo(Math.log(4), 12);
    expect(w[1]).toBeCloseTo(0, 12);
    expect(w[2]).toBeCloseTo(Math.log(0.4), 12);
  });

  it('the weighted vote follows the weights: two light votes outweigh one heavier, one heavy vote outweighs two light', () => {
    const votes = [[0], [1], [1]];
    expect(Array.from(weightedVote(votes, [1, 0.6, 0.6], 2).classes)).toEqual([1]);
    expect(Array.from(weightedVote(votes, [1.5, 0.6, 0.6], 2).classes)).toEqual([0]);
    // Scores 1 and 1.2: probabilities exp(1) / (exp(1) + exp(1.2)) and the rest.
    const p = weightedVote(votes, [1, 0.6, 0.6], 2).probabilities;
    expect(p[0]).toBeCloseTo(Math.exp(1) / (Math.exp(1) + Math.exp(1.2)), 6);
  });

  it("Dawid-Skene learns from unlabelled votes alone whom to trust and what a function's systematic vote means", async () => {
    const n = 600;
    const truth = Array.from({ length: n }, (_, i) => i % 3);
    const [u1, u2, v1, v2] = [draws(n, 7), draws(n, 11), draws(n, 13), draws(n, 17)];
    // A function right 75% of the time, another right 60%, both wrong at random otherwise; a third that always
    // votes the next class (systematic, so a plain vote counts it against the truth).
    const good = truth.map((y, i) => (u1[i] < 0.75 ? y : (y + 1 + Math.floor(2 * u2[i])) % 3));
    const fair = truth.map((y, i) => (v1[i] < 0.6 ? y : (y + 1 + Math.floor(2 * v2[i])) % 3));
    const shifted = truth.map((y) => (y + 1) % 3);
    const votes = [good, fair, shifted];
    const model = await fitDawidSkene(votes, 3, 30);
    const ds = applyDawidSkene(model, votes, 3);
    const vote = majorityVote(votes, 3);
    expect(accuracy(ds.classes, truth)).toBeGreaterThan(0.97);
    expect(accuracy(vote.classes, truth)).toBeLessThan(0.8);
    // The shifted function's confusion: class c votes c + 1.
    for (let c = 0; c < 3; c++) expect(model.confusion[2][c * 3 + ((c + 1) % 3)]).toBeGreaterThan(0.9);
    expect(Array.from(model.prior).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
  });

  it('stops between iterations once the run is stopped', async () => {
    const stop = new AbortController();
    stop.abort();
    await expect(fitDawidSkene([[0, 1]], 2, 10, stop.signal)).rejects.toThrow(/cancelled/);
  });

  it('refuses votes it cannot read', () => {
    expect(() => majorityVote([], 3)).toThrow(/no labelling functions/);
    expect(() => majorityVote([[0, 1], [0]], 3)).toThrow(/different numbers/);
    expect(() => majorityVote([[0, 3]], 3)).toThrow(/outside the 3 classes: 3/);
    expect(() => weightedVote([[0]], [1, 2], 3)).toThrow(/one weight per/);
  });
});
