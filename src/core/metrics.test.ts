import { describe, expect, it } from 'vitest';
import {
  accuracy,
  argmaxRows,
  auroc,
  calibration,
  calibrationError,
  categorise,
  confusionMatrix,
  expectedCalibrationError,
  linearCka,
  outcomeReliabilityBins,
  mistakeBreakdown,
  performanceGapRecovered,
  reliabilityBins,
} from './metrics';

describe('performance gap recovered', () => {
  it('is (student - weak) / (ceiling - weak)', () => {
    // The paper-scale example from METHODS.md: weak 0.688, ceiling 0.925, student 0.828 -> 0.140 / 0.237 = 0.5907
    const pgr = performanceGapRecovered(0.688, 0.925, 0.828);
    expect(pgr.value).toBeCloseTo(0.5907173, 6);
    expect(performanceGapRecovered(0.5, 0.9, 0.5).value).toBe(0);
    expect(performanceGapRecovered(0.5, 0.9, 0.9).value).toBe(1);
  });

  it('is n/a, with the reason, when the ceiling does not beat the supervisor', () => {
    const equal = performanceGapRecovered(0.8, 0.8, 0.9);
    expect(equal.value).toBeNull();
    expect(equal.reason).toMatch(/does not beat the supervisor/);
    expect(performanceGapRecovered(0.8, 0.7, 0.9).value).toBeNull();
  });
});

describe('beat / copy breakdown', () => {
  it('sorts each example by the METHODS.md rules', () => {
    expect(categorise(1, 1, 1)).toBe('bothRight');
    expect(categorise(1, 2, 1)).toBe('beats');
    expect(categorise(1, 2, 2)).toBe('copies');
    expect(categorise(1, 2, 3)).toBe('otherWrong');
    expect(categorise(1, 1, 3)).toBe('regresses');
  });

  it('counts, rates and split agreement on a hand-made example', () => {
    //            both  both  beat  copy  copy  other regress
    const label = [0, 1, 2, 3, 4, 5, 6];
    const sup = [0, 1, 9, 9, 8, 7, 6];
    const stu = [0, 1, 2, 9, 8, 1, 5];
    const m = mistakeBreakdown(label, sup, stu);
    expect(m).toMatchObject({ total: 7, bothRight: 2, beats: 1, copies: 2, otherWrong: 1, regresses: 1, supervisorWrong: 4 });
    expect(m.beatRate).toBeCloseTo(1 / 4);
    expect(m.copyRate).toBeCloseTo(2 / 4);
    // Student and supervisor agree on rows 0, 1, 3, 4.
    expect(m.agreement).toBeCloseTo(4 / 7);
    expect(m.agreementWhenSupervisorRight).toBeCloseTo(2 / 3);
    expect(m.agreementWhenSupervisorWrong).toBeCloseTo(2 / 4);
  });

  it('gives null rates when the supervisor is never wrong', () => {
    const m = mistakeBreakdown([0, 1], [0, 1], [0, 0]);
    expect(m.copyRate).toBeNull();
    expect(m.beatRate).toBeNull();
    expect(m.regresses).toBe(1);
  });

  it('rejects arrays of different lengths', () => {
    expect(() => mistakeBreakdown([0, 1], [0], [0, 1])).toThrow(/differ in length/);
  });
});

