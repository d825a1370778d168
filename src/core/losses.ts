/**
 * Losses for the student (shared/METHODS.md sections 2 and 3). Every function returns the batch mean, to be
 * called inside the optimizer's gradient closure. Targets that must not carry gradient go through stopGradient.
 */
import type { LossSpec } from './config/blocks';
import { tf, type Scalar, type Tensor, type Tensor1D, type Tensor2D, type Variable } from './tf';

/** Identity whose gradient is zero: the "detached" targets of logconf, product and TAID. */
export const stopGradient = tf.customGrad(((x: Tensor) => ({
  value: tf.clone(x),
  gradFunc: (dy: Tensor) => tf.zerosLike(dy),
})) as unknown as Parameters<typeof tf.customGrad>[0]) as unknown as <T extends Tensor>(x: T) => T;

/** Per-example cross-entropy -sum_c target[i,c] * log softmax(z)[i,c]. */
function crossEntropyPerExample(logits: Tensor2D, target: Tensor2D): Tensor1D {
  return tf.neg(tf.sum(tf.mul(target, tf.logSoftmax(logits)), -1));
}

/** Soft cross-entropy, batch mean: L = -(1/B) sum_i sum_c y[i,c] log p[i,c]. Hard labels are one-hot targets. */
export function softCrossEntropy(logits: Tensor2D, target: Tensor2D): Scalar {
  return tf.mean(crossEntropyPerExample(logits, target));
}

/** Hard cross-entropy with class indices. */
export function hardCrossEntropy(logits: Tensor2D, labels: Tensor1D): Scalar {
  return softCrossEntropy(logits, tf.cast(tf.oneHot(tf.cast(labels, 'int32'), logits.shape[1]), 'float32') as Tensor2D);
}

/** Weight of the student's own predictions at training progress s in [0, 1]. */
export function logconfCoefficient(s: number, spec: Extract<LossSpec, { type: 'logconf' }>): number {
  if (spec.warmup <= 0) return spec.aMax;
  if (spec.schedule === 'released') {
    // openai/weak-to-strong loss.py: coef = step_frac during warm-up, then 1; times aux_coef.
    return spec.aMax * (s > spec.warmup ? 1 : s);
  }
  return spec.aMax * Math.min(1, s / spec.warmup);
}

/**
 * The student's hardened predictions. Binary: threshold p[:,0] at the batch quantile that matches the weak
 * labels' class balance (as openai/weak-to-strong does, with linear interpolation like torch.quantile).
 * Multi-class: argmax of p (no balance matching; a documented choice).
 */
export function hardenPredictions(probs: Tensor2D, weakTarget: Tensor2D): Tensor2D {
  const [batch, classes] = probs.shape;
  if (classes !== 2) return tf.cast(tf.oneHot(tf.argMax(probs, -1), classes), 'float32') as Tensor2D;
  const p0 = tf.squeeze(tf.slice(probs, [0, 0], [batch, 1]), [1]) as Tensor1D;
  const q = tf.mean(tf.slice(weakTarget, [0, 1], [batch, 1])); // share of class 1 in the weak labels
  const ascending = tf.neg(tf.topk(tf.neg(p0), batch).values) as Tensor1D;
  const position = tf.mul(q, batch - 1);
  const lower = tf.floor(position);
  const fraction = tf.sub(position, lower);
  const lowerIndex = tf.cast(lower, 'int32');
  const upperIndex = tf.minimum(tf.add(lowerIndex, tf.scalar(1, 'int32')), tf.scalar(batch - 1, 'int32'));
  const lowValue = tf.gather(ascending, tf.reshape(lowerIndex, [1]));
  const highValue = tf.gather(ascending, tf.reshape(upperIndex, [1]));
  const threshold = tf.add(lowValue, tf.mul(fraction, tf.sub(highValue, lowValue)));
  const isClass0 = tf.cast(tf.greaterEqual(p0, threshold), 'float32');
  return tf.stack([isClass0, tf.sub(1, isClass0)], 1) as Tensor2D;
}

/**
 * hardenPredictions as one opaque, gradient-free op: the ops inside a custom gradient's forward pass are not
 * on the tape, so backprop never asks for gradients of TopK or Floor (which tfjs does not have).
 */
const hardenDetached = tf.customGrad(((probs: Tensor2D, weakTarget: Tensor2D) => ({
  value: hardenPredictions(probs, weakTarget),
  gradFunc: (dy: Tensor) => [tf.zerosLike(dy), tf.zerosLike(dy)],
})) as unknown as Parameters<typeof tf.customGrad>[0]) as unknown as (probs: Tensor2D, weakTarget: Tensor2D) => Tensor2D;

