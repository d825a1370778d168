/**
 * Ensembles of weak supervisors (Lang et al. 2025, "Debate Helps Weak-to-Strong Generalization", its ensemble
 * finding; shared/METHODS.md section 5). K weak supervisors train with ground truth on their own bootstrap of
 * split A, or on A through their own random view of the input; the ensemble's labels on the transfer set B are the
 * average of their probabilities. A single supervisor of the same kind trained on split C (more ground truth) is the
 * control. The strong student trains on B twice from the same start, on the ensemble's labels and on the control's,
 * beside the ceiling on B's ground truth. The members' test mistakes are split into shared (most members wrong) and
 * unshared, and each student's copy rate is measured in both.
 */
import { accuracy, argmaxRows } from '../../metrics';
import { permutation } from '../../rng';
import { predict } from '../../evaluate';
import { tf, type Tensor1D, type Tensor2D } from '../../tf';
import { ChartRecorder } from '../charts';
import type { ExperimentResult } from '../contract';
import type { StageInfo, StageResult } from '../figures';
import type { RunContext } from '../context';
import { ExperimentScope, oneHot, type SplitTensors } from '../open';
import { assembleResult } from '../result';
import { measuredStage } from '../stage';
import {
  classesOnTransfer,
  labelsFrom,
  openTransferExperiment,
  PgrCopyChart,
  trainCeiling,
  trainOnSplit,
  W2S_DEFINITION,
  type Supervision,
  type TransferExperiment,
} from '../transfer';
import { sharedErrorCopies } from './shared-errors';
import { ensemble, memberName, type EnsembleConfig } from './spec';

/** A member's tempered probabilities on B, V and test (owned by the experiment's scope) and its stage. */
interface Member {
  result: StageResult;
  B: Tensor2D;
  V: Tensor2D | null;
  test: Tensor2D;
}

/**
 * What member `index` trains and is measured on: a bootstrap of A (the other splits as they are), or every split
 * seen through its own random share of the features (the rest set to 0). Tensors made here belong to `own`.
 */
function memberData(
  x: TransferExperiment,
  config: EnsembleConfig,
  index: number,
  own: ExperimentScope,
): Pick<TransferExperiment, 'A' | 'B' | 'V' | 'test' | 'grid'> {
  const { A, B, V, test, grid, ctx, data } = x;
  if (config.members.diversity === 'bootstrap') {
    const draw = ctx.rng.fork(`bootstrap:${index}`);
    const rows = tf.tensor1d(
      Int32Array.from({ length: A.count }, () => draw.int(A.count)),
      'int32',
    );
    const resampled: SplitTensors = { x: own.own(tf.gather(A.x, rows)), y: own.own(tf.gather(A.y, rows)), count: A.count };
    rows.dispose();
    return { A: resampled, B, V, test, grid };
  }
  const features = data.featureSize;
  const kept = Math.max(1, Math.round(config.members.viewShare * features));
  const mask = new Float32Array(features);
  permutation(features, ctx.rng.fork(`view:${index}`))
    .subarray(0, kept)
    .forEach((f) => (mask[f] = 1));
  const m = own.own(tf.tensor1d(mask));
  const view = (s: SplitTensors): SplitTensors => ({ ...s, x: own.own(tf.mul(s.x, m)) });
  return { A: view(A), B: view(B), V: V && view(V), test: view(test), grid: grid && own.own(tf.mul(grid, m)) };
}

/** Trains member `index` in a scope of its own (its view's encodings must not mix with the others') and keeps its probabilities. */
async function trainMember(x: TransferExperiment, config: EnsembleConfig, index: number, info: StageInfo): Promise<Member> {
  const own = new ExperimentScope(x.ctx.signal);
  try {
    const view = memberData(x, config, index, own);
    const trained = await trainOnSplit(
      { ...x, ...view, scope: own },
      {
        info,
        role: config.supervisor,
        loss: { type: 'xent' },
        split: 'A',
        supervision: 'truth',
        initLabel: `init:${memberName(index)}`,
        shuffleKey: memberName(index),
      },
    );
    const T = config.weakLabels.temperature;
    const probabilities = async (split: string, raw: Tensor2D) =>
      x.scope.own(await predict(trained.model, await trained.input(split, raw), x.ctx.signal, (logits) => tf.softmax(tf.div(logits, T)) as Tensor2D));
    return {
      result: trained.run.result,
      B: await probabilities('B', view.B.x),
      V: view.V ? await probabilities('V', view.V.x) : null,
      test: await probabilities('test', view.test.x),
    };
  } finally {
    own.dispose();
  }
}

/** The ensemble: the members' average probabilities, measured on test as a stage, and its labels on B and V. */
async function averageMembers(
  x: TransferExperiment,
  config: EnsembleConfig,
  members: Member[],
  info: StageInfo,
): Promise<{ result: StageResult; labels: Supervision }> {
  const { scope, numClasses, data } = x;
  const started = performance.now();
  const mean = (ts: Tensor2D[]) => scope.own(tf.tidy(() => tf.div(tf.addN(ts), ts.length) as Tensor2D));
  const onTest = mean(members.map((m) => m.test));
  const onB = mean(members.map((m) => m.B));
  const onV = x.V ? mean(members.map((m) => m.V!)) : null;
  const testProbabilities = (await onTest.data()) as Float32Array;
  const classesB = argmaxRows((await onB.data()) as Float32Array, numClasses);
  const classesV = onV ? argmaxRows((await onV.data()) as Float32Array, numClasses) : null;
  const result = measuredStage(x.ctx, info, `average of ${members.length} supervisors' probabilities`, data.test.y, {
    testPredictions: argmaxRows(testProbabilities, numClasses),
    testProbabilities,
    validationAccuracy: classesV ? accuracy(classesV, data.parts.V.y) : null,
    bestChosenBy: "an average of the supervisors' final checkpoints: nothing to choose",
    seconds: (performance.now() - started) / 1000,
  });
  const labels: Supervision = {
    targets: config.weakLabels.kind === 'soft' ? onB : scope.own(tf.tidy(() => oneHot(tf.tensor1d(classesB, 'int32'), numClasses))),
    onV: classesV ? scope.own(tf.tensor1d(classesV, 'int32') as Tensor1D) : null,
    onB: classesB,
    labelledBy: "the ensemble's labels",
  };
  return { result, labels };
}

