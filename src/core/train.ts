/**
 * The training loop. One synchronous, tidied step at a time; every `evalEvery` steps the metrics of the
 * steps since the last measurement are read back in ONE asynchronous `data()` call (never dataSync, which
 * stalls or breaks WebGPU). Cancellable between steps and between the pieces of a measurement (it yields to the
 * event loop so that a stop is heard); keeps the best checkpoint on a validation split.
 */
import { LoopCheckpoint, untilCancelled } from './cancellation';
import type { TrainSpec } from './config/blocks';
import { meanCrossEntropyBits, predictClasses } from './evaluate';
import {
  compatibleUpdateLoss,
  kdLoss,
  logconfCoefficient,
  logconfLoss,
  productLoss,
  reverseKlLoss,
  softCrossEntropy,
  taidLoss,
  TaidSchedule,
  type TrainingLoss,
} from './losses';
import type { Model } from './models/model';
import { createOptimizer } from './optimizer';
import { permutation, type Rng } from './rng';
import type { MetricPoint, StepEvent } from './experiments/figures';
import { tf, type Scalar, type Tensor, type Tensor1D, type Tensor2D, type Variable } from './tf';

export interface TrainingSet {
  /** Encoded inputs (see Model.encode). */
  inputs: Tensor2D;
  /** What xent, logconf and product train towards: soft labels or one-hot truth. */
  targets: Tensor2D;
  /** Distillation: the teacher's logits on the same rows. */
  teacherLogits?: Tensor2D;
  /** Distillation: 1 where the student has ground truth (one-hot in `targets`), else 0. */
  labelled?: Tensor1D;
  /** Compatible update: 1 where the old model (whose logits are `teacherLogits`) is right, else 0. */
  oldRight?: Tensor1D;
  /** Feature distillation: the teacher's last hidden layer on the same rows. */
  teacherFeatures?: Tensor2D;
}

/**
 * A term on the model's last hidden layer added to the loss (feature distillation: a FitNets hint, relational KD),
 * read from the same forward pass as the logits, with variables of its own (a learned projection) that train with
 * the model. Without one, a step is exactly what it always was.
 */
export interface FeatureTerm {
  variables: Variable[];
  loss(hidden: Tensor2D, batch: TrainingSet): Scalar;
}

export interface EvaluationSet {
  inputs: Tensor2D;
  /** Ground-truth class per row (int32). */
  labels: Tensor1D;
}

export interface ValidationSet {
  inputs: Tensor2D;
  /** Class per row that the checkpoint choice trusts: truth, or the supervisor's labels for a student. */
  labels: Tensor1D;
}

export interface TrainOptions {
  stage: string;
  model: Model;
  spec: TrainSpec;
  loss: TrainingLoss;
  data: TrainingSet;
  test: EvaluationSet;
  validation?: ValidationSet;
  rng: Rng;
  signal?: AbortSignal;
  onStep?: (event: StepEvent) => void;
  /** Awaited before every step: lets a caller pause, single-step or pace training. */
  beforeStep?: () => Promise<void> | void;
  /** Extra encoded inputs whose predictions each measurement reports (a decision-region grid). */
  probe?: Tensor2D;
  /**
   * Awaited after each measurement with the model as it is at that step: experiments measure what the loop
   * does not (a linear probe of the features, a distance to a teacher or an oracle) and record it.
   */
  afterMeasure?: (step: number, epoch: number) => Promise<void> | void;
  /**
   * Also measure the mean cross-entropy of the test labels under the model, in bits (MetricPoint.bitsPerCharacter:
   * bits per character for a language model).
   */
  measureBits?: boolean;
  /** Added to the loss at every step (see FeatureTerm); the model needs forwardWithHidden. */
  featureTerm?: FeatureTerm;
}

export interface TrainResult {
  totalSteps: number;
  stepsRun: number;
  stoppedEarly: boolean;
  history: MetricPoint[];
  /** Step of the checkpoint chosen on the validation split (the last step without one). */
  bestStep: number;
  /** Test accuracy of that checkpoint. */
  bestAccuracy: number;
  /** Highest test accuracy seen at any measurement: an oracle choice, never used to pick anything. */
  oracleBestAccuracy: number;
  /** Weights of the best checkpoint (null when it is the final one). The caller disposes them. */
  bestWeights: Tensor[] | null;
}

export { CancelledError } from './cancellation';