/** Auxiliary confidence loss: CE(z, (1 - a) y_w + a hard(p)), hard(p) detached. */
export function logconfLoss(logits: Tensor2D, weakTarget: Tensor2D, coefficient: number): Scalar {
  const hardened = hardenDetached(tf.softmax(logits) as Tensor2D, weakTarget);
  const target = tf.add(tf.mul(weakTarget, 1 - coefficient), tf.mul(hardened, coefficient)) as Tensor2D;
  return softCrossEntropy(logits, target);
}

/** Product loss: target proportional to p^b * y_w^a (normalised, detached), L = CE(z, target). */
export function productLoss(logits: Tensor2D, weakTarget: Tensor2D, a: number, b: number): Scalar {
  const logTarget = tf.add(tf.mul(tf.logSoftmax(logits), b), tf.mul(tf.log(tf.add(weakTarget, 1e-12)), a));
  const target = stopGradient(tf.softmax(logTarget) as Tensor2D);
  return softCrossEntropy(logits, target);
}

/** KL(p || q) per example, from log-probabilities. */
export function klPerExample(logP: Tensor2D, logQ: Tensor2D): Tensor1D {
  return tf.sum(tf.mul(tf.exp(logP), tf.sub(logP, logQ)), -1);
}

/**
 * Mixes a per-example teacher term with cross-entropy on true labels where the student has them:
 * labelled examples: (1 - alpha) CE(y) + alpha * teacherTerm; unlabelled: teacherTerm alone.
 */
function mixWithLabels(logits: Tensor2D, teacherTerm: Tensor1D, trueTarget: Tensor2D, labelled: Tensor1D, alpha: number): Scalar {
  const hard = crossEntropyPerExample(logits, trueTarget);
  const labelledTerm = tf.add(tf.mul(hard, 1 - alpha), tf.mul(teacherTerm, alpha));
  return tf.mean(tf.add(tf.mul(labelled, labelledTerm), tf.mul(tf.sub(1, labelled), teacherTerm)));
}

/** Hinton KD: (1 - alpha) CE(y, softmax(z_s)) + alpha T^2 KL(softmax(z_t/T) || softmax(z_s/T)). */
export function kdLoss(student: Tensor2D, teacher: Tensor2D, trueTarget: Tensor2D, labelled: Tensor1D, temperature: number, alpha: number): Scalar {
  const logTeacher = tf.logSoftmax(tf.div(teacher, temperature)) as Tensor2D;
  const logStudent = tf.logSoftmax(tf.div(student, temperature)) as Tensor2D;
  const soft = tf.mul(klPerExample(logTeacher, logStudent), temperature * temperature) as Tensor1D;
  return mixWithLabels(student, soft, trueTarget, labelled, alpha);
}

/** Reverse KL: alpha T^2 KL(softmax(z_s/T) || softmax(z_t/T)), mixed like KD. */
export function reverseKlLoss(student: Tensor2D, teacher: Tensor2D, trueTarget: Tensor2D, labelled: Tensor1D, temperature: number, alpha: number): Scalar {
  const logTeacher = tf.logSoftmax(tf.div(teacher, temperature)) as Tensor2D;
  const logStudent = tf.logSoftmax(tf.div(student, temperature)) as Tensor2D;
  const soft = tf.mul(klPerExample(logStudent, logTeacher), temperature * temperature) as Tensor1D;
  return mixWithLabels(student, soft, trueTarget, labelled, alpha);
}

/** TAID: target softmax((1 - t) stopgrad(z_s) + t z_T), L = -sum target log q_s. */
export function taidLoss(student: Tensor2D, teacher: Tensor2D, trueTarget: Tensor2D, labelled: Tensor1D, t: Tensor | number, alpha: number): Scalar {
  const interpolated = tf.add(tf.mul(stopGradient(student), tf.sub(1, t)), tf.mul(teacher, t));
  const target = tf.softmax(interpolated) as Tensor2D;
  return mixWithLabels(student, crossEntropyPerExample(student, target), trueTarget, labelled, alpha);
}

/**
 * FitNets hint (Romero et al. 2015): the student's hidden layer, through a learned projection (`projected` =
 * h_s W + b), regresses the teacher's: the mean over the batch and the teacher's d units of (h_s W + b - h_t)^2,
 * i.e. ||W h_s + b - h_t||^2 / d per example (the MSE of torchdistill and RepDistiller; METHODS' factor 1/2
 * folds into the term's weight).
 */
export function hintLoss(projected: Tensor2D, teacherHidden: Tensor2D): Scalar {
  return tf.mean(tf.square(tf.sub(projected, teacherHidden)));
}

/**
 * Squared Euclidean distances between the rows of x (n x d): |x_i|^2 + |x_j|^2 - 2 x_i . x_j, with its gradient
 * written out, dX = 2 (rowsum(S) * X - S X) for S = dD + dD^T: tfjs's own matMul gradient takes wasm's slow
 * transposed path, which made this term cost more than the rest of a student's step.
 */
