/**
 * The optimizers of the training loop. SGD with momentum is tfjs's. Adam is this project's: the same arithmetic
 * as tfjs's AdamOptimizer, operation for operation (so the same numbers, bit for bit), in fewer kernels. A step
 * of tfjs's Adam runs 14 element-wise kernels per variable and uploads 6 new scalars per variable; with 4
 * variables that was more than half the kernels of a whole training step of a small MLP, and on the cpu and wasm
 * backends each kernel costs tens of microseconds of bookkeeping however small it is. Here the constants are
 * uploaded once, and small variables are updated together, as one flat vector: the element-wise arithmetic is
 * the same for every element wherever it sits, so the results are identical.
 */
import type { TrainSpec } from './config/blocks';
import { ADAM_UPDATE, denseKernelsReady } from './kernels/dense/kernels';
import { tf, type Scalar, type Tensor, type Variable } from './tf';

export interface TrainingOptimizer {
  /** Computes the loss and its gradients, updates the variables, and returns the loss. */
  minimize(loss: () => Scalar): Scalar;
  setLearningRate(rate: number): void;
  dispose(): void;
}

/**
 * Variables of at most this many values share one flat update. Above it a variable is updated on its own:
 * splitting a flat vector copies it once per part on the wasm backend, which for large layers costs more than
 * the kernels it saves.
 */
export const FLAT_GROUP_LIMIT = 65_536;

/** tfjs's Adam defaults (tf.train.adam). */
const BETA1 = 0.9;
const BETA2 = 0.999;

/** A variable holding `initial`, which is then released (tf.variable keeps its own reference). */
function variableFrom(initial: Tensor): Variable {
  const v = tf.variable(initial, false);
  initial.dispose();
  return v;
}

/** Variables updated together: one flat moment pair, or a single variable with moments of its own shape. */
interface Group {
  variables: Variable[];
  /** Values per variable (flat groups). */
  sizes: number[];
  firstMoment: Variable;
  secondMoment: Variable;
}

export class FlatAdam implements TrainingOptimizer {
  private readonly groups: Group[] = [];
  private readonly accBeta1: Variable;
  private readonly accBeta2: Variable;
  private readonly constants: Record<'beta1' | 'oneMinusBeta1' | 'beta2' | 'oneMinusBeta2' | 'one' | 'epsilon', Scalar>;
  private negativeRate: Scalar;

  constructor(
    private readonly variables: Variable[],
    learningRate: number,
    groupLimit = FLAT_GROUP_LIMIT,
  ) {
    this.constants = {
      beta1: tf.scalar(BETA1),
      oneMinusBeta1: tf.scalar(1 - BETA1),
      beta2: tf.scalar(BETA2),
      oneMinusBeta2: tf.scalar(1 - BETA2),
      one: tf.scalar(1),
      epsilon: tf.scalar(tf.backend().epsilon()),
    };
    this.negativeRate = tf.scalar(-learningRate);
    this.accBeta1 = variableFrom(tf.scalar(BETA1));
    this.accBeta2 = variableFrom(tf.scalar(BETA2));
    const small = variables.filter((v) => v.size <= groupLimit);
    const zeros = (shape: number[]) => variableFrom(tf.zeros(shape));
    if (small.length > 1) {
      const total = small.reduce((sum, v) => sum + v.size, 0);
      this.groups.push({ variables: small, sizes: small.map((v) => v.size), firstMoment: zeros([total]), secondMoment: zeros([total]) });
    }
    for (const v of variables) {
      if (small.length > 1 && small.includes(v)) continue;
      this.groups.push({ variables: [v], sizes: [v.size], firstMoment: zeros(v.shape), secondMoment: zeros(v.shape) });
    }
  }

  setLearningRate(rate: number): void {
    this.negativeRate.dispose();
    this.negativeRate = tf.scalar(-rate);
  }

  minimize(loss: () => Scalar): Scalar {
    const { value, grads } = tf.variableGrads(loss, this.variables);
    this.apply(grads);
    Object.values(grads).forEach((g) => g.dispose());
    return value;
  }

  /** tfjs's AdamOptimizer.applyGradients, one group at a time. */
  private apply(grads: Record<string, Tensor>): void {
    const c = this.constants;
    tf.tidy(() => {
      const oneMinusAccBeta1 = tf.sub(c.one, this.accBeta1);
      const oneMinusAccBeta2 = tf.sub(c.one, this.accBeta2);
      for (const group of this.groups) {
        const flat = group.variables.length > 1;
        const gradient = flat ? tf.concat(group.variables.map((v) => tf.reshape(grads[v.name], [-1]))) : grads[group.variables[0].name];
        const newFirstMoment = tf.add(tf.mul(group.firstMoment, c.beta1), tf.mul(gradient, c.oneMinusBeta1));
        const newSecondMoment = tf.add(tf.mul(group.secondMoment, c.beta2), tf.mul(tf.square(gradient), c.oneMinusBeta2));
        const biasCorrectedFirstMoment = tf.div(newFirstMoment, oneMinusAccBeta1);
        const biasCorrectedSecondMoment = tf.div(newSecondMoment, oneMinusAccBeta2);
        group.firstMoment.assign(newFirstMoment);
        group.secondMoment.assign(newSecondMoment);
        const step = tf.mul(tf.div(biasCorrectedFirstMoment, tf.add(tf.sqrt(biasCorrectedSecondMoment), c.epsilon)), this.negativeRate);
        const steps = flat ? tf.split(step, group.sizes) : [step];
        group.variables.forEach((v, i) => v.assign(tf.add(tf.reshape(steps[i], v.shape), v)));
      }
      this.accBeta1.assign(tf.mul(this.accBeta1, c.beta1));
      this.accBeta2.assign(tf.mul(this.accBeta2, c.beta2));
    });
  }

