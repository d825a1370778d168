/** One training stage: train a model, measure it, report it (stage-start, steps, stage-end) and hand it back. */
import type { LossSpec, TrainSpec } from '../config/blocks';
import { argmaxRows, expectedCalibrationError } from '../metrics';
import type { Model } from '../models/model';
import { predict } from '../evaluate';
import { tf, type Tensor, type Tensor1D, type Tensor2D } from '../tf';
import { assignWeights, DivergenceError, stepsPerEpoch, train, type TrainingSet } from '../train';
import type { RunContext } from './context';
import type { StageInfo, StageResult } from './contract';

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
  /** Measure held-out bits per character at every measurement (see TrainOptions.measureBits). */
  measureBits?: boolean;
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
    measureBits: options.measureBits,
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
    ece: expectedCalibrationError(probs, numClasses, options.testLabels),
    seconds: (performance.now() - started) / 1000,
    history: outcome.history,
    testPredictions,
    bestTestPredictions,
    // The last measurement is at the final step, so its grid is the final model's.
    ...(lastGrid ? { gridPredictions: lastGrid } : {}),
    ...(last.bitsPerCharacter !== undefined ? { bitsPerCharacter: last.bitsPerCharacter } : {}),
  };
  ctx.onEvent?.({ type: 'stage-end', stage: info.name, result });
  return { result, model, testLogits };
}
