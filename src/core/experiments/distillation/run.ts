/**
 * Knowledge distillation (Hinton et al.; shared/METHODS.md section 3): a teacher trained on ground truth;
 * a student trained on its own labelled subset alone (the baseline); the same student, same initial weights,
 * distilled from the teacher over every training image, with ground truth where it has it.
 *
 * The teacher, the baseline and "distil a student with this loss" are shared with the distillation-variants
 * experiment (kd-variants.ts), which distils the same student several ways.
 */
import { KD_STAGES, type DistillationConfig } from './spec';
import type { LossSpec, Role } from '../../config/blocks';
import { argmaxRows } from '../../metrics';
import { featuresOf, predict, predictClasses, predictValues } from '../../evaluate';
import { tf, type Tensor1D, type Tensor2D } from '../../tf';
import { assembleResult } from '../result';
import { createModel, oneHot, openExperiment, type DatasetConfig, type OpenedExperiment, type SplitTensors } from '../open';
import { runStage, type StageOptions, type StageRun } from '../stage';
import type { FeatureTerm } from '../../train';
import type { ExperimentResult } from '../contract';
import type { StageInfo } from '../figures';
import { observing, type RunContext } from '../context';
import { ChartRecorder, type ChartInfo } from '../charts';

export interface DistillationBench {
  opened: OpenedExperiment;
  teacher: StageRun;
  baseline: StageRun;
  /** The teacher's argmax on every training image: the supervisor's labels on the transfer set. */
  teacherOnTrain: Int32Array;
  /**
   * Distils a fresh student (the baseline's initial weights) from the teacher over every training image with
   * `loss`; ground truth on the labelled rows. `ctx` may differ from the experiment's (to watch its events). A
   * feature term reads the teacher's last hidden layer on the same rows (computed once, on first use).
   */
  distil(
    info: StageInfo,
    loss: LossSpec,
    options?: { ctx?: RunContext; afterMeasure?: StageOptions['afterMeasure']; featureTerm?: FeatureTerm },
  ): Promise<StageRun>;
  /** A trained student's argmax on every training image. */
  predictTrain(run: StageRun): Promise<Int32Array>;
}

/** Opens a distillation experiment's data (a training split and a validation split). */
export function openDistillation(
  config: DatasetConfig & { data: { trainSize: number; validationSize: number } },
  ctx: RunContext,
  stages: StageInfo[],
): Promise<OpenedExperiment> {
  return openExperiment(
    config,
    ctx,
    [
      { name: 'train', size: config.data.trainSize },
      { name: 'V', size: config.data.validationSize },
    ],
    stages,
  );
}

/** What the distillation family's teacher and student need from a config (several kinds share them). */
export interface TeacherStudentConfig {
  data: { trainSize: number; labelledSize: number; validationSize: number };
  teacher: Role;
  student: Role;
}

/** The distillation family's trained teacher, with what its students learn from. */
export interface TrainedTeacher {
  teacher: StageRun;
  /** Every training image, and its ground truth as one-hot rows. */
  all: SplitTensors;
  allTruth: Tensor2D;
  /** The validation split (null without one) and the teacher's classes on it (the students' validation labels). */
  V: SplitTensors | null;
  teacherOnV: Tensor1D | null;
  /** The teacher's logits on every training image. */
  teacherLogits: Tensor2D;
  /** The teacher's argmax on every training image: the supervisor's labels on the transfer set. */
  teacherOnTrain: Int32Array;
  /** 1 on the rows that carry ground truth for the student (the first labelledSize), else 0. */
  labelledMask: Tensor1D;
}

/**
 * Trains the teacher on every training image with ground truth. `opened` holds a `train` part (and a `V` part
 * when validationSize > 0), possibly among others. What it allocates belongs to `opened.scope`.
 */
