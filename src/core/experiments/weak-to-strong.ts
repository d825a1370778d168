/**
 * Weak-to-strong generalisation (Burns et al. 2023; shared/METHODS.md section 1):
 * weak supervisor on split A with truth -> its labels on split B -> strong ceiling on B with truth and
 * strong student (same architecture, same initial weights) on B with the weak labels; all scored on test.
 * The supervisor may instead be synthetic: a labelling rule with random or systematic errors (see
 * synthetic-supervisor.ts), whose "training" stage is a single measurement of its labels on test.
 */
import type { WeakToStrongConfig } from '../config';
import { accuracy, argmaxRows, expectedCalibrationError } from '../metrics';
import { predictLogits, type MetricPoint } from '../train';
import { tf, type Tensor1D, type Tensor2D } from '../tf';
import { ChartRecorder, type ChartInfo } from './charts';
import {
  assembleResult,
  createModel,
  oneHot,
  openExperiment,
  runStage,
  type ExperimentResult,
  type RunContext,
  type StageInfo,
  type StageResult,
} from './common';
import { syntheticSupervisor, type SyntheticSource } from './synthetic-supervisor';

export const W2S_STAGES: StageInfo[] = [
  { name: 'weak', label: 'Weak supervisor', role: 'trained with ground truth on split A; its predictions label split B' },
  { name: 'ceiling', label: 'Strong ceiling', role: 'the strong model trained with ground truth on split B: the best the student could do' },
  { name: 'student', label: 'Student', role: 'the strong model trained on split B with the weak supervisor\'s labels' },
];

/** The checkpoints chart: per stage, the final checkpoint, the one chosen on validation, and the oracle. */
export const CHECKPOINTS_CHART: ChartInfo = {
  id: 'checkpoints',
  title: 'Which checkpoint? Final, best on validation, and the oracle',
  kind: 'bar',
  xLabel: 'model',
  yLabel: 'test accuracy',
  series: [
    { key: 'final', label: 'final checkpoint' },
    { key: 'best', label: 'best on the validation split (weak labels for the student)' },
    { key: 'oracle', label: 'oracle: best on test (not available in practice)', color: '#9ca3af', dashed: true },
  ],
  yDomain: [0, 1],
  percent: true,
  note:
    'Best is the checkpoint chosen on a validation split labelled by the supervisor for the student (with the truth for the supervisor and the ceiling), never with test labels. The oracle takes the best test accuracy of any checkpoint: a reference no one could choose in practice.',
};

/** What the supervisor stage hands on: its result, the student's targets on B, its labels on V and B. */
interface SupervisorOutcome {
  result: StageResult;
  targets: Tensor2D;
  onV: Tensor1D | null;
  onB: Int32Array;
}

