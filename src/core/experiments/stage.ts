/** One training stage: train a model, measure it, report it (stage-start, steps, stage-end) and hand it back. */
import type { TrainSpec } from '../config/blocks';
import type { TrainingLoss } from '../losses';
import { accuracy, argmaxRows, calibration, expectedCalibrationError } from '../metrics';
import type { Model } from '../models/model';
import { predict } from '../evaluate';
import { tf, type Tensor, type Tensor1D, type Tensor2D } from '../tf';
import { assignWeights, DivergenceError, stepsPerEpoch, train, type FeatureTerm, type TrainingSet } from '../train';
import { untilCancelled } from '../cancellation';
import type { RunContext } from './context';
import type { MetricPoint, StageInfo, StageResult, StepEvent } from './figures';
import { readCachedStage, stageKey, type CachedStage } from './stage-cache';

export interface StageRun {
  result: StageResult;
  /** The trained model (final weights); the caller disposes it. */
  model: Model;
  /** Final test probabilities (softmax of logits), kept for the caller. */
  testLogits: Tensor2D;
}

export interface StageOptions {
  info: StageInfo;
  model: Model;
  train: TrainSpec;
  loss: TrainingLoss;
  data: TrainingSet;
  /** Encoded test inputs and truth. */
  test: { inputs: Tensor2D; labels: Tensor1D };
  validation?: { inputs: Tensor2D; labels: Tensor1D };
  /** How the validation labels were made, for the result ("ground truth" / "the supervisor's labels"). */
  validationLabelledBy: string;
  /** Stages sharing a key shuffle their data in the same order. */
  shuffleKey: string;
  testLabels: Int32Array;
  ctx: RunContext;
  /** Decision-grid points, for 2-D data. */
  grid?: Tensor2D;
  /** Called after each measurement (see TrainOptions.afterMeasure). */
  afterMeasure?: (step: number, epoch: number) => Promise<void> | void;
  /** Measure held-out bits per character at every measurement (see TrainOptions.measureBits). */
  measureBits?: boolean;
  /** [height, width] of image inputs: a model that reads their pixels reports its first layer's weights. */
  image?: readonly number[];
  /** A feature distillation term added to the loss (see FeatureTerm). */
  featureTerm?: FeatureTerm;
}

/** Units of a first layer sent to the page at most (each drawn as an image). */
const FIRST_LAYER_UNITS = 16;

/**
 * Reads a model's first-layer weights as images after each measurement, when it is a linear model or an MLP on
 * image pixels; null otherwise. Reading weights changes nothing in training.
 */
function firstLayerReporter(options: StageOptions): ((step: number) => Promise<void>) | null {
  const { model, image, ctx, info } = options;
  const [height, width] = image ?? [];
  const kernel = model.trainable[0];
  if (!height || !width || !ctx.onEvent || (model.spec.type !== 'linear' && model.spec.type !== 'mlp') || kernel?.shape[0] !== height * width) return null;
  const units = Math.min(FIRST_LAYER_UNITS, kernel.shape[1] ?? 0);
  return async (step) => {
    const images = tf.tidy(() => tf.transpose(tf.slice(kernel as Tensor2D, [0, 0], [-1, units])));
    const weights = (await untilCancelled(images.data(), ctx.signal).finally(() => images.dispose())) as Float32Array;
    ctx.onEvent?.({ type: 'first-layer', stage: info.name, step, layer: { height, width, units, totalUnits: kernel.shape[1] ?? units, weights } });
  };
}

/**
 * The stage's key in the run's stage store, or null when it is not to be kept: no store, a stage that measures
 * something of its own while it trains (afterMeasure), which a replay could not redo, or one with a feature term,
 * whose loss (a hint, relational KD) and own variables the key cannot describe.
 */
async function cacheKeyOf(options: StageOptions): Promise<string | null> {
  const { ctx } = options;
  if (!ctx.stageCache || options.afterMeasure || options.featureTerm) return null;
  return stageKey({
    model: options.model,
    train: options.train,
    loss: options.loss,
    data: options.data,
    test: options.test,
    validation: options.validation,
    grid: options.grid,
    rng: ctx.rng,
    shuffleKey: options.shuffleKey,
    backend: ctx.backend,
  });
}

/** Gives the trained (or restored) model to whoever asked for it (the page exports it); the test logits are released if that fails. */
async function handOver(ctx: RunContext, result: StageResult, model: Model, testLogits: Tensor2D): Promise<void> {
  try {
    await ctx.onTrainedModel?.(result, model);
  } catch (error) {
    testLogits.dispose();
    throw error;
  }
}