  dispose(): void {
    Object.values(this.constants).forEach((t) => t.dispose());
    this.negativeRate.dispose();
    this.accBeta1.dispose();
    this.accBeta2.dispose();
    this.groups.forEach((g) => {
      g.firstMoment.dispose();
      g.secondMoment.dispose();
    });
  }
}

/**
 * FlatAdam's arithmetic in one wasm kernel per step for all variables (kernels/dense): each moment pair has its
 * variable's shape, and the bias corrections' powers of beta are kept in JavaScript, rounded to float32 as the
 * scalar tensors were. The same numbers as FlatAdam, bit for bit.
 */
export class KernelAdam implements TrainingOptimizer {
  private readonly moments: { first: Variable; second: Variable }[];
  private accBeta1 = Math.fround(BETA1);
  private accBeta2 = Math.fround(BETA2);
  private negativeRate: number;
  private readonly constants = {
    beta1: Math.fround(BETA1),
    oneMinusBeta1: Math.fround(1 - BETA1),
    beta2: Math.fround(BETA2),
    oneMinusBeta2: Math.fround(1 - BETA2),
    epsilon: Math.fround(tf.backend().epsilon()),
  };

  constructor(
    private readonly variables: Variable[],
    learningRate: number,
  ) {
    this.negativeRate = Math.fround(-learningRate);
    this.moments = variables.map((v) => ({ first: variableFrom(tf.zeros(v.shape)), second: variableFrom(tf.zeros(v.shape)) }));
  }

  setLearningRate(rate: number): void {
    this.negativeRate = Math.fround(-rate);
  }

  minimize(loss: () => Scalar): Scalar {
    const { value, grads } = tf.variableGrads(loss, this.variables);
    const inputs: Record<string, Tensor> = {};
    this.variables.forEach((v, i) =>
      Object.assign(inputs, { [`w${i}`]: v, [`g${i}`]: grads[v.name], [`m${i}`]: this.moments[i].first, [`v${i}`]: this.moments[i].second }),
    );
    const attrs = {
      count: this.variables.length,
      ...this.constants,
      oneMinusAccBeta1: Math.fround(1 - this.accBeta1),
      oneMinusAccBeta2: Math.fround(1 - this.accBeta2),
      negativeRate: this.negativeRate,
    };
    const updated = tf.engine().runKernel(ADAM_UPDATE, inputs as unknown as tf.NamedTensorMap, attrs) as unknown as Tensor[];
    this.variables.forEach((v, i) => {
      v.assign(updated[3 * i]);
      this.moments[i].first.assign(updated[3 * i + 1]);
      this.moments[i].second.assign(updated[3 * i + 2]);
    });
    updated.forEach((t) => t.dispose());
    Object.values(grads).forEach((g) => g.dispose());
    this.accBeta1 = Math.fround(this.accBeta1 * this.constants.beta1);
    this.accBeta2 = Math.fround(this.accBeta2 * this.constants.beta2);
    return value;
  }

  dispose(): void {
    this.moments.forEach((m) => {
      m.first.dispose();
      m.second.dispose();
    });
  }
}

/** tfjs's SGD with momentum. */
class Momentum implements TrainingOptimizer {
  private readonly optimizer: tf.MomentumOptimizer;

  constructor(
    private readonly variables: Variable[],
    learningRate: number,
    momentum: number,
  ) {
    this.optimizer = tf.train.momentum(learningRate, momentum);
  }

  minimize(loss: () => Scalar): Scalar {
    return this.optimizer.minimize(loss, true, this.variables) as Scalar;
  }

  /** Momentum SGD keeps the rate in a scalar that setLearningRate replaces. */
  setLearningRate(rate: number): void {
    this.optimizer.setLearningRate(rate);
  }

  dispose(): void {
    this.optimizer.dispose();
    // tfjs's momentum optimizer does not release the learning-rate scalar its SGD base class holds.
    (this.optimizer as unknown as { c?: Tensor }).c?.dispose();
  }
}

export function createOptimizer(spec: TrainSpec, variables: Variable[]): TrainingOptimizer {
  if (spec.optimizer === 'adam') return denseKernelsReady() ? new KernelAdam(variables, spec.learningRate) : new FlatAdam(variables, spec.learningRate);
  return new Momentum(variables, spec.learningRate, spec.momentum);
}