export async function runWeakToStrong(config: WeakToStrongConfig, ctx: RunContext, backend: string): Promise<ExperimentResult> {
  const started = performance.now();
  const sizes = config.data;
  const source = config.supervisor.source;
  const stages: StageInfo[] =
    source.type === 'trained'
      ? W2S_STAGES
      : [{ ...W2S_STAGES[0], role: 'a labelling rule with known errors, not a trained model: it labels split B, the validation split and the test set' }, ...W2S_STAGES.slice(1)];
  const { data, numClasses, scope, test, grid } = await openExperiment(
    config,
    ctx,
    [
      { name: 'A', size: sizes.supervisorSize },
      { name: 'B', size: sizes.transferSize },
      { name: 'V', size: sizes.validationSize },
    ],
    stages,
  );
  const A = scope.split(data.parts.A, data.featureSize);
  const B = scope.split(data.parts.B, data.featureSize);
  const V = sizes.validationSize > 0 ? scope.split(data.parts.V, data.featureSize) : null;
  const recorder = new ChartRecorder((event) => ctx.onEvent?.(event));
  recorder.declare(CHECKPOINTS_CHART);
  const recordCheckpoints = (result: StageResult, index: number) => {
    recorder.add('checkpoints', 'final', { x: index, y: result.accuracy, label: result.label });
    recorder.add('checkpoints', 'best', { x: index, y: result.bestAccuracy, label: result.label });
    recorder.add('checkpoints', 'oracle', { x: index, y: result.oracleBestAccuracy, label: result.label });
  };

  /** 1-2. Weak supervisor on A with ground truth; its labels on B (soft or hard, at a temperature) and on V. */
  const trainedSupervisor = async (): Promise<SupervisorOutcome> => {
    const weakModel = scope.model(await createModel(config.supervisor.model, data, ctx, 'init:supervisor'));
    const weakIn = (split: string, raw: Tensor2D) => scope.cache.encode(weakModel, split, raw);
    const weak = await runStage({
      info: stages[0],
      model: weakModel,
      train: config.supervisor.train,
      loss: { type: 'xent' },
      data: { inputs: weakIn('A', A.x), targets: scope.own(oneHot(A.y, numClasses)) },
      test: { inputs: weakIn('test', test.x), labels: test.y },
      validation: V ? { inputs: weakIn('V', V.x), labels: V.y } : undefined,
      validationLabelledBy: 'ground truth',
      shuffleKey: 'weak',
      testLabels: data.test.y,
      ctx,
      grid,
    });
    scope.own(weak.testLogits);
    const weakLogitsB = scope.own(predictLogits(weakModel, weakIn('B', B.x)));
    const targets = scope.own(
      tf.tidy(() =>
        config.weakLabels.kind === 'soft'
          ? (tf.softmax(tf.div(weakLogitsB, config.weakLabels.temperature)) as Tensor2D)
          : oneHot(tf.argMax(weakLogitsB, -1) as tf.Tensor1D, numClasses),
      ),
    );
    const onV = V ? scope.own(tf.tidy(() => tf.cast(tf.argMax(predictLogits(weakModel, weakIn('V', V.x)), -1), 'int32') as tf.Tensor1D)) : null;
    const onB = argmaxRows((await weakLogitsB.data()) as Float32Array, numClasses);
    return { result: weak.result, targets, onV, onB };
  };

  /** 1-2. A synthetic supervisor: one rule labels test, B and V; its stage is a single measurement. */
  const syntheticSupervisorStage = async (rule: SyntheticSource): Promise<SupervisorOutcome> => {
    const stageStarted = performance.now();
    const info = stages[0];
    const supervisor = syntheticSupervisor(rule, numClasses, data.featureSize, data.parts.B, ctx.rng);
    const model = `synthetic: ${supervisor.description}`;
    ctx.onEvent?.({ type: 'stage-start', stage: info.name, label: info.label, model, parameters: 0, totalSteps: 0, trainingExamples: 0 });
    const onTest = supervisor.label(data.test, 'test');
    const onB = supervisor.label(data.parts.B, 'B');
    const onVLabels = V ? supervisor.label(data.parts.V, 'V') : null;
    const testAccuracy = accuracy(onTest, data.test.y);
    const point: MetricPoint = {
      step: 0,
      epoch: 0,
      loss: NaN,
      testAccuracy,
      validationAccuracy: onVLabels ? accuracy(onVLabels, data.parts.V.y) : null,
      learningRate: 0,
    };
    ctx.onEvent?.({ type: 'step', stage: info.name, ...point, totalSteps: 0, testPredictions: onTest });
    const oneHotProbabilities = new Float32Array(onTest.length * numClasses);
    onTest.forEach((c, i) => (oneHotProbabilities[i * numClasses + c] = 1));
    const result: StageResult = {
      ...info,
      model,
      parameters: 0,
      trainingExamples: 0,
      accuracy: testAccuracy,
      bestAccuracy: testAccuracy,
      bestStep: 0,
      bestChosenBy: 'a fixed rule: nothing to choose',
      oracleBestAccuracy: testAccuracy,
      totalSteps: 0,
      stepsRun: 0,
      stoppedEarly: false,
      ece: expectedCalibrationError(oneHotProbabilities, numClasses, data.test.y),
      seconds: (performance.now() - stageStarted) / 1000,
      history: [point],
      testPredictions: onTest,
      bestTestPredictions: onTest,
    };
    ctx.onEvent?.({ type: 'stage-end', stage: info.name, result });
    // A rule gives hard labels: the soft/hard choice and the temperature apply to trained supervisors only.
    const targets = scope.own(tf.tidy(() => oneHot(tf.tensor1d(onB, 'int32'), numClasses)));
    const onV = onVLabels ? scope.own(tf.tensor1d(onVLabels, 'int32')) : null;
    return { result, targets, onV, onB };
  };

  try {
    const weak = source.type === 'trained' ? await trainedSupervisor() : await syntheticSupervisorStage(source);
    recordCheckpoints(weak.result, 0);

    // 3. Strong ceiling on B with ground truth; 4. strong student on B with weak labels. Same initial weights.
    const strongRole = config.student;
    const ceilingModel = scope.model(await createModel(strongRole.model, data, ctx, 'init:strong'));
    const strongIn = (split: string, raw: Tensor2D) => scope.cache.encode(ceilingModel, split, raw);
    const ceiling = await runStage({
      info: stages[1],
      model: ceilingModel,
      train: strongRole.train,
      loss: { type: 'xent' },
      data: { inputs: strongIn('B', B.x), targets: scope.own(oneHot(B.y, numClasses)) },
      test: { inputs: strongIn('test', test.x), labels: test.y },
      validation: V ? { inputs: strongIn('V', V.x), labels: V.y } : undefined,
      validationLabelledBy: 'ground truth',
      shuffleKey: 'strong',
      testLabels: data.test.y,
      ctx,
      grid,
    });
    scope.own(ceiling.testLogits);
    recordCheckpoints(ceiling.result, 1);

    const studentModel = scope.model(await createModel(strongRole.model, data, ctx, 'init:strong'));
    const student = await runStage({
      info: stages[2],
      model: studentModel,
      train: strongRole.train,
      loss: strongRole.loss,
      data: { inputs: strongIn('B', B.x), targets: weak.targets },
      test: { inputs: strongIn('test', test.x), labels: test.y },
      validation: V && weak.onV ? { inputs: strongIn('V', V.x), labels: weak.onV } : undefined,
      validationLabelledBy: "the weak supervisor's labels",
      shuffleKey: 'strong',
      testLabels: data.test.y,
      ctx,
      grid,
    });
    scope.own(student.testLogits);
    recordCheckpoints(student.result, 2);
    const studentLogitsB = scope.own(predictLogits(studentModel, strongIn('B', B.x)));
    const studentOnB = argmaxRows((await studentLogitsB.data()) as Float32Array, numClasses);

    return assembleResult({
      config,
      backend,
      data,
      stages: { weak: weak.result, ceiling: ceiling.result, student: student.result },
      lowerBestAccuracy: weak.result.accuracy,
      definition: '(student - weak) / (ceiling - weak), test accuracies; weak = the final supervisor that made the labels',
      transfer: { label: data.parts.B.y, supervisor: weak.onB, student: studentOnB },
      started,
      charts: recorder.charts,
    });
  } finally {
    scope.dispose();
  }
}