export class DivergenceError extends Error {
  constructor(
    public readonly stage: string,
    public readonly step: number,
    public readonly learningRate: number,
  ) {
    super(`${stage}: the loss became NaN or infinite at step ${step} (learning rate ${learningRate}); lower the learning rate and run again`);
    this.name = 'DivergenceError';
  }
}

export function stepsPerEpoch(examples: number, batchSize: number): number {
  return Math.ceil(examples / Math.min(batchSize, examples));
}

export function learningRateAt(spec: TrainSpec, step: number, totalSteps: number): number {
  if (spec.schedule === 'cosine') return spec.learningRate * 0.5 * (1 + Math.cos((Math.PI * step) / totalSteps));
  return spec.learningRate;
}

type BatchLoss = (logits: Tensor2D, batch: TrainingSet, progress: number) => Scalar;

function makeLoss(spec: TrainingLoss, taid: TaidSchedule | null): BatchLoss {
  const teacherOf = (batch: TrainingSet) => {
    if (!batch.teacherLogits || !batch.labelled) throw new Error(`the ${spec.type} loss needs teacher logits`);
    return { teacher: batch.teacherLogits, labelled: batch.labelled };
  };
  switch (spec.type) {
    case 'xent':
      return (logits, batch) => softCrossEntropy(logits, batch.targets);
    case 'logconf':
      return (logits, batch, s) => logconfLoss(logits, batch.targets, logconfCoefficient(s, spec));
    case 'product':
      return (logits, batch) => productLoss(logits, batch.targets, spec.a, spec.b);
    case 'kd':
      return (logits, batch) => {
        const { teacher, labelled } = teacherOf(batch);
        return kdLoss(logits, teacher, batch.targets, labelled, spec.temperature, spec.alpha);
      };
    case 'reverse-kl':
      return (logits, batch) => {
        const { teacher, labelled } = teacherOf(batch);
        return reverseKlLoss(logits, teacher, batch.targets, labelled, spec.temperature, spec.alpha);
      };
    case 'taid':
      return (logits, batch) => {
        const { teacher, labelled } = teacherOf(batch);
        return taidLoss(logits, teacher, batch.targets, labelled, taid!.t, spec.alpha);
      };
    case 'compatible':
      return (logits, batch) => {
        if (!batch.teacherLogits || !batch.oldRight) throw new Error("the compatible-update loss needs the old model's logits and where it is right");
        return compatibleUpdateLoss(logits, batch.teacherLogits, batch.targets, batch.oldRight, spec.lambda);
      };
  }
}

/** Copies of a model's trainable weights. */
export function snapshotWeights(model: Model): Tensor[] {
  return model.trainable.map((v) => tf.keep(tf.clone(v)));
}

export function assignWeights(model: Model, weights: Tensor[]): void {
  model.trainable.forEach((v, i) => v.assign(weights[i]));
}

/** Takes the rows of a training set that make one batch. */
interface BatchSource {
  batch(rows: Int32Array): TrainingSet;
  dispose(): void;
}

/** Figures a measurement reads back before the test predictions: loss, test and validation accuracy, TAID's t, test bits. */
const HEAD = 5;

/** Backends whose tensors live in the JavaScript process's memory. */
const HOST_MEMORY_BACKENDS = ['cpu', 'wasm'];

/**
 * Batches: where tensors live in host memory (cpu, wasm), the set is read back once and each batch's rows are
 * copied in JavaScript and uploaded, which is far cheaper than a gather kernel (wasm's: about 1.5 ms for 64 rows
 * of 784 values; the copy and upload: about 0.02 ms). On GPU backends the rows are gathered on the device. Either
 * way a batch holds exactly the same values.
 */
async function batchSource(data: TrainingSet): Promise<BatchSource> {
  const parts = (Object.keys(data) as (keyof TrainingSet)[]).filter((key) => data[key] !== undefined);
  if (!HOST_MEMORY_BACKENDS.includes(tf.getBackend())) {
    return {
      batch: (rows) => {
        const indices = tf.tensor1d(rows, 'int32');
        return Object.fromEntries(parts.map((key) => [key, tf.gather(data[key]!, indices)])) as unknown as TrainingSet;
      },
      dispose: () => undefined,
    };
  }
  const host = await Promise.all(
    parts.map(async (key) => {
      const tensor = data[key]!;
      const values = (await tensor.data()) as Float32Array | Int32Array;
      return { key, values, dtype: tensor.dtype, rowShape: tensor.shape.slice(1), rowSize: tensor.size / tensor.shape[0] };
    }),
  );
  return {
    batch: (rows) =>
      Object.fromEntries(
        host.map(({ key, values, dtype, rowShape, rowSize }) => {
          const out = new (values.constructor as Float32ArrayConstructor | Int32ArrayConstructor)(rows.length * rowSize);
          rows.forEach((row, i) => out.set(values.subarray(row * rowSize, (row + 1) * rowSize), i * rowSize));
          return [key, tf.tensor(out, [rows.length, ...rowShape], dtype)];
        }),
      ) as unknown as TrainingSet,
    dispose: () => host.splice(0),
  };
}

