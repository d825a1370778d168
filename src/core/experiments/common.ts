/** What every experiment kind shares: progress events, stage results, and running one training stage. */
import type { AssetSource } from '../assets';
import type { ExperimentConfig, LossSpec, ModelSpec, TrainSpec } from '../config';
import type { CustomRows } from '../data/custom';
import { buildSplits, type ExperimentData } from '../data/splits';
import { argmaxRows, expectedCalibrationError, mistakeBreakdown, performanceGapRecovered, type MistakeBreakdown } from '../metrics';
import type { ChartData, ChartEvent } from './charts';
import { STAGE_ROLES } from './roles';
import { encoderId, loadEncoderWeights } from '../models/encoder-weights';
import { buildModel, type Model } from '../models/model';
import type { Rng } from '../rng';
import { encodeAll, predict } from '../evaluate';
import { tf, type Tensor, type Tensor1D, type Tensor2D } from '../tf';
import { assignWeights, DivergenceError, stepsPerEpoch, train, type MetricPoint, type StepEvent, type TrainingSet } from '../train';

export interface StageInfo {
  name: string;
  label: string;
  /** What this model is, in a sentence for people. */
  role: string;
}

export interface StageResult extends StageInfo {
  model: string;
  parameters: number;
  trainingExamples: number;
  /** Final checkpoint's test accuracy. */
  accuracy: number;
  /** Test accuracy of the checkpoint chosen on the validation split (= final without one). */
  bestAccuracy: number;
  bestStep: number;
  /** How the best checkpoint was chosen. */
  bestChosenBy: string;
  /** Highest test accuracy at any measurement: an oracle, for reference only. */
  oracleBestAccuracy: number;
  totalSteps: number;
  stepsRun: number;
  stoppedEarly: boolean;
  /** Expected calibration error of the final checkpoint on test (10 bins). */
  ece: number;
  seconds: number;
  history: MetricPoint[];
  /** Final checkpoint's predicted class per test example. */
  testPredictions: Int32Array;
  /** Best checkpoint's predicted class per test example. */
  bestTestPredictions: Int32Array;
  /** Final predicted class at each decision-grid point (2-D data only). */
  gridPredictions?: Int32Array;
}

/** A square grid over 2-D data on which models' decision regions are drawn. */
export interface DecisionGrid {
  /** [xMin, xMax, yMin, yMax] */
  bounds: [number, number, number, number];
  /** Points per side; point (i, j) is row j * resolution + i. */
  resolution: number;
}

export interface ExperimentStart {
  type: 'experiment-start';
  kind: ExperimentConfig['kind'];
  dataset: string;
  datasetKind: 'image' | 'tabular' | 'toy';
  classNames: string[];
  stages: StageInfo[];
  /** The test examples exactly as the models see them, for galleries and plots. */
  test: { features: Float32Array; featureShape: number[]; labels: Int32Array };
  grid: DecisionGrid | null;
}

export type ExperimentEvent =
  | ExperimentStart
  | { type: 'stage-start'; stage: string; label: string; model: string; parameters: number; totalSteps: number; trainingExamples: number }
  | ({ type: 'step'; stage: string } & StepEvent)
  | { type: 'stage-end'; stage: string; result: StageResult }
  | ChartEvent;

export interface RunContext {
  config: ExperimentConfig;
  source: AssetSource;
  rng: Rng;
  signal?: AbortSignal;
  onEvent?: (event: ExperimentEvent) => void;
  /** Awaited before every training step (pause, single-step, pacing). */
  beforeStep?: () => Promise<void> | void;
  /** The rows of the visitor's own data, when config.data.dataset is "custom". */
  customRows?: CustomRows;
}

/** Tensors of one labelled split. */
export interface SplitTensors {
  x: Tensor2D;
  y: Tensor1D;
  count: number;
}

export function toTensors(set: { x: Float32Array; y: Int32Array; count: number }, featureSize: number): SplitTensors {
  return { x: tf.tensor2d(set.x, [set.count, featureSize]), y: tf.tensor1d(set.y, 'int32'), count: set.count };
}

export function oneHot(labels: Tensor1D, numClasses: number): Tensor2D {
  return tf.tidy(() => tf.cast(tf.oneHot(labels, numClasses), 'float32') as Tensor2D);
}

/**
 * Encoded inputs per (encoding, split), computed once: a frozen encoder's features are shared by every model
 * that uses the same encoder (the ceiling and the student).
 */
export class EncodingCache {
  private readonly entries = new Map<string, Tensor2D>();
  constructor(private readonly signal?: AbortSignal) {}
  async encode(model: Model, split: string, raw: Tensor2D): Promise<Tensor2D> {
    if (model.encodingKey === 'raw') return raw;
    const key = `${model.encodingKey}|${split}`;
    let encoded = this.entries.get(key);
    if (!encoded) {
      encoded = tf.keep(await encodeAll(model, raw, this.signal));
      this.entries.set(key, encoded);
    }
    return encoded;
  }
  dispose(): void {
    this.entries.forEach((t) => t.dispose());
    this.entries.clear();
  }
}

