/**
 * The weak-to-strong pipeline that weak-to-strong, bootstrapping and the loss study share (shared/METHODS.md
 * section 1): splits A (the supervisor's ground truth), B (the transfer set) and V (validation); a model trained
 * on A or B with ground truth or with another model's labels; and a trained model's labels on B (soft or hard).
 */
import type { BootstrapConfig } from './bootstrap/spec';
import type { DeceptionConfig } from './deception/spec';
import type { EnsembleConfig } from './ensemble/spec';
import type { LossSpec, Role } from '../config/blocks';
import type { LossStudyConfig } from './loss-study/spec';
import type { WeakToStrongConfig } from './weak-to-strong/spec';
import { argmaxRows, mistakeBreakdown, performanceGapRecovered } from '../metrics';
import type { Model } from '../models/model';
import { predict, predictClasses, predictValues } from '../evaluate';
import { tf, type Tensor1D, type Tensor2D } from '../tf';
import type { ChartRecorder } from './charts';
import { createModel, oneHot, openExperiment, type OpenedExperiment, type SplitTensors } from './open';
import { runStage, type StageRun } from './stage';
import type { RunContext } from './context';
import type { StageInfo, StageResult } from './figures';

export type TransferConfig = WeakToStrongConfig | BootstrapConfig | LossStudyConfig | EnsembleConfig | DeceptionConfig;

export interface TransferExperiment extends OpenedExperiment {
  ctx: RunContext;
  /** The supervisor's ground truth. */
  A: SplitTensors;
  /** The transfer set: labelled by a supervisor for the student; the ceiling sees its ground truth. */
  B: SplitTensors;
  V: SplitTensors | null;
}

/**
 * Builds splits A, B and V, announces the stages and puts the data on the device (released by `scope`). A kind's
 * own splits (`extraParts`) are drawn after them, so that A, B and V hold the same rows as in every other kind.
 */
export async function openTransferExperiment(
  config: TransferConfig,
  ctx: RunContext,
  stages: StageInfo[],
  extraParts: { name: string; size: number }[] = [],
): Promise<TransferExperiment> {
  const sizes = config.data;
  const opened = await openExperiment(
    config,
    ctx,
    [{ name: 'A', size: sizes.supervisorSize }, { name: 'B', size: sizes.transferSize }, { name: 'V', size: sizes.validationSize }, ...extraParts],
    stages,
  );
  const { data, scope } = opened;
  const A = scope.split(data.parts.A, data.featureSize);
  const B = scope.split(data.parts.B, data.featureSize);
  const V = sizes.validationSize > 0 ? scope.split(data.parts.V, data.featureSize) : null;
  return { ...opened, ctx, A, B, V };
}

/** Labels one model made for the next one to learn from. */
export interface Supervision {
  /** Training targets on B: probabilities (soft) or one-hot (hard). */
  targets: Tensor2D;
  /** The labelling model's class on each validation example (for the learner's checkpoint choice). */
  onV: Tensor1D | null;
  /** The labelling model's class on each transfer example. */
  onB: Int32Array;
  /** Who made the labels, for the result ("the weak supervisor's labels"). */
  labelledBy: string;
}

/** A stage's result, trained or only measured (an ensemble's average). */
export interface Measured {
  run: { result: StageResult };
}

/** A model and the stage that trained it. */
export interface Trained {
  run: StageRun;
  model: Model;
  /** The model's (cached) encoding of a split. */
  input(split: string, raw: Tensor2D): Promise<Tensor2D>;
}

export interface TrainOnSplitOptions {
  info: StageInfo;
  role: Role;
  loss: LossSpec;
  /** Where it trains: the supervisor on A, everything else on B. */
  split: 'A' | 'B';
  /** Ground truth, or another model's labels on B. */
  supervision: 'truth' | Supervision;
  /** Models with the same init label start from the same weights. */
  initLabel: string;
  /** Stages with the same key see their data in the same order. */
  shuffleKey: string;
}

