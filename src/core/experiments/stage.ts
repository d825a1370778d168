/** One training stage: train a model, measure it, report it (stage-start, steps, stage-end) and hand it back. */
import type { LossSpec, TrainSpec } from '../config/blocks';
import { accuracy, argmaxRows, expectedCalibrationError } from '../metrics';
import type { Model } from '../models/model';
import { predict } from '../evaluate';
import { tf, type Tensor, type Tensor1D, type Tensor2D } from '../tf';
import { assignWeights, DivergenceError, stepsPerEpoch, train, type TrainingSet } from '../train';
import type { RunContext } from './context';
import type { MetricPoint, StageInfo, StageResult } from './contract';

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
  loss: LossSpec;
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
}

export async function runStage(options: StageOptions): Promise<StageRun> {
  const { info, model, ctx } = options;
  const started = performance.now();
  const trainingExamples = options.data.inputs.shape[0];
  let lastGrid: Int32Array | undefined;
  ctx.onEvent?.({
    type: 'stage-start',
    stage: info.name,
    label: info.label,
    model: model.description,
    parameters: model.parameterCount(),
    totalSteps: stepsPerEpoch(trainingExamples, options.train.batchSize) * options.train.epochs,
    trainingExamples,
  });
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
    afterMeasure: options.afterMeasure,
    onStep: (event) => {
      if (event.probePredictions) lastGrid = event.probePredictions;
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
  const accuracy = outcome.history[outcome.history.length - 1].testAccuracy;
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
    ece: expectedCalibrationError(probs, numClasses, options.testLabels),
    seconds: (performance.now() - started) / 1000,
    history: outcome.history,
    testPredictions,
    bestTestPredictions,
    // The last measurement is at the final step, so its grid is the final model's.
    ...(lastGrid ? { gridPredictions: lastGrid } : {}),
  };
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
