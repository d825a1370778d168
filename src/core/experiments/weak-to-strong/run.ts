/**
 * Weak-to-strong generalisation (Burns et al. 2023; shared/METHODS.md section 1):
 * weak supervisor on split A with truth -> its labels on split B -> strong ceiling on B with truth and
 * strong student (same architecture, same initial weights) on B with the weak labels; all scored on test.
 * The supervisor may instead be synthetic: a labelling rule with random or systematic errors (see
 * synthetic-supervisor.ts), whose "training" stage is a single measurement of its labels on test.
 */
import { accuracy, mistakeBreakdown } from '../../metrics';
import { tf } from '../../tf';
import { ChartRecorder, type ChartInfo } from '../charts';
import { assembleResult } from '../result';
import { oneHot } from '../open';
import { measuredStage } from '../stage';
import type { ExperimentResult } from '../contract';
import type { StageInfo, StageResult } from '../figures';
import { observing, type RunContext } from '../context';
import { syntheticSupervisor, type SyntheticSource } from './synthetic-supervisor';
import {
  classesOnTransfer,
  labelsFrom,
  openTransferExperiment,
  trainCeiling,
  trainOnSplit,
  trainSupervisor,
  W2S_DEFINITION,
  type Supervision,
  type TransferExperiment,
} from '../transfer';
import { weakToStrong, type WeakToStrongConfig } from './spec';

/** The student's beats and copies of its supervisor's test mistakes at each measurement: the lesson of most presets. */
export const BEAT_COPY_CHART: ChartInfo = {
  id: 'beat-copy',
  title: "Beat or copy: the supervisor's mistakes as the student trains",
  kind: 'line',
  xLabel: "student's training step",
  yLabel: "share of the supervisor's test mistakes",
  yDomain: [0, 1],
  percent: true,
  series: [
    { key: 'beat', label: 'beats (the student gets it right)', color: '#047857' },
    { key: 'copy', label: 'copies (the same mistake)', color: '#b91c1c' },
  ],
  note: 'Of the test examples the supervisor gets wrong: the share the student corrects (beats) and the share where it makes the very same mistake (copies). The rest are other mistakes.',
};

/**
 * Checkpoint choice changed the student's outcome by at least this much test accuracy: the checkpoints chart is
 * then the run's lesson (a memorising student stopped early on weak labels), and drawn.
 */
const CHECKPOINT_LESSON = 0.02;

/** The checkpoints chart: per model, the final checkpoint, the one chosen on validation, and the oracle. */
export const CHECKPOINTS_CHART: ChartInfo = {
  id: 'checkpoints',
  lesson: true,
  title: 'Which checkpoint? Final, best on validation, and the oracle',
  kind: 'bar',
  xLabel: 'model',
  yLabel: 'test accuracy',
  series: [
    { key: 'final', label: 'Final checkpoint' },
    { key: 'best', label: 'Best on the validation split (weak labels for the student)' },
    { key: 'oracle', label: 'Oracle: best on test (not available in practice)', color: '#9ca3af', dashed: true },
  ],
  percent: true,
  note: 'Best: the checkpoint chosen on a validation split labelled by the supervisor for the student (with the truth for the supervisor and the ceiling), never with test labels. Oracle: the best test accuracy of any checkpoint, a reference no one could choose in practice.',
};

/**
 * A synthetic supervisor's stage: no training, one measurement of its labels on test. The same rule labels B
 * (hard labels: the soft/hard choice and the temperature apply to trained supervisors only) and V.
 */