export async function trainTeacher(
  config: Pick<TeacherStudentConfig, 'data' | 'teacher'>,
  ctx: RunContext,
  opened: OpenedExperiment,
  info: StageInfo,
): Promise<TrainedTeacher> {
  const { data, numClasses, scope, test, grid } = opened;
  const image = data.kind === 'image' ? data.featureShape : undefined;
  const all = scope.split(data.parts.train, data.featureSize);
  const V = config.data.validationSize > 0 ? scope.split(data.parts.V, data.featureSize) : null;

  const teacherModel = scope.model(await createModel(config.teacher.model, data, ctx, 'init:teacher'));
  const teacherIn = (split: string, raw: Tensor2D) => scope.cache.encode(teacherModel, split, raw);
  const allTruth = scope.own(oneHot(all.y, numClasses));
  const teacher = await runStage({
    info,
    model: teacherModel,
    train: config.teacher.train,
    loss: { type: 'xent' },
    data: { inputs: await teacherIn('train', all.x), targets: allTruth },
    test: { inputs: await teacherIn('test', test.x), labels: test.y },
    validation: V ? { inputs: await teacherIn('V', V.x), labels: V.y } : undefined,
    validationLabelledBy: 'ground truth',
    shuffleKey: 'teacher',
    testLabels: data.test.y,
    ctx,
    grid,
    image,
  });
  scope.own(teacher.testLogits);
  const teacherLogits = scope.own(await predict(teacherModel, await teacherIn('train', all.x), ctx.signal));
  const teacherOnV = V ? scope.own(await predictClasses(teacherModel, await teacherIn('V', V.x), ctx.signal)) : null;
  const teacherOnTrain = argmaxRows((await teacherLogits.data()) as Float32Array, numClasses);
  // The training split is already a random permutation, so its first rows are a random labelled subset.
  const labelledRows = config.data.labelledSize;
  const labelledMask = scope.own(tf.tidy(() => tf.concat([tf.ones([labelledRows]), tf.zeros([all.count - labelledRows])]) as Tensor1D));
  return { teacher, all, allTruth, V, teacherOnV, teacherLogits, teacherOnTrain, labelledMask };
}

/**
 * Trains the teacher (every training image, ground truth) and the baseline (the student on its labelled rows
 * alone). `opened` holds a `train` part (and a `V` part when validationSize > 0), possibly among others. The
 * caller owns `opened.scope` and disposes it.
 */
export async function teacherAndBaseline(
  config: TeacherStudentConfig,
  ctx: RunContext,
  opened: OpenedExperiment,
  stages: { teacher: StageInfo; baseline: StageInfo },
): Promise<DistillationBench> {
  const { data, numClasses, scope, test, grid } = opened;
  const image = data.kind === 'image' ? data.featureShape : undefined;
  const labelledRows = config.data.labelledSize;
  const { teacher, all, allTruth, V, teacherOnV, teacherLogits, teacherOnTrain, labelledMask } = await trainTeacher(config, ctx, opened, stages.teacher);

  const baselineModel = scope.model(await createModel(config.student.model, data, ctx, 'init:student'));
  const studentIn = (split: string, raw: Tensor2D) => scope.cache.encode(baselineModel, split, raw);
  const labelledInputs = scope.own(tf.slice(await studentIn('train', all.x), [0, 0], [labelledRows, -1]) as Tensor2D);
  const baseline = await runStage({
    info: stages.baseline,
    model: baselineModel,
    train: config.student.train,
    loss: { type: 'xent' },
    data: { inputs: labelledInputs, targets: scope.own(tf.slice(allTruth, [0, 0], [labelledRows, -1]) as Tensor2D) },
    test: { inputs: await studentIn('test', test.x), labels: test.y },
    validation: V ? { inputs: await studentIn('V', V.x), labels: V.y } : undefined,
    validationLabelledBy: 'ground truth',
    shuffleKey: 'baseline',
    testLabels: data.test.y,
    ctx,
    grid,
    image,
  });
  scope.own(baseline.testLogits);

  let teacherProbabilities: Tensor2D | null = null;
  let teacherFeatures: Tensor2D | null = null;

  const distil: DistillationBench['distil'] = async (info, loss, options = {}) => {
    const studentModel = scope.model(await createModel(config.student.model, data, ctx, 'init:student'));
    // Plain cross-entropy distils the teacher's probabilities; the KD losses mix teacher and truth themselves.
    if (loss.type === 'xent' && !teacherProbabilities) teacherProbabilities = scope.own(tf.softmax(teacherLogits) as Tensor2D);
    const targets = loss.type === 'xent' ? (teacherProbabilities as Tensor2D) : allTruth;
    if (options.featureTerm && !teacherFeatures)
      teacherFeatures = scope.own(await featuresOf(teacher.model, await scope.cache.encode(teacher.model, 'train', all.x), ctx.signal));
    const run = await runStage({
      info,
      model: studentModel,
      train: config.student.train,
      loss,
      data: {
        inputs: await studentIn('train', all.x),
        targets,
        teacherLogits,
        labelled: labelledMask,
        ...(options.featureTerm ? { teacherFeatures: teacherFeatures as Tensor2D } : {}),
      },
      test: { inputs: await studentIn('test', test.x), labels: test.y },
      validation: V && teacherOnV ? { inputs: await studentIn('V', V.x), labels: teacherOnV } : undefined,
      validationLabelledBy: "the teacher's labels",
      // Every distilled student sees the same batches in the same order: only the loss differs.
      shuffleKey: 'student',
      testLabels: data.test.y,
      ctx: options.ctx ?? ctx,
      grid,
      image,
      afterMeasure: options.afterMeasure,
      featureTerm: options.featureTerm,
    });
    scope.own(run.testLogits);
    return run;
  };

  const predictTrain = async (run: StageRun) => {
    return argmaxRows(await predictValues(run.model, await studentIn('train', all.x), ctx.signal), numClasses);
  };

  return { opened, teacher, baseline, teacherOnTrain, distil, predictTrain };
}