describe('accuracy, argmax and calibration', () => {
  it('accuracy is the share of matching classes', () => {
    expect(accuracy([0, 1, 2, 2], [0, 1, 1, 2])).toBe(0.75);
  });

  it('argmax per row', () => {
    expect(Array.from(argmaxRows(new Float32Array([0.1, 0.9, 0.7, 0.3, 0.2, 0.2]), 2))).toEqual([1, 0, 0]);
  });

  it('ECE with 10 equal-width bins, by hand', () => {
    // Rows (confidence, right?): (0.9, right), (0.9, wrong) in bin 9: |0.5 - 0.9| * 2/4
    //                            (0.6, right), (0.6, right) in bin 6: |1.0 - 0.6| * 2/4   -> ECE = 0.2 + 0.2 = 0.4
    const probs = new Float32Array([0.9, 0.1, 0.9, 0.1, 0.4, 0.6, 0.6, 0.4]);
    expect(expectedCalibrationError(probs, 2, [0, 1, 1, 0])).toBeCloseTo(0.4, 6);
    // Perfectly calibrated: confidence 1 and always right.
    expect(expectedCalibrationError(new Float32Array([1, 0, 0, 1]), 2, [0, 1])).toBeCloseTo(0, 10);
  });

  it('reliability bins by hand: count, right answers and mean confidence per equal-width bin; the ECE from them', () => {
    // Top-class probabilities (3 classes) and whether the top class is the label:
    //   0.95 right, 0.92 wrong          -> bin 9 [0.9, 1]: 2 examples, 1 right, mean 0.935
    //   0.5 right (ties resolve to the first class), 0.55 wrong, 0.58 right -> bin 5 [0.5, 0.6): 3, 2 right, mean 0.543333
    //   0.34 wrong                       -> bin 3 [0.3, 0.4): 1, 0 right, mean 0.34
    //   1.0 right                        -> bin 9 too (the last bin includes 1): 3 examples, 2 right, mean 0.956667
    const probs = new Float32Array([0.95, 0.03, 0.02, 0.04, 0.92, 0.04, 0.5, 0.25, 0.25, 0.2, 0.25, 0.55, 0.58, 0.4, 0.02, 0.33, 0.34, 0.33, 0, 0, 1]);
    const labels = [0, 0, 0, 1, 0, 0, 2];
    const bins = reliabilityBins(probs, 3, labels);
    expect(bins).toHaveLength(10);
    expect(bins.map((b) => b.count)).toEqual([0, 0, 0, 1, 0, 3, 0, 0, 0, 3]);
    expect(bins.map((b) => b.correct)).toEqual([0, 0, 0, 0, 0, 2, 0, 0, 0, 2]);
    expect(bins[3].meanConfidence).toBeCloseTo(0.34, 6);
    expect(bins[5].meanConfidence).toBeCloseTo((0.5 + 0.55 + 0.58) / 3, 6);
    expect(bins[9].meanConfidence).toBeCloseTo((0.95 + 0.92 + 1) / 3, 6);
    expect(bins[0].meanConfidence).toBeNull();
    expect([bins[5].lower, bins[5].upper]).toEqual([0.5, 0.6]);
    // ECE = 1/7 |0 - 0.34| + 3/7 |2/3 - 0.543333| + 3/7 |2/3 - 0.956667| = (0.34 + 0.37 + 0.87) / 7 = 0.225714
    const { ece, reliability } = calibration(probs, 3, labels);
    expect(ece).toBeCloseTo(1.58 / 7, 6);
    expect(reliability).toEqual(bins);
    expect(expectedCalibrationError(probs, 3, labels)).toBe(ece);
  });

  it('confusion matrix by hand: rows are the truth, columns the prediction; foreign classes refused', () => {
    const labels = [0, 0, 1, 1, 1, 2, 2];
    const predicted = [0, 1, 1, 1, 2, 0, 2];
    expect(confusionMatrix(labels, predicted, 3)).toEqual([
      [1, 1, 0],
      [0, 2, 1],
      [1, 0, 1],
    ]);
    expect(() => confusionMatrix([0, 3], [0, 1], 3)).toThrow(/not one of the 3 classes/);
    expect(() => confusionMatrix([0, 1], [0, -1], 3)).toThrow(/not one of the 3 classes/);
    expect(() => confusionMatrix([0, 1], [0.5, 1], 3)).toThrow(/not one of the 3 classes/);
    expect(() => confusionMatrix([0, 1], [0], 3)).toThrow(/differ in length/);
  });
});

