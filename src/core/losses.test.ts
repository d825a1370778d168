/**
 * Every loss against values worked out by hand (shown beside each constant) on tiny inputs.
 * Logits [0, ln 3] give p = [0.25, 0.75]; logits [0, 0] give p = [0.5, 0.5].
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { startNodeBackend } from '../node/node-backend';
import type { LossSpec } from './config/blocks';
import {
  hardCrossEntropy,
  hardenPredictions,
  hintLoss,
  kdLoss,
  logconfCoefficient,
  logconfLoss,
  productLoss,
  relationalDistanceLoss,
  reverseKlLoss,
  softCrossEntropy,
  taidLoss,
  TaidSchedule,
} from './losses';
import { tf, type Tensor1D, type Tensor2D } from './tf';

const LN3 = Math.log(3);
const value = async (t: tf.Tensor) => (await t.data())[0];
const m2 = (rows: number[][]) => tf.tensor2d(rows) as Tensor2D;
const v1 = (values: number[]) => tf.tensor1d(values) as Tensor1D;

beforeAll(async () => {
  await startNodeBackend('cpu');
});

describe('cross-entropy', () => {
  it('soft: -(1/B) sum y log p', async () => {
    // row 1: target [0, 1]     -> -ln 0.75                      = 0.2876821
    // row 2: target [0.5, 0.5] -> -(0.5 ln 0.25 + 0.5 ln 0.75)  = 0.8369882
    const loss = softCrossEntropy(
      m2([
        [0, LN3],
        [0, LN3],
      ]),
      m2([
        [0, 1],
        [0.5, 0.5],
      ]),
    );
    expect(await value(loss)).toBeCloseTo((0.2876821 + 0.8369882) / 2, 6);
  });

  it('hard: class indices, mean over the batch (not a sum)', async () => {
    // -ln 0.75 = 0.2876821 and -ln 0.25 = 1.3862944
    const loss = hardCrossEntropy(
      m2([
        [0, LN3],
        [0, LN3],
      ]),
      tf.tensor1d([1, 0], 'int32'),
    );
    expect(await value(loss)).toBeCloseTo((0.2876821 + 1.3862944) / 2, 6);
  });
});

describe('auxiliary confidence loss', () => {
  const paper = { type: 'logconf', aMax: 0.5, warmup: 0.2, schedule: 'paper' } as const;
  const released = { ...paper, schedule: 'released' } as const;

  it('paper schedule ramps linearly to aMax over the warm-up', () => {
    expect(logconfCoefficient(0, paper)).toBe(0);
    expect(logconfCoefficient(0.1, paper)).toBeCloseTo(0.25, 10);
    expect(logconfCoefficient(0.5, paper)).toBe(0.5);
  });

  it('released schedule ramps to aMax * warmup, then jumps to aMax', () => {
    expect(logconfCoefficient(0.1, released)).toBeCloseTo(0.05, 10);
    expect(logconfCoefficient(0.2, released)).toBeCloseTo(0.1, 10);
    expect(logconfCoefficient(0.3, released)).toBe(0.5);
  });

  it("binary hardening thresholds p0 at the quantile that matches the weak labels' balance", async () => {
    // p0 = [0.9, 0.6, 0.3, 0.1]; half the weak labels are class 1, so t = quantile_0.5(p0)
    // = 0.3 + 0.5 * (0.6 - 0.3) = 0.45 (linear interpolation): rows 0, 1 -> class 0; rows 2, 3 -> class 1.
    const probs = m2([
      [0.9, 0.1],
      [0.6, 0.4],
      [0.3, 0.7],
      [0.1, 0.9],
    ]);
    const weak = m2([
      [1, 0],
      [1, 0],
      [0, 1],
      [0, 1],
    ]);
    expect(Array.from(await hardenPredictions(probs, weak).data())).toEqual([1, 0, 1, 0, 0, 1, 0, 1]);
    // A quarter of weak labels in class 1: t = quantile_0.25 = 0.1 + 0.75 * 0.2 = 0.25, so only row 3 is class 1.
    const skewed = m2([
      [1, 0],
      [1, 0],
      [1, 0],
      [0, 1],
    ]);
    expect(Array.from(await hardenPredictions(probs, skewed).data())).toEqual([1, 0, 1, 0, 1, 0, 0, 1]);
  });

  it('mixes the hardened predictions into the target and passes no gradient through them', async () => {
    // Student logits [0, ln 3] (p = [0.25, 0.75]) on both rows; weak labels [0.5, 0.5] and [1, 0].
    // Multi-class hardening is the argmax; with 2 classes the quantile rule applies: q = 0.25, p0 = [0.25, 0.25],
    // t = 0.25, so p0 >= t on both rows: hard = [1, 0]. With a = 0.5 the targets are [0.75, 0.25] and [1, 0]:
    // row 1: -(0.75 ln 0.25 + 0.25 ln 0.75) = 1.1116416; row 2: -ln 0.25 = 1.3862944.
    const logits = m2([
      [0, LN3],
      [0, LN3],
    ]);
    const weak = m2([
      [0.5, 0.5],
      [1, 0],
    ]);
    expect(await value(logconfLoss(logits, weak, 0.5))).toBeCloseTo((1.1116416 + 1.3862944) / 2, 6);
    // d/dz of mean CE with a fixed target is (p - target) / B.
    const grad = tf.grad((z: tf.Tensor) => logconfLoss(z as Tensor2D, weak, 0.5))(logits);
    const expected = [(0.25 - 0.75) / 2, (0.75 - 0.25) / 2, (0.25 - 1) / 2, (0.75 - 0) / 2];
    Array.from(await grad.data()).forEach((g, i) => expect(g).toBeCloseTo(expected[i], 6));
  });
});

describe('product loss', () => {
  it('targets p^b * y^a normalised and detached', async () => {
    // p = [0.25, 0.75], y = [0.5, 0.5], a = b = 1: target = [0.25, 0.75]; CE = -(0.25 ln 0.25 + 0.75 ln 0.75) = 0.5623351
    const logits = m2([[0, LN3]]);
    const weak = m2([[0.5, 0.5]]);
    expect(await value(productLoss(logits, weak, 1, 1))).toBeCloseTo(0.5623351, 6);
    // The target equals p, so with the target detached the gradient (p - target) is zero.
    const grad = tf.grad((z: tf.Tensor) => productLoss(z as Tensor2D, weak, 1, 1))(logits);
    Array.from(await grad.data()).forEach((g) => expect(g).toBeCloseTo(0, 6));
    // b = 0 ignores the student: target = y, CE = -(0.5 ln 0.25 + 0.5 ln 0.75) = 0.8369882
    expect(await value(productLoss(logits, weak, 1, 0))).toBeCloseTo(0.8369882, 6);
  });
});

describe('distillation losses', () => {
  // Teacher logits [0, ln 3], student logits [0, 0]; the labelled row's truth is class 1.
  const teacher = m2([[0, LN3]]);
  const student = m2([[0, 0]]);
  const truth = m2([[0, 1]]);

  it('Hinton KD at T = 1 is KL(teacher || student)', async () => {
    // 0.25 ln(0.25/0.5) + 0.75 ln(0.75/0.5) = -0.1732868 + 0.3040988 = 0.1308120
    expect(await value(kdLoss(student, teacher, truth, v1([0]), 1, 0.9))).toBeCloseTo(0.130812, 6);
  });

  it('Hinton KD at T = 2 scales the softened KL by T^2 and mixes in cross-entropy on labelled rows', async () => {
    // p_t = softmax([0, ln 3 / 2]) = [0.3660254, 0.6339746];
    // KL to [0.5, 0.5] = 0.3660254 ln 0.7320508 + 0.6339746 ln 1.2679492 = -0.1141653 + 0.1505061 = 0.0363408; x T^2 = 0.1453631.
    // Unlabelled row: 0.1453631. Labelled row: 0.1 * ln 2 + 0.9 * 0.1453631 = 0.0693147 + 0.1308268 = 0.2001415.
    expect(await value(kdLoss(student, teacher, truth, v1([0]), 2, 0.9))).toBeCloseTo(0.1453631, 6);
    expect(await value(kdLoss(student, teacher, truth, v1([1]), 2, 0.9))).toBeCloseTo(0.2001415, 6);
  });

  it('reverse KL is KL(student || teacher)', async () => {
    // 0.5 ln(0.5/0.25) + 0.5 ln(0.5/0.75) = 0.3465736 - 0.2027326 = 0.1438410
    expect(await value(reverseKlLoss(student, teacher, truth, v1([0]), 1, 0.9))).toBeCloseTo(0.143841, 6);
  });

  it('TAID targets softmax((1 - t) z_s + t z_T)', async () => {
    // Student [0, ln 3] (q = [0.25, 0.75]), teacher [0, 0], t = 0.5: target = softmax([0, ln 3 / 2]) = [0.3660254, 0.6339746];
    // CE = 0.3660254 * 1.3862944 + 0.6339746 * 0.2876821 = 0.6898021
    const loss = taidLoss(m2([[0, LN3]]), m2([[0, 0]]), truth, v1([0]), 0.5, 0.9);
    expect(await value(loss)).toBeCloseTo(0.6898021, 6);
  });

  it('TAID updates t adaptively, never below its linear floor', async () => {
    const spec: Extract<LossSpec, { type: 'taid' }> = { type: 'taid', tStart: 0.4, tEnd: 1, alphaT: 0.1, beta: 0.99, alpha: 1 };
    const schedule = new TaidSchedule(spec);
    // Step 1: no previous loss, m = 0, dt = 0.1 * sigmoid(0) * (1 - 0.4) = 0.03; floor 0.4 -> t = 0.43
    schedule.update(tf.scalar(2), 0);
    expect(await value(schedule.t)).toBeCloseTo(0.43, 6);
    // Step 2 at s = 0.05: loss 2 -> 1, relative change 0.5, m = 0.005,
    // dt = 0.1 * sigmoid(0.005) * 0.57 = 0.0285712; floor = 0.4 + 0.6 * 0.05 = 0.43 -> t = 0.4585712
    schedule.update(tf.scalar(1), 0.05);
    expect(await value(schedule.t)).toBeCloseTo(0.4585712, 6);
    // Step 3 at s = 0.5: the floor 0.7 wins.
    schedule.update(tf.scalar(1), 0.5);
    expect(await value(schedule.t)).toBeCloseTo(0.7, 6);
    schedule.dispose();
  });

  it("TAID's schedule releases every tensor it made", () => {
    const before = tf.memory().numTensors;
    const schedule = new TaidSchedule({ type: 'taid', tStart: 0.4, tEnd: 1, alphaT: 0.1, beta: 0.99, alpha: 1 });
    const loss = tf.scalar(1);
    schedule.update(loss, 0);
    loss.dispose();
    schedule.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('feature distillation losses', () => {
  it('the FitNets hint is the mean over rows and units of (h_s W + b - h_t)^2', async () => {
    // Row 1: projected [1, 2, 2] against [1, 1, 1] -> squares 0, 1, 1; row 2: [0, 0, -1] against [0, 0, 0] -> 0, 0, 1.
    // Mean over 6 entries: 3 / 6 = 0.5.
    const projected = m2([
      [1, 2, 2],
      [0, 0, -1],
    ]);
    const teacher = m2([
      [1, 1, 1],
      [0, 0, 0],
    ]);
    expect(await value(hintLoss(projected, teacher))).toBeCloseTo(0.5, 6);
  });

  it('relational KD compares pairwise distances, each divided by its batch mean, with a Huber loss over all n^2 pairs', async () => {
    // Student points (0,0), (3,0), (0,4): distances 3, 4, 5, mean 4 -> 0.75, 1, 1.25.
    // Teacher points 0, 1, 3 (one unit): distances 1, 3, 2, mean 2 -> 0.5, 1.5, 1.
    // Differences 0.25, -0.5, 0.25: Huber 0.03125, 0.125, 0.03125, each pair twice, diagonal 0: 0.375 / 9 = 0.0416667.
    const student = m2([
      [0, 0],
      [3, 0],
      [0, 4],
    ]);
    const teacher = m2([[0], [1], [3]]);
    expect(await value(relationalDistanceLoss(student, teacher))).toBeCloseTo(0.375 / 9, 5);
  });

  it("relational KD's Huber loss turns linear beyond a normalised difference of 1", async () => {
    // Student 0, 0.1, 10: distances 0.1, 10, 9.9, mean 20/3 -> 0.015, 1.5, 1.485.
    // Teacher 0, 10, 10.1: distances 10, 10.1, 0.1, mean 20.2/3 -> 1.4851485, 1.5, 0.0148515.
    // Differences -1.4701485, 0, 1.4701485: Huber |x| - 0.5 = 0.9701485, 0, 0.9701485; twice each over 9 entries:
    // 3.880594 / 9 = 0.4311771 (the quadratic branch would give 1.0806683 each, 0.4802970 in all).
    const loss = relationalDistanceLoss(m2([[0], [0.1], [10]]), m2([[0], [10], [10.1]]));
    expect(await value(loss)).toBeCloseTo(3.880594 / 9, 4);
  });

  it("relational KD's gradient is finite (the diagonal's zero distances give no NaN), reaches the student and not the teacher, and equals autodiff's", async () => {
    const student = m2([
      [0.5, -1, 2],
      [1, 0, 0.5],
      [-0.5, 1, 1],
      [0.5, -1, 2.1],
    ]);
    const teacher = m2([
      [1, 0],
      [0, 1],
      [2, 2],
      [1, 0.2],
    ]);
    const [toStudent, toTeacher] = tf.grads((s: tf.Tensor, t: tf.Tensor) => relationalDistanceLoss(s as Tensor2D, t as Tensor2D))([student, teacher]);
    const studentGrad = await toStudent.data();
    expect(Array.from(studentGrad).every(Number.isFinite)).toBe(true);
    expect(Math.max(...Array.from(studentGrad).map(Math.abs))).toBeGreaterThan(1e-3);
    expect(Array.from(await toTeacher.data()).every((g) => g === 0)).toBe(true);
    // The written-out gradient of the squared distances against tfjs's autodiff of the same formula.
    const plain = (s: tf.Tensor) => {
      const x = s as Tensor2D;
      const n = x.shape[0];
      const norms = tf.sum(tf.square(x), 1);
      const squared = tf.sub(tf.add(tf.reshape(norms, [n, 1]), tf.reshape(norms, [1, n])), tf.mul(tf.matMul(x, x, false, true), 2));
      const d = tf.mul(tf.sqrt(tf.maximum(squared, 1e-12)), tf.sub(1, tf.eye(n)));
      const normalised = tf.div(d, tf.div(tf.sum(d), n * (n - 1)));
      const t = tf.tidy(() => {
        const dt = tf.sqrt(tf.maximum(tf.sum(tf.square(tf.sub(tf.expandDims(teacher, 1), tf.expandDims(teacher, 0))), 2), 1e-12));
        const masked = tf.mul(dt, tf.sub(1, tf.eye(n)));
        return tf.div(masked, tf.div(tf.sum(masked), n * (n - 1)));
      });
      const diff = tf.abs(tf.sub(normalised, t));
      const inner = tf.minimum(diff, 1);
      return tf.mean(tf.add(tf.mul(tf.square(inner), 0.5), tf.sub(diff, inner))) as tf.Scalar;
    };
    const reference = await tf.grad(plain)(student).data();
    Array.from(studentGrad).forEach((g, i) => expect(g).toBeCloseTo(reference[i], 4));
  });
});