export async function runEnsemble(ctx: RunContext<EnsembleConfig>): Promise<ExperimentResult> {
  const started = performance.now();
  const { config } = ctx;
  const stages = ensemble.stages(config);
  const info = (name: string) => stages.find((s) => s.name === name)!;
  const x = await openTransferExperiment(config, ctx, stages, [{ name: 'C', size: config.data.controlSize }]);
  const recorder = new ChartRecorder(ctx.onEvent);
  recorder.declare({
    id: 'supervisors',
    title: 'The supervisors: each member, their ensemble, the single control',
    kind: 'bar',
    xLabel: 'supervisor',
    yLabel: 'test accuracy',
    percent: true,
    series: [{ key: 'accuracy', label: 'Test accuracy', color: '#d97706' }],
    note: "Each member learns from its own bootstrap (or view) of the same labels; the ensemble averages their probabilities; the control is one supervisor of the same kind trained on more labels, to match the ensemble's accuracy.",
  });
  const bars = new PgrCopyChart(recorder, 'students', {
    title: "PGR and copy rate: the ensemble's student against the control's",
    xLabel: 'student',
    note: "Each student against its own supervisor and the same ceiling. Copy rate: the share of its supervisor's test mistakes a student repeats.",
  });
  recorder.declare({
    id: 'shared-errors',
    title: 'Copied mistakes: errors most supervisors share, and errors only some make',
    kind: 'bar',
    xLabel: "the members' mistakes on test",
    yLabel: 'copy rate',
    percent: true,
    series: [
      { key: 'student', label: 'Student of the ensemble', color: '#059669' },
      { key: 'control-student', label: 'Student of the control', color: '#64748b' },
    ],
    note: 'Shared: most members get the example wrong; unshared: some do, but not most. A student copies when it gives a wrong class that a wrong member gave. Averaging removes the unshared mistakes from the labels; the shared ones stay in them.',
  });
  const supervisorBar = (result: StageResult, index: number) => recorder.add('supervisors', 'accuracy', { x: index, y: result.accuracy, label: result.label });
  try {
    const members: Member[] = [];
    for (let i = 0; i < config.members.count; i++) {
      members.push(await trainMember(x, config, i, info(memberName(i))));
      supervisorBar(members[i].result, i);
    }
    const average = await averageMembers(x, config, members, info('ensemble'));
    supervisorBar(average.result, members.length);

    // The control trains on split C in A's place: nothing else in this scope encodes split A.
    const C = x.scope.split(x.data.parts.C, x.data.featureSize);
    const withC = { ...x, A: C };
    const control = await trainOnSplit(withC, {
      info: info('control'),
      role: config.supervisor,
      loss: { type: 'xent' },
      split: 'A',
      supervision: 'truth',
      initLabel: 'init:control',
      shuffleKey: 'control',
    });
    supervisorBar(control.run.result, members.length + 1);
    const controlLabels = await labelsFrom(withC, control, config.weakLabels, "the control's labels");

    const ceiling = await trainCeiling(x, config.student, info('ceiling'));
    const studentOf = (name: string, supervision: Supervision) =>
      trainOnSplit(x, {
        info: info(name),
        role: config.student,
        loss: config.student.loss,
        split: 'B',
        supervision,
        initLabel: 'init:strong',
        shuffleKey: 'strong',
      });
    const student = await studentOf('student', average.labels);
    bars.add(x, 'student of the ensemble', { run: average }, ceiling, student);
    const controlStudent = await studentOf('control-student', controlLabels);
    bars.add(x, 'student of the control', control, ceiling, controlStudent);

    const memberPredictions = members.map((m) => m.result.testPredictions);
    const split = (s: StageResult) => sharedErrorCopies(x.data.test.y, memberPredictions, s.testPredictions);
    const bySupervision = { student: split(student.run.result), 'control-student': split(controlStudent.run.result) };
    for (const [series, copies] of Object.entries(bySupervision)) {
      if (copies.shared.rate !== null) recorder.add('shared-errors', series, { x: 0, y: copies.shared.rate, label: `shared (${copies.shared.count})` });
      if (copies.unshared.rate !== null) recorder.add('shared-errors', series, { x: 1, y: copies.unshared.rate, label: `unshared (${copies.unshared.count})` });
    }

    return assembleResult({
      config,
      backend: ctx.backend,
      data: x.data,
      stages: {
        ...Object.fromEntries(members.map((m, i) => [memberName(i), m.result])),
        ensemble: average.result,
        control: control.run.result,
        ceiling: ceiling.run.result,
        student: student.run.result,
        'control-student': controlStudent.run.result,
      },
      lowerBestAccuracy: average.result.accuracy,
      definition: `${W2S_DEFINITION}, here the ensemble (the control's student against the control: the students chart)`,
      transfer: { label: x.data.parts.B.y, supervisor: average.labels.onB, student: await classesOnTransfer(x, student) },
      started,
      charts: recorder.charts,
    });
  } finally {
    x.scope.dispose();
  }
}