function syntheticSupervision(x: TransferExperiment, rule: SyntheticSource, info: StageInfo): { result: StageResult; labels: Supervision } {
  const { ctx, data, numClasses, scope } = x;
  const started = performance.now();
  const supervisor = syntheticSupervisor(rule, numClasses, data.featureSize, data.parts.B, ctx.rng);
  const onTest = supervisor.label(data.test, 'test');
  const onB = supervisor.label(data.parts.B, 'B');
  const onV = x.V ? supervisor.label(data.parts.V, 'V') : null;
  const probabilities = new Float32Array(onTest.length * numClasses);
  onTest.forEach((c, i) => (probabilities[i * numClasses + c] = 1));
  const result = measuredStage(ctx, info, `synthetic: ${supervisor.description}`, data.test.y, {
    testPredictions: onTest,
    testProbabilities: probabilities,
    validationAccuracy: onV ? accuracy(onV, data.parts.V.y) : null,
    bestChosenBy: 'a fixed rule: nothing to choose',
    seconds: (performance.now() - started) / 1000,
  });
  const labels: Supervision = {
    targets: scope.own(tf.tidy(() => oneHot(tf.tensor1d(onB, 'int32'), numClasses))),
    onV: onV ? scope.own(tf.tensor1d(onV, 'int32')) : null,
    onB,
    labelledBy: "the synthetic supervisor's labels",
  };
  return { result, labels };
}

export async function runWeakToStrong(ctx: RunContext<WeakToStrongConfig>): Promise<ExperimentResult> {
  const started = performance.now();
  const { config } = ctx;
  const source = config.supervisor.source;
  const stages = weakToStrong.stages(config);
  const recorder = new ChartRecorder(ctx.onEvent);
  recorder.declare(BEAT_COPY_CHART);
  // The supervisor's test predictions, once it has made them; then every measurement of the student is plotted.
  let supervisorOnTest: Int32Array | null = null;
  const watched = observing(ctx, (event) => {
    if (event.type !== 'step' || event.stage !== 'student' || !supervisorOnTest) return;
    const m = mistakeBreakdown(x.data.test.y, supervisorOnTest, event.testPredictions);
    if (m.beatRate === null || m.copyRate === null) return;
    recorder.add('beat-copy', 'beat', { x: event.step, y: m.beatRate });
    recorder.add('beat-copy', 'copy', { x: event.step, y: m.copyRate });
  });
  const x = await openTransferExperiment(config, watched, stages);
  const checkpoints = (results: StageResult[]) => {
    recorder.declare(CHECKPOINTS_CHART);
    results.forEach((result, index) => {
      recorder.add('checkpoints', 'final', { x: index, y: result.accuracy, label: result.label });
      recorder.add('checkpoints', 'best', { x: index, y: result.bestAccuracy, label: result.label });
      recorder.add('checkpoints', 'oracle', { x: index, y: result.oracleBestAccuracy, label: result.label });
    });
  };
  try {
    // 1. Weak supervisor on A with ground truth; 2. its labels on B (soft or hard, at a temperature).
    //    Or a synthetic supervisor: a rule that labels test, B and V.
    const weak =
      source.type === 'trained'
        ? await (async () => {
            const trained = await trainSupervisor(x, config, stages[0]);
            return { result: trained.run.result, labels: await labelsFrom(x, trained, config.weakLabels, "the weak supervisor's labels") };
          })()
        : syntheticSupervision(x, source, stages[0]);
    const weakLabels = weak.labels;
    supervisorOnTest = weak.result.testPredictions;

    // 3. Strong ceiling on B with ground truth; 4. strong student on B with weak labels. Same initial weights.
    const ceiling = await trainCeiling(x, config.student, stages[1]);
    const student = await trainOnSplit(x, {
      info: stages[2],
      role: config.student,
      loss: config.student.loss,
      split: 'B',
      supervision: weakLabels,
      initLabel: 'init:strong',
      shuffleKey: 'strong',
    });
    if (student.run.result.bestAccuracy - student.run.result.accuracy >= CHECKPOINT_LESSON) checkpoints([weak.result, ceiling.run.result, student.run.result]);

    return assembleResult({
      config,
      backend: ctx.backend,
      data: x.data,
      stages: { weak: weak.result, ceiling: ceiling.run.result, student: student.run.result },
      lowerBestAccuracy: weak.result.accuracy,
      definition: W2S_DEFINITION,
      transfer: { label: x.data.parts.B.y, supervisor: weakLabels.onB, student: await classesOnTransfer(x, student) },
      started,
      charts: recorder.charts,
    });
  } finally {
    x.scope.dispose();
  }
}