/** A kept stage replayed: its measurements streamed again, its weights put in the model, its result marked reused. */
async function reuseStage(options: StageOptions, cached: CachedStage, started: number): Promise<StageRun> {
  const { info, model, ctx } = options;
  cached.weights.forEach((w, i) => {
    const values = tf.tensor(w.values, w.shape, 'float32');
    model.trainable[i].assign(values);
    values.dispose();
  });
  // Built field by field from the checked entry: nothing else a store held reaches the page.
  const history = cached.steps.map(({ step, epoch, loss, testAccuracy, validationAccuracy, learningRate, taidT }) => ({
    step,
    epoch,
    loss,
    testAccuracy,
    validationAccuracy,
    learningRate,
    ...(taidT !== undefined ? { taidT } : {}),
  }));
  cached.steps.forEach(({ totalSteps, testPredictions, probePredictions }, i) =>
    ctx.onEvent?.({ type: 'step', stage: info.name, ...history[i], totalSteps, testPredictions, ...(probePredictions ? { probePredictions } : {}) }),
  );
  const testLogits = await predict(model, options.test.inputs, ctx.signal);
  // The same weights give the same logits, so calibration is computed again rather than trusted from the store.
  const numClasses = options.data.targets.shape[1];
  const probabilities = tf.tidy(() => tf.softmax(testLogits));
  const probs = (await probabilities.data().finally(() => probabilities.dispose())) as Float32Array;
  const kept = cached.result;
  const result: StageResult = {
    ...info,
    model: model.description,
    parameters: model.parameterCount(),
    trainingExamples: options.data.inputs.shape[0],
    accuracy: kept.accuracy,
    bestAccuracy: kept.bestAccuracy,
    bestStep: kept.bestStep,
    bestChosenBy: kept.bestChosenBy,
    oracleBestAccuracy: kept.oracleBestAccuracy,
    totalSteps: kept.totalSteps,
    stepsRun: kept.stepsRun,
    stoppedEarly: kept.stoppedEarly,
    ...calibration(probs, numClasses, options.testLabels),
    seconds: (performance.now() - started) / 1000,
    reused: { seconds: kept.seconds },
    history,
    testPredictions: kept.testPredictions,
    bestTestPredictions: kept.bestTestPredictions,
    ...(kept.gridPredictions ? { gridPredictions: kept.gridPredictions } : {}),
  };
  await handOver(ctx, result, model, testLogits);
  ctx.onEvent?.({ type: 'stage-end', stage: info.name, result });
  return { result, model, testLogits };
}

export async function runStage(options: StageOptions): Promise<StageRun> {
  const { info, model, ctx } = options;
  const started = performance.now();
  const trainingExamples = options.data.inputs.shape[0];
  const totalSteps = stepsPerEpoch(trainingExamples, options.train.batchSize) * options.train.epochs;
  let lastGrid: Int32Array | undefined;
  const reportFirstLayer = firstLayerReporter(options);
  ctx.onEvent?.({
    type: 'stage-start',
    stage: info.name,
    label: info.label,
    model: model.description,
    parameters: model.parameterCount(),
    totalSteps,
    trainingExamples,
  });
  const key = await cacheKeyOf(options);
  if (key) {
    const cached = readCachedStage(await ctx.stageCache!.get(key), {
      shapes: model.trainable.map((v) => v.shape),
      testCount: options.testLabels.length,
      classes: options.data.targets.shape[1],
      gridCount: options.grid ? options.grid.shape[0] : null,
      totalSteps,
    });
    if (cached) {
      const reused = await reuseStage(options, cached, started);
      // A kept stage is not trained again: its first layer is shown once, as it ended.
      await reportFirstLayer?.(reused.result.history.at(-1)?.step ?? 0).catch((error: unknown) => {
        reused.testLogits.dispose();
        throw error;
      });
      return reused;
    }
  }
  const steps: StepEvent[] = [];
  const outcome = await train({
    stage: options.shuffleKey,
    model,
    spec: options.train,
    loss: options.loss,
    data: options.data,
    test: options.test,
    validation: options.validation,
    rng: ctx.rng,
    signal: ctx.signal,
    beforeStep: ctx.beforeStep,
    probe: options.grid,
    afterMeasure: async (step, epoch) => {
      await options.afterMeasure?.(step, epoch);
      await reportFirstLayer?.(step);
    },
    measureBits: options.measureBits,
    featureTerm: options.featureTerm,
    onStep: (event) => {
      if (event.probePredictions) lastGrid = event.probePredictions;
      if (key) steps.push(event);
      ctx.onEvent?.({ type: 'step', stage: info.name, ...event });
    },
  }).catch((error: unknown) => {
    // Name the model as the page does ("Strong ceiling"), not by its shuffle key ("strong").
    throw error instanceof DivergenceError ? new DivergenceError(info.label, error.step, error.learningRate) : error;
  });
  const numClasses = options.data.targets.shape[1];
  const made: Tensor[] = [...(outcome.bestWeights ?? [])];
  let testLogits: Tensor2D;
  let probs: Float32Array;
  let testPredictions: Int32Array;
  let bestTestPredictions: Int32Array;
  try {
    testLogits = await predict(model, options.test.inputs, ctx.signal);
    made.push(testLogits);
    const probabilities = tf.tidy(() => tf.softmax(testLogits));
    made.push(probabilities);
    probs = (await probabilities.data()) as Float32Array;
    testPredictions = argmaxRows(probs, numClasses);
    bestTestPredictions = testPredictions;
    if (outcome.bestWeights) {
      // Evaluate the best checkpoint, then put the final weights back.
      const finalWeights = model.trainable.map((v) => tf.keep(tf.clone(v)));
      made.push(...finalWeights);
      assignWeights(model, outcome.bestWeights);
      try {
        const bestLogits = await predict(model, options.test.inputs, ctx.signal);
        made.push(bestLogits);
        bestTestPredictions = argmaxRows((await bestLogits.data()) as Float32Array, numClasses);
      } finally {
        assignWeights(model, finalWeights);
      }
    }
  } catch (error) {
    made.forEach((t) => t.dispose());
    throw error;
  }
  // Everything made here but the test logits, which the caller keeps.
  made.filter((t) => t !== testLogits).forEach((t) => t.dispose());
  const last = outcome.history[outcome.history.length - 1];
  const accuracy = last.testAccuracy;
  const result: StageResult = {
    ...info,
    model: model.description,
    parameters: model.parameterCount(),
    trainingExamples,
    accuracy,
    bestAccuracy: outcome.bestAccuracy,
    bestStep: outcome.bestStep,
    bestChosenBy: options.validation
      ? `validation accuracy against ${options.validationLabelledBy} (${options.validation.inputs.shape[0]} examples)`
      : 'no validation split: the final checkpoint',
    oracleBestAccuracy: outcome.oracleBestAccuracy,
    totalSteps: outcome.totalSteps,
    stepsRun: outcome.stepsRun,
    stoppedEarly: outcome.stoppedEarly,
    ...calibration(probs, numClasses, options.testLabels),
    seconds: (performance.now() - started) / 1000,
    history: outcome.history,
    testPredictions,
    bestTestPredictions,
    // The last measurement is at the final step, so its grid is the final model's.
    ...(lastGrid ? { gridPredictions: lastGrid } : {}),
    ...(last.bitsPerCharacter !== undefined ? { bitsPerCharacter: last.bitsPerCharacter } : {}),
  };
  if (key) {
    const weights = await Promise.all(model.trainable.map(async (v) => ({ shape: v.shape, values: (await v.data()) as Float32Array })));
    await ctx.stageCache!.put(key, { version: 1, result, weights, steps });
  }
  await handOver(ctx, result, model, testLogits);
  ctx.onEvent?.({ type: 'stage-end', stage: info.name, result });
  return { result, model, testLogits };
}