/** Creates a model and trains it as one stage, scored on test and checkpointed on V. */
export async function trainOnSplit(x: TransferExperiment, options: TrainOnSplitOptions): Promise<Trained> {
  const { scope, ctx, data, test, grid, numClasses } = x;
  const model = scope.model(await createModel(options.role.model, data, ctx, options.initLabel));
  const input = (split: string, raw: Tensor2D) => scope.cache.encode(model, split, raw);
  const set = options.split === 'A' ? x.A : x.B;
  const { supervision } = options;
  if (supervision !== 'truth' && options.split !== 'B') throw new Error("a model's labels exist only on the transfer set B");
  const validationLabels = supervision === 'truth' ? x.V?.y : supervision.onV;
  const run = await runStage({
    info: options.info,
    model,
    train: options.role.train,
    loss: options.loss,
    data: { inputs: await input(options.split, set.x), targets: supervision === 'truth' ? scope.own(oneHot(set.y, numClasses)) : supervision.targets },
    test: { inputs: await input('test', test.x), labels: test.y },
    validation: x.V && validationLabels ? { inputs: await input('V', x.V.x), labels: validationLabels } : undefined,
    validationLabelledBy: supervision === 'truth' ? 'ground truth' : supervision.labelledBy,
    shuffleKey: options.shuffleKey,
    testLabels: data.test.y,
    ctx,
    grid,
    image: data.kind === 'image' ? data.featureShape : undefined,
  });
  scope.own(run.testLogits);
  return { run, model, input };
}

/** A trained model's labels on B (soft or hard, at a temperature, as `weakLabels` says) and its classes on V. */
export async function labelsFrom(x: TransferExperiment, trained: Trained, kind: TransferConfig['weakLabels'], labelledBy: string): Promise<Supervision> {
  const { scope, numClasses, B, V, ctx } = x;
  const logitsB = scope.own(await predict(trained.model, await trained.input('B', B.x), ctx.signal));
  const targets = scope.own(
    tf.tidy(() =>
      kind.kind === 'soft' ? (tf.softmax(tf.div(logitsB, kind.temperature)) as Tensor2D) : oneHot(tf.argMax(logitsB, -1) as Tensor1D, numClasses),
    ),
  );
  const onV = V ? scope.own(await predictClasses(trained.model, await trained.input('V', V.x), ctx.signal)) : null;
  const onB = argmaxRows((await logitsB.data()) as Float32Array, numClasses);
  return { targets, onV, onB, labelledBy };
}

/** A trained model's class on each transfer example. */
export async function classesOnTransfer(x: TransferExperiment, trained: Trained): Promise<Int32Array> {
  return argmaxRows(await predictValues(trained.model, await trained.input('B', x.B.x), x.ctx.signal), x.numClasses);
}

/** Step 1 of every weak-to-strong pipeline: the weak supervisor trained on A with ground truth. */
export function trainSupervisor(x: TransferExperiment, config: TransferConfig, info: StageInfo): Promise<Trained> {
  return trainOnSplit(x, {
    info,
    role: config.supervisor,
    loss: { type: 'xent' },
    split: 'A',
    supervision: 'truth',
    initLabel: 'init:supervisor',
    shuffleKey: 'weak',
  });
}

/** The strong ceiling: the strong model trained on B with ground truth (same initial weights as the students). */
export function trainCeiling(x: TransferExperiment, role: Role, info: StageInfo): Promise<Trained> {
  return trainOnSplit(x, { info, role, loss: { type: 'xent' }, split: 'B', supervision: 'truth', initLabel: 'init:strong', shuffleKey: 'strong' });
}

export const W2S_DEFINITION = '(student - weak) / (ceiling - weak), test accuracies; weak = the final supervisor that made the labels';

/**
 * A bar chart comparing students: per student (one bar group), its PGR against the weak supervisor and the
 * ceiling and its copy rate (the share of the supervisor's test mistakes it repeats).
 */
export class PgrCopyChart {
  private groups = 0;

  constructor(
    private readonly recorder: ChartRecorder,
    private readonly id: string,
    info: { title: string; xLabel: string; note: string },
  ) {
    recorder.declare({
      id,
      kind: 'bar',
      yLabel: 'share',
      series: [
        // The page's colours for a student and for "copies" in the beat/copy matrix.
        { key: 'pgr', label: 'PGR (final)', color: '#059669' },
        { key: 'copyRate', label: "Copy rate of the supervisor's mistakes", color: '#dc2626' },
      ],
      ...info,
    });
  }

  /** Adds a student's bar group; returns its PGR (null when the ceiling does not beat the supervisor). */
  add(x: TransferExperiment, label: string, weak: Measured, ceiling: Measured, student: Measured): number | null {
    const result = student.run.result;
    const pgr = performanceGapRecovered(weak.run.result.accuracy, ceiling.run.result.accuracy, result.accuracy).value;
    const { copyRate } = mistakeBreakdown(x.data.test.y, weak.run.result.testPredictions, result.testPredictions);
    if (pgr !== null) this.recorder.add(this.id, 'pgr', { x: this.groups, y: pgr, label });
    if (copyRate !== null) this.recorder.add(this.id, 'copyRate', { x: this.groups, y: copyRate, label });
    this.groups++;
    return pgr;
  }
}