export const GAP_CLOSED_DEFINITION = '(distilled - student alone) / (teacher - student alone): the share of the gap to the teacher that distillation closes';

/** Test accuracy against epochs: every model over its own passes through its data, so the student alone's short run spans the plot as the others do. */
const BY_EPOCH_CHART: ChartInfo = {
  id: 'by-epoch',
  title: 'Test accuracy by epoch: distilled, alone, and the teacher',
  kind: 'line',
  xLabel: 'epoch (passes through its own training data)',
  yLabel: 'test accuracy',
  percent: true,
  lesson: true,
  series: [
    { key: 'teacher', label: 'teacher (all labels)', color: '#7c3aed', dashed: true },
    { key: 'baseline', label: 'student alone (its labels only)', color: '#64748b' },
    { key: 'student', label: 'distilled student (every image)', color: '#047857' },
  ],
  note: 'Each model against its own epochs: the student alone sees ten times fewer images per epoch, so against steps its curve would end a tenth of the way along. The gap between the green and the grey line is what distillation adds.',
};

export async function runDistillation(ctx: RunContext<DistillationConfig>): Promise<ExperimentResult> {
  const started = performance.now();
  const { config } = ctx;
  const recorder = new ChartRecorder(ctx.onEvent);
  recorder.declare(BY_EPOCH_CHART);
  const epochs: Record<string, number> = { teacher: config.teacher.train.epochs, baseline: config.student.train.epochs, student: config.student.train.epochs };
  const stepsOf: Record<string, number> = {};
  const watched = observing(ctx, (event) => {
    if (event.type === 'stage-start') stepsOf[event.stage] = event.totalSteps;
    else if (event.type === 'step' && stepsOf[event.stage] && event.stage in epochs)
      recorder.add('by-epoch', event.stage, { x: (event.step * epochs[event.stage]) / stepsOf[event.stage], y: event.testAccuracy });
  });
  const opened = await openDistillation(config, watched, KD_STAGES);
  const { data, scope } = opened;
  try {
    const bench = await teacherAndBaseline(config, watched, opened, { teacher: KD_STAGES[0], baseline: KD_STAGES[1] });
    const student = await bench.distil(KD_STAGES[2], config.student.loss);
    const studentOnTrain = await bench.predictTrain(student);
    return assembleResult({
      config,
      backend: ctx.backend,
      data,
      stages: { teacher: bench.teacher.result, baseline: bench.baseline.result, student: student.result },
      lowerBestAccuracy: bench.baseline.result.bestAccuracy,
      definition: GAP_CLOSED_DEFINITION,
      transfer: { label: data.parts.train.y, supervisor: bench.teacherOnTrain, student: studentOnTrain },
      started,
      charts: recorder.charts,
    });
  } finally {
    scope.dispose();
  }
}