describe('representation similarity', () => {
  /** Column-centred Gram products, by hand-written loops, for the CKA from Grams. */
  const grams = (x: number[][], y: number[][]) => {
    const centred = (m: number[][]) => m.map((row) => row.map((v, j) => v - m.reduce((s, r) => s + r[j], 0) / m.length));
    const [cx, cy] = [centred(x), centred(y)];
    const product = (a: number[][], b: number[][]) => a[0].flatMap((_, p) => b[0].map((_, q) => a.reduce((s, row, i) => s + row[p] * b[i][q], 0)));
    return { xx: product(cx, cx), yy: product(cy, cy), yx: product(cy, cx) };
  };
  const x = [
    [1, 0],
    [0, 1],
    [2, 1],
    [3, 5],
  ];

  it('linear CKA is 1 for the same features rotated and scaled, and matches a hand computation', () => {
    // A 90-degree rotation times 3 of x: (a, b) -> (-3b, 3a).
    expect(
      linearCka(
        grams(
          x,
          x.map(([a, b]) => [-3 * b, 3 * a]),
        ),
      ),
    ).toBeCloseTo(1, 10);
    // y = x's first unit. Centred x: (-0.5, -1.75), (-1.5, -0.75), (0.5, -0.75), (1.5, 3.25); centred y: -0.5, -1.5, 0.5, 1.5.
    // y^T x = (5, 6.5), squared norm 67.25; x^T x = [[5, 6.5], [6.5, 14.75]], Frobenius norm sqrt(25 + 2 x 42.25 + 217.5625);
    // y^T y = 5. CKA = 67.25 / (18.0848694 x 5) = 0.7437156.
    expect(linearCka(grams(x, [[1], [0], [2], [3]]))).toBeCloseTo(0.7437156, 6);
    // Unrelated: y orthogonal to both centred columns of x gives 0.
    expect(linearCka({ xx: [1, 0, 0, 1], yy: [4], yx: [0, 0] })).toBe(0);
  });
});

describe('reliability and AUROC', () => {
  it('bins confidences in ten equal-width bins with count, mean confidence and share right', () => {
    // 0.05 and 0.15 (right, wrong) fall in bins 0 and 1; 0.72, 0.78, 0.75 in bin 7 (two right); 1 in bin 9.
    const bins = outcomeReliabilityBins([0.05, 0.15, 0.72, 0.78, 0.75, 1], [1, 0, 1, 1, 0, 1]);
    expect(bins).toHaveLength(10);
    expect(bins.map((b) => b.count)).toEqual([1, 1, 0, 0, 0, 0, 0, 3, 0, 1]);
    expect(bins[7].meanConfidence).toBeCloseTo(0.75, 10);
    expect(bins[7].correct).toBe(2);
    expect(bins[2].meanConfidence).toBeNull();
    expect([bins[9].lower, bins[9].upper]).toEqual([0.9, 1]);
    expect(() => outcomeReliabilityBins([0.5, 1.2], [1, 0])).toThrow(/1.2 of prediction 1 is not in \[0, 1\]/);
    expect(() => outcomeReliabilityBins([NaN], [1])).toThrow(/not in \[0, 1\]/);
    // A float32 hair above 1 or below 0 is rounding, not a bad input: it counts in the end bin.
    expect(outcomeReliabilityBins([1.0000001, -1e-7], [1, 0]).map((b) => b.count)).toEqual([1, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
    // ECE: (1/6)|1 - 0.05| + (1/6)|0 - 0.15| + (3/6)|2/3 - 0.75| + (1/6)|1 - 1| = 0.1583333 + 0.025 + 0.0416667 = 0.225.
    expect(calibrationError(bins)).toBeCloseTo(0.225, 10);
  });

  it('AUROC is the chance a positive outscores a negative, ties counting one half', () => {
    expect(auroc([0.9, 0.8, 0.3, 0.1], [1, 1, 0, 0])).toBe(1);
    expect(auroc([0.9, 0.8, 0.3, 0.1], [0, 0, 1, 1])).toBe(0);
    // Positives 0.8 and 0.4, negatives 0.6 and 0.4: pairs (0.8 > 0.6) 1, (0.8 > 0.4) 1, (0.4 < 0.6) 0, (0.4 = 0.4) 1/2 -> 2.5 / 4.
    expect(auroc([0.8, 0.6, 0.4, 0.4], [1, 0, 1, 0])).toBe(0.625);
    expect(auroc([0.5, 0.5, 0.5], [1, 0, 1])).toBe(0.5);
    expect(auroc([0.2, 0.3], [1, 1])).toBeNaN();
    expect(() => auroc([0.2, 0.3], [1])).toThrow(/length/);
  });
});