export async function train(options: TrainOptions): Promise<TrainResult> {
  const { model, spec, data, test, validation, rng, signal } = options;
  const examples = data.inputs.shape[0];
  const batchSize = Math.min(spec.batchSize, examples);
  const perEpoch = stepsPerEpoch(examples, batchSize);
  const totalSteps = perEpoch * spec.epochs;
  const shuffleRng = rng.fork(`${options.stage}:shuffle`);
  const dropoutRng = rng.fork(`${options.stage}:dropout`);
  const { featureTerm } = options;
  const forwardWithHidden = model.forwardWithHidden?.bind(model);
  if (featureTerm && !forwardWithHidden) throw new Error(`${model.description} has no hidden layer for a feature distillation term to read`);
  // Before anything that allocates tensors: the finally below releases them.
  const batches = await batchSource(data);
  const optimizer = createOptimizer(spec, featureTerm ? [...model.trainable, ...featureTerm.variables] : model.trainable);
  const taid = options.loss.type === 'taid' ? new TaidSchedule(options.loss) : null;
  const lossOf = makeLoss(options.loss, taid);
  /** The step's loss: the kind's loss on the logits, plus the feature term when there is one. */
  const stepLoss = (batch: TrainingSet, dropoutSeed: number, progress: number): Scalar => {
    if (!featureTerm || !forwardWithHidden) return lossOf(model.forward(batch.inputs, true, dropoutSeed), batch, progress);
    const { logits, hidden } = forwardWithHidden(batch.inputs, true, dropoutSeed);
    return tf.add(lossOf(logits, batch, progress), featureTerm.loss(hidden, batch));
  };
  const testCount = test.inputs.shape[0];

  const history: MetricPoint[] = [];
  let pendingLosses: Scalar[] = [];
  let bestScore = -Infinity;
  let bestStep = 0;
  let bestAccuracy = 0;
  let oracleBestAccuracy = 0;
  const best: { weights: Tensor[] | null } = { weights: null };
  let measurementsSinceBest = 0;
  let stoppedEarly = false;
  let order = permutation(examples, shuffleRng);
  let step = 0;

  /** Predicted classes on test, validation and the probe points, in pieces (a stop is heard between them). */
  const predictAll = async (): Promise<{ test: Tensor1D; validation: Tensor1D | null; probe: Tensor1D | null }> => {
    const made: Tensor1D[] = [];
    const classes = async (inputs: Tensor2D) => {
      const predicted = await predictClasses(model, inputs, signal);
      made.push(predicted);
      return predicted;
    };
    try {
      return {
        test: await classes(test.inputs),
        validation: validation ? await classes(validation.inputs) : null,
        probe: options.probe ? await classes(options.probe) : null,
      };
    } catch (error) {
      made.forEach((t) => t.dispose());
      throw error;
    }
  };

  /** Mean cross-entropy of the test labels in bits, as a scalar on the device (NaN unless asked for). */
  const testBits = (): Promise<Scalar> =>
    options.measureBits ? meanCrossEntropyBits(model, test.inputs, test.labels, signal) : Promise.resolve(tf.scalar(NaN));

  /** One measurement: a single read-back of [mean loss, test acc, validation acc, taid t, test bits, test predictions]. */
  const measure = async (epoch: number): Promise<boolean> => {
    const predicted = await predictAll();
    const bits = await testBits().catch((error: unknown) => {
      [predicted.test, predicted.validation, predicted.probe].forEach((t) => t?.dispose());
      throw error;
    });
    const packed = tf.tidy(() => {
      const meanLoss = pendingLosses.length ? tf.mean(tf.stack(pendingLosses)) : tf.scalar(NaN);
      const predictions = predicted.test;
      const testAccuracy = tf.mean(tf.cast(tf.equal(predictions, test.labels), 'float32'));
      const validationAccuracy = validation ? tf.mean(tf.cast(tf.equal(predicted.validation!, validation.labels), 'float32')) : tf.scalar(NaN);
      const t = taid ? taid.t : tf.scalar(NaN);
      const parts = [tf.stack([meanLoss, testAccuracy, validationAccuracy, t, bits]), tf.cast(predictions, 'float32')];
      if (predicted.probe) parts.push(tf.cast(predicted.probe, 'float32'));
      return tf.concat(parts);
    });
    [predicted.test, predicted.validation, predicted.probe, bits].forEach((t) => t?.dispose());
    pendingLosses.forEach((l) => l.dispose());
    pendingLosses = [];
    const values = await untilCancelled(packed.data(), signal).finally(() => packed.dispose());
    const learningRate = learningRateAt(spec, step, totalSteps);
    const point: MetricPoint = {
      step,
      epoch,
      loss: values[0],
      testAccuracy: values[1],
      validationAccuracy: validation ? values[2] : null,
      learningRate,
      ...(taid ? { taidT: values[3] } : {}),
      ...(options.measureBits ? { bitsPerCharacter: values[4] } : {}),
    };
    if (step > 0 && !Number.isFinite(point.loss)) throw new DivergenceError(options.stage, step, learningRate);
    history.push(point);
    oracleBestAccuracy = Math.max(oracleBestAccuracy, point.testAccuracy);
    // Checkpoint choice: validation accuracy when there is a validation split, else the latest point.
    const score = validation ? (point.validationAccuracy as number) : step;
    if (score > bestScore) {
      bestScore = score;
      bestStep = step;
      bestAccuracy = point.testAccuracy;
      measurementsSinceBest = 0;
      best.weights?.forEach((w) => w.dispose());
      best.weights = validation ? snapshotWeights(model) : null;
    } else {
      measurementsSinceBest++;
    }
    const testPredictions = Int32Array.from(values.subarray(HEAD, HEAD + testCount));
    const probePredictions = options.probe ? Int32Array.from(values.subarray(HEAD + testCount)) : undefined;
    options.onStep?.({ ...point, totalSteps, testPredictions, ...(probePredictions ? { probePredictions } : {}) });
    await options.afterMeasure?.(step, epoch);
    return spec.patience > 0 && validation !== undefined && measurementsSinceBest >= spec.patience;
  };

  const loop = new LoopCheckpoint(signal);
  try {
    await measure(0);
    for (let epoch = 0; epoch < spec.epochs && !stoppedEarly; epoch++) {
      if (epoch > 0) order = permutation(examples, shuffleRng);
      for (let b = 0; b < perEpoch; b++) {
        if (options.beforeStep) await options.beforeStep();
        await loop.pass(pendingLosses[pendingLosses.length - 1]);
        // Fixed batch shape: the last batch of an epoch wraps around to the epoch's first examples.
        const indices = new Int32Array(batchSize);
        for (let i = 0; i < batchSize; i++) indices[i] = order[(b * batchSize + i) % examples];
        const progress = step / totalSteps;
        const learningRate = learningRateAt(spec, step, totalSteps);
        if (spec.schedule !== 'constant') optimizer.setLearningRate(learningRate);
        const dropoutSeed = dropoutRng.uint32();
        const cost = tf.tidy(() => {
          const batch = batches.batch(indices);
          const loss = optimizer.minimize(() => stepLoss(batch, dropoutSeed, progress));
          if (spec.weightDecay > 0) {
            const keep = 1 - learningRate * spec.weightDecay;
            for (const v of model.decayed) v.assign(tf.mul(v, keep));
          }
          taid?.update(loss, progress);
          return loss;
        });
        pendingLosses.push(cost);
        step++;
        if (step % spec.evalEvery === 0 || step === totalSteps) {
          if (await measure(epoch)) {
            stoppedEarly = true;
            break;
          }
        }
      }
    }
  } catch (error) {
    best.weights?.forEach((w) => w.dispose());
    throw error;
  } finally {
    batches.dispose();
    pendingLosses.forEach((l) => l.dispose());
    optimizer.dispose();
    taid?.dispose();
  }
  // A best checkpoint at the last step is the final one: no copy needed.
  const finalIsBest = bestStep === step;
  if (finalIsBest) best.weights?.forEach((w) => w.dispose());
  return {
    totalSteps,
    stepsRun: step,
    stoppedEarly,
    history,
    bestStep,
    bestAccuracy,
    oracleBestAccuracy,
    bestWeights: finalIsBest ? null : best.weights,
  };
}