export async function createModel(spec: ModelSpec, data: ExperimentData, ctx: RunContext, initLabel: string): Promise<Model> {
  const encoder = spec.type === 'pretrained' ? await loadEncoderWeights(encoderId(data.datasetId, spec.encoder), ctx.source) : undefined;
  return buildModel(spec, { featureShape: data.featureShape, numClasses: data.classNames.length, rng: ctx.rng.fork(initLabel), encoder });
}

/**
 * Everything an experiment allocates (tensors, models, encoded inputs), released together in one `finally`.
 */
export class ExperimentScope {
  readonly cache: EncodingCache;
  private readonly tensors: tf.Tensor[] = [];
  private readonly models: { dispose(): void }[] = [];

  constructor(signal?: AbortSignal) {
    this.cache = new EncodingCache(signal);
  }

  own<T extends tf.Tensor>(tensor: T): T {
    this.tensors.push(tensor);
    return tensor;
  }

  split(set: { x: Float32Array; y: Int32Array; count: number }, featureSize: number): SplitTensors {
    const tensors = toTensors(set, featureSize);
    this.own(tensors.x);
    this.own(tensors.y);
    return tensors;
  }

  model<M extends { dispose(): void }>(model: M): M {
    this.models.push(model);
    return model;
  }

  dispose(): void {
    this.models.forEach((m) => m.dispose());
    this.cache.dispose();
    this.tensors.forEach((t) => t.dispose());
  }
}

export interface OpenedExperiment {
  data: ExperimentData;
  numClasses: number;
  scope: ExperimentScope;
  test: SplitTensors;
  /** Decision-grid points for 2-D data. */
  grid: Tensor2D | undefined;
}

/**
 * Builds the splits, announces the experiment, and puts the test set (and grid) on the device. `prepare` may
 * replace the data before it is announced (an oracle that relabels every example); what it allocates goes in
 * `scope`, which is released if it fails.
 */
export async function openExperiment(
  config: ExperimentConfig,
  ctx: RunContext,
  parts: { name: string; size: number }[],
  stages: StageInfo[],
  prepare?: (data: ExperimentData, scope: ExperimentScope) => Promise<ExperimentData>,
): Promise<OpenedExperiment> {
  const { dataset, noise, testSize, custom } = config.data;
  const scope = new ExperimentScope(ctx.signal);
  let data = await buildSplits({ dataset, noise, testSize, parts, custom, customRows: ctx.customRows }, config.seed, ctx.source);
  if (prepare) {
    try {
      data = await prepare(data, scope);
    } catch (error) {
      scope.dispose();
      throw error;
    }
  }
  const gridData = decisionGrid(data);
  ctx.onEvent?.(experimentStart(config.kind, data, stages, gridData?.grid ?? null));
  const test = scope.split(data.test, data.featureSize);
  const grid = gridData ? scope.own(tf.tensor2d(gridData.points, [gridData.points.length / 2, 2])) : undefined;
  return { data, numClasses: data.classNames.length, scope, test, grid };
}

const GRID_RESOLUTION = 48;

/** A grid covering the 2-D data with a margin; null for other data. */
export function decisionGrid(data: ExperimentData): { grid: DecisionGrid; points: Float32Array } | null {
  if (data.featureSize !== 2) return null;
  let xMin = Infinity, xMax = -Infinity, yMin = Infinity, yMax = -Infinity;
  for (const set of [data.test, ...Object.values(data.parts)]) {
    for (let i = 0; i < set.count; i++) {
      xMin = Math.min(xMin, set.x[2 * i]);
      xMax = Math.max(xMax, set.x[2 * i]);
      yMin = Math.min(yMin, set.x[2 * i + 1]);
      yMax = Math.max(yMax, set.x[2 * i + 1]);
    }
  }
  const margin = 0.1 * Math.max(xMax - xMin, yMax - yMin);
  const bounds: DecisionGrid['bounds'] = [xMin - margin, xMax + margin, yMin - margin, yMax + margin];
  const n = GRID_RESOLUTION;
  const points = new Float32Array(n * n * 2);
  for (let j = 0; j < n; j++) {
    for (let i = 0; i < n; i++) {
      points[2 * (j * n + i)] = bounds[0] + ((i + 0.5) / n) * (bounds[1] - bounds[0]);
      points[2 * (j * n + i) + 1] = bounds[2] + ((j + 0.5) / n) * (bounds[3] - bounds[2]);
    }
  }
  return { grid: { bounds, resolution: n }, points };
}

/** The experiment-start event: what the UI needs before the first step. */
export function experimentStart(kind: ExperimentConfig['kind'], data: ExperimentData, stages: StageInfo[], grid: DecisionGrid | null): ExperimentStart {
  return {
    type: 'experiment-start',
    kind,
    dataset: data.name,
    datasetKind: data.kind,
    classNames: data.classNames,
    stages,
    test: { features: data.test.x, featureShape: data.featureShape, labels: data.test.y },
    grid,
  };
}

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