const pairwiseSquaredDistances = tf.customGrad(((x: Tensor2D, save: tf.GradSaveFunc) => {
  const n = x.shape[0];
  const norms = tf.sum(tf.square(x), 1);
  const value = tf.sub(tf.add(tf.reshape(norms, [n, 1]), tf.reshape(norms, [1, n])), tf.mul(tf.matMul(x, tf.transpose(x)), 2));
  save([x]);
  return {
    value,
    gradFunc: (dy: Tensor2D, saved: Tensor[]) => {
      const [input] = saved as Tensor2D[];
      const symmetric = tf.add(dy, tf.transpose(dy));
      return [tf.mul(tf.sub(tf.mul(tf.reshape(tf.sum(symmetric, 1), [n, 1]), input), tf.matMul(symmetric, input)), 2)];
    },
  };
}) as unknown as Parameters<typeof tf.customGrad>[0]) as unknown as (x: Tensor2D) => Tensor2D;

/** Euclidean distances between the rows of x, zero on the diagonal (its gradient there is zero, not NaN). */
function pairwiseDistances(x: Tensor2D): Tensor2D {
  const offDiagonal = tf.sub(1, tf.eye(x.shape[0]));
  return tf.mul(tf.sqrt(tf.maximum(pairwiseSquaredDistances(x), 1e-12)), offDiagonal) as Tensor2D;
}

/** Huber loss (smooth L1, delta 1), element by element: x^2 / 2 where |x| < 1, else |x| - 1/2 (written with min, which has a gradient). */
function huber(difference: Tensor): Tensor {
  const size = tf.abs(difference);
  const inner = tf.minimum(size, 1);
  return tf.add(tf.mul(tf.square(inner), 0.5), tf.sub(size, inner));
}

/**
 * Relational KD, distance-wise (Park et al. 2019): the student's pairwise distances within a batch, each divided by
 * its batch's mean distance mu, match the teacher's: mean over all n^2 pairs of Huber(d_s(i,j) / mu_s, d_t(i,j) / mu_t)
 * (the diagonal is 0 for both). Widths may differ: only distances are compared.
 */
export function relationalDistanceLoss(studentHidden: Tensor2D, teacherHidden: Tensor2D): Scalar {
  const n = studentHidden.shape[0];
  const pairs = Math.max(1, n * (n - 1));
  const normalised = (h: Tensor2D) => {
    const d = pairwiseDistances(h);
    return tf.div(d, tf.maximum(tf.div(tf.sum(d), pairs), 1e-12));
  };
  const teacher = stopGradient(normalised(teacherHidden));
  return tf.mean(huber(tf.sub(normalised(studentHidden), teacher)));
}

/**
 * TAID's adaptive interpolation parameter t, kept on the device so updating it needs no read-back:
 *   m <- beta m + (1 - beta) (J_prev - J) / (J_prev + eps);  dt = alpha_t sigmoid(m) (1 - t);
 *   t <- min(t_end, max(t_start + (t_end - t_start) s, t + dt)).
 * On the first step there is no J_prev, so the relative change counts as 0.
 */
export class TaidSchedule {
  readonly t: Variable;
  private readonly momentum: Variable;
  private readonly previousLoss: Variable;
  private first = true;

  constructor(private readonly spec: Extract<LossSpec, { type: 'taid' }>) {
    // tf.variable keeps its own reference to the initial value: tidy releases the scalars it was made from.
    [this.t, this.momentum, this.previousLoss] = tf.tidy(() => [
      tf.variable(tf.scalar(spec.tStart), false),
      tf.variable(tf.scalar(0), false),
      tf.variable(tf.scalar(0), false),
    ]);
  }

  /** Call after each step with that step's loss J and the progress s it was computed at. */
  update(loss: Scalar, s: number): void {
    const { tStart, tEnd, alphaT, beta } = this.spec;
    tf.tidy(() => {
      const change = this.first ? tf.scalar(0) : tf.div(tf.sub(this.previousLoss, loss), tf.add(this.previousLoss, 1e-8));
      const momentum = tf.add(tf.mul(this.momentum, beta), tf.mul(change, 1 - beta));
      const dt = tf.mul(tf.mul(tf.sigmoid(momentum), alphaT), tf.sub(1, this.t));
      const floor = tStart + (tEnd - tStart) * s;
      this.t.assign(tf.minimum(tEnd, tf.maximum(floor, tf.add(this.t, dt))) as Scalar);
      this.momentum.assign(momentum as Scalar);
      this.previousLoss.assign(loss);
    });
    this.first = false;
  }

  dispose(): void {
    this.t.dispose();
    this.momentum.dispose();
    this.previousLoss.dispose();
  }
}