/** What a stage with nothing to train measured: its class (and probabilities) on every test example. */
export interface Measurement {
  testPredictions: Int32Array;
  /** Row-major probabilities on test, for the calibration error (one-hot for a rule's hard labels). */
  testProbabilities: Float32Array;
  /** Agreement with the validation split's truth, or null without one. */
  validationAccuracy: number | null;
  bestChosenBy: string;
  /** Seconds the measurement took. */
  seconds: number;
}

/**
 * A stage with nothing to train (a labelling rule, an ensemble's average, a vote of labelling functions): announced
 * like any stage and reported with its one measurement on test.
 */
export function measuredStage(ctx: RunContext, info: StageInfo, model: string, testLabels: Int32Array, m: Measurement): StageResult {
  announceMeasuredStage(ctx, info, model);
  return reportMeasuredStage(ctx, info, model, testLabels, m);
}

/** The start of a stage with nothing to train, for a stage whose measurement takes a while (a label model's fit). */
export function announceMeasuredStage(ctx: RunContext, info: StageInfo, model: string): void {
  ctx.onEvent?.({ type: 'stage-start', stage: info.name, label: info.label, model, parameters: 0, totalSteps: 0, trainingExamples: 0 });
}

/** The measurement and the end of a stage with nothing to train, announced before. */
export function reportMeasuredStage(ctx: RunContext, info: StageInfo, model: string, testLabels: Int32Array, m: Measurement): StageResult {
  const testAccuracy = accuracy(m.testPredictions, testLabels);
  const point: MetricPoint = { step: 0, epoch: 0, loss: NaN, testAccuracy, validationAccuracy: m.validationAccuracy, learningRate: 0 };
  ctx.onEvent?.({ type: 'step', stage: info.name, ...point, totalSteps: 0, testPredictions: m.testPredictions });
  const numClasses = m.testProbabilities.length / testLabels.length;
  const result: StageResult = {
    ...info,
    model,
    parameters: 0,
    trainingExamples: 0,
    accuracy: testAccuracy,
    bestAccuracy: testAccuracy,
    bestStep: 0,
    bestChosenBy: m.bestChosenBy,
    oracleBestAccuracy: testAccuracy,
    totalSteps: 0,
    stepsRun: 0,
    stoppedEarly: false,
    ece: expectedCalibrationError(m.testProbabilities, numClasses, testLabels),
    seconds: m.seconds,
    history: [point],
    testPredictions: m.testPredictions,
    bestTestPredictions: m.testPredictions,
  };
  ctx.onEvent?.({ type: 'stage-end', stage: info.name, result });
  return result;
}