export interface ExperimentResult {
  formatVersion: 1;
  kind: ExperimentConfig['kind'];
  config: ExperimentConfig;
  backend: string;
  dataset: { id: string; name: string; classNames: string[]; testSize: number; transferSize: number };
  stages: Record<string, StageResult>;
  /** Names of the stages in the roles the metrics use. */
  roles: { supervisor: string; reference: string; student: string };
  pgr: {
    /** What the ratio means for this kind of experiment. */
    definition: string;
    final: number | null;
    best: number | null;
    /** From the oracle checkpoints (best on test): for reference, never a headline. */
    oracleBest: number | null;
    reason: string | null;
  };
  mistakes: { test: MistakeBreakdown; transfer: MistakeBreakdown };
  /** The experiment's characteristic plots beyond the training curves (see charts.ts). */
  charts: ChartData[];
  /** Every student compared side by side (kinds whose roles name `students`), against the same supervisor and gap. */
  students?: StudentSummary[];
  predictions: {
    test: { label: Int32Array; supervisor: Int32Array; student: Int32Array };
    transfer: { label: Int32Array; supervisor: Int32Array; student: Int32Array };
  };
  seconds: number;
}

/** One student of several, measured as the headline student is: accuracies, gap ratio, beats and copies on test. */
export interface StudentSummary {
  stage: string;
  label: string;
  accuracy: number;
  bestAccuracy: number;
  /** The gap ratio (PGR, gap closed) against the same lower and upper models as the headline. */
  gap: { final: number | null; best: number | null };
  /** Against the supervisor on the test set: beatRate, copyRate... */
  mistakes: MistakeBreakdown;
}

export interface ResultParts {
  config: ExperimentConfig;
  backend: string;
  data: ExperimentData;
  stages: Record<string, StageResult>;
  /** Accuracy the best-checkpoint ratio starts from (the weak model that made the labels is only ever final). */
  lowerBestAccuracy: number;
  definition: string;
  transfer: { label: Int32Array; supervisor: Int32Array; student: Int32Array };
  started: number;
  charts?: ChartData[];
}

/** The gap ratios, beat/copy breakdowns and per-example predictions every experiment kind reports. */
export function assembleResult(parts: ResultParts): ExperimentResult {
  const { config, data, stages, transfer } = parts;
  const roles = STAGE_ROLES[config.kind];
  const lower = stages[roles.lower];
  const upper = stages[roles.upper];
  const student = stages[roles.student];
  const supervisor = stages[roles.supervisor];
  const noGap = { value: null, reason: 'this experiment has no gap ratio' };
  const gap = (lowerAcc: number, upperAcc: number, studentAcc: number) => (roles.gapName ? performanceGapRecovered(lowerAcc, upperAcc, studentAcc) : noGap);
  const final = gap(lower.accuracy, upper.accuracy, student.accuracy);
  const best = gap(parts.lowerBestAccuracy, upper.bestAccuracy, student.bestAccuracy);
  const oracle = gap(parts.lowerBestAccuracy, upper.oracleBestAccuracy, student.oracleBestAccuracy);
  const students = roles.students?.filter((name) => name in stages).map((name): StudentSummary => {
    const stage = stages[name];
    return {
      stage: name,
      label: stage.label,
      accuracy: stage.accuracy,
      bestAccuracy: stage.bestAccuracy,
      gap: { final: gap(lower.accuracy, upper.accuracy, stage.accuracy).value, best: gap(parts.lowerBestAccuracy, upper.bestAccuracy, stage.bestAccuracy).value },
      mistakes: mistakeBreakdown(data.test.y, supervisor.testPredictions, stage.testPredictions),
    };
  });
  return {
    formatVersion: 1,
    kind: config.kind,
    config,
    backend: parts.backend,
    dataset: { id: data.datasetId, name: data.name, classNames: data.classNames, testSize: data.test.count, transferSize: transfer.label.length },
    stages,
    roles: { supervisor: roles.supervisor, reference: roles.supervisor === roles.lower ? roles.upper : roles.lower, student: roles.student },
    pgr: { definition: parts.definition, final: final.value, best: best.value, oracleBest: oracle.value, reason: final.reason ?? best.reason },
    mistakes: {
      test: mistakeBreakdown(data.test.y, supervisor.testPredictions, student.testPredictions),
      transfer: mistakeBreakdown(transfer.label, transfer.supervisor, transfer.student),
    },
    charts: parts.charts ?? [],
    ...(students ? { students } : {}),
    predictions: {
      test: { label: data.test.y, supervisor: supervisor.testPredictions, student: student.testPredictions },
      transfer,
    },
    seconds: (performance.now() - parts.started) / 1000,
  };
}
