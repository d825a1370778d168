/**
 * A poisoned teacher (shared/METHODS.md section 5, attack success rate): the teacher trained once on clean images
 * and once (same start, same batches) with `poison.count` of them triggered and relabelled as the target; then two
 * students distilled from the poisoned teacher's softened predictions, without labels, on the same images: clean, or
 * with `poison.transferTriggered` of them triggered. Every model's attack success rate on the triggered test images
 * is measured with each of its measurements and drawn as it trains.
 */
import { argmaxRows } from '../../metrics';
import { predict, predictValues } from '../../evaluate';
import { tf, type Tensor1D, type Tensor2D } from '../../tf';
import { ChartRecorder } from '../charts';
import type { RunContext } from '../context';
import type { ExperimentResult } from '../contract';
import type { StageInfo } from '../figures';
import { createModel, oneHot, openExperiment } from '../open';
import { assembleResult } from '../result';
import { runStage, type StageRun } from '../stage';
import { poisonedTeacher, type PoisonedTeacherConfig } from './spec';
import { attackSuccessRate, rowsNotOfClass, withTrigger, type Trigger } from './trigger';

const SERIES: Record<string, { key: string; dashed?: boolean }> = {
  'clean-teacher': { key: 'clean-teacher', dashed: true },
  teacher: { key: 'teacher' },
  student: { key: 'student' },
  'student-triggered': { key: 'student-triggered' },
};

export async function runPoisonedTeacher(ctx: RunContext<PoisonedTeacherConfig>): Promise<ExperimentResult> {
  const { config } = ctx;
  const started = performance.now();
  const stages = poisonedTeacher.stages(config);
  const info = (name: string) => stages.find((s) => s.name === name) as StageInfo;
  const opened = await openExperiment(
    config,
    ctx,
    [
      { name: 'train', size: config.data.trainSize },
      { name: 'V', size: config.data.validationSize },
    ],
    stages,
  );
  const { data, numClasses, scope, test, grid } = opened;
  const { count, target, patchSize, transferTriggered } = config.poison;
  const [height, width] = data.featureShape;
  const trigger: Trigger = { size: patchSize, height, width };
  const train = data.parts.train;
  const V = config.data.validationSize > 0 ? scope.split(data.parts.V, data.featureSize) : null;

  // The poisoned training set: `count` images of other classes get the trigger and the target's label.
  const poisoned = rowsNotOfClass(train.y, target, count, ctx.rng.fork('poison'));
  const poisonedLabels = Int32Array.from(train.y);
  poisoned.forEach((row) => (poisonedLabels[row] = target));
  const cleanX = scope.own(tf.tensor2d(train.x, [train.count, data.featureSize]));
  const poisonedX = scope.own(tf.tensor2d(withTrigger(train.x, poisoned, trigger), [train.count, data.featureSize]));
  const truth = scope.own(tf.tensor1d(train.y, 'int32'));
  const poisonedTruth = scope.own(tf.tensor1d(poisonedLabels, 'int32'));
  // The second student's transfer set: other rows of other classes carry the trigger, with their own labels.
  const triggeredRows = rowsNotOfClass(train.y, target, transferTriggered, ctx.rng.fork('transfer-trigger'));
  const triggeredX = scope.own(tf.tensor2d(withTrigger(train.x, triggeredRows, trigger), [train.count, data.featureSize]));
  // Triggered test images: every test image with the patch (the rate counts those whose class is not the target).
  const triggeredTest = scope.own(
    tf.tensor2d(
      withTrigger(
        data.test.x,
        Array.from({ length: data.test.count }, (_, i) => i),
        trigger,
      ),
      [data.test.count, data.featureSize],
    ),
  );

  const charts = new ChartRecorder(ctx.onEvent);
  charts.declare({
    id: 'attack-success',
    title: 'Attack success rate as each model trains',
    kind: 'line',
    xLabel: 'training step',
    yLabel: 'attack success rate',
    percent: true,
    yDomain: [0, 1],
    series: stages.map((s) => ({ key: SERIES[s.name].key, label: s.label, ...(SERIES[s.name].dashed ? { dashed: true } : {}) })),
    note: `Of the ${data.test.count.toLocaleString('en')} test images with the ${patchSize}-pixel patch, those whose class is not ${target}: the share each model calls ${target}. Dashed: the teacher trained without poison.`,
  });
  charts.declare({
    id: 'attack-bars',
    title: 'Attack success and clean accuracy',
    kind: 'bar',
    xLabel: 'model',
    yLabel: 'share',
    percent: true,
    series: [
      { key: 'asr', label: 'attack success rate' },
      { key: 'accuracy', label: 'clean test accuracy' },
    ],
  });

  /** The model's attack success rate on the triggered test images. */
  const attackSuccess = async (run: Pick<StageRun, 'model'>) =>
    attackSuccessRate(argmaxRows(await predictValues(run.model, triggeredTest, ctx.signal), numClasses), data.test.y, target);

  let group = 0;
  const finish = async (name: string, run: StageRun) => {
    const asr = await attackSuccess(run);
    charts.add('attack-bars', 'asr', { x: group, y: asr, label: info(name).label });
    charts.add('attack-bars', 'accuracy', { x: group++, y: run.result.accuracy, label: info(name).label });
    return asr;
  };

  try {
    const runs: Record<string, StageRun> = {};
    // Both teachers: the same start and the same batches; only the poisoned rows differ.
    for (const [name, inputs, labels] of [
      ['clean-teacher', cleanX, truth],
      ['teacher', poisonedX, poisonedTruth],
    ] as const) {
      const model = scope.model(await createModel(config.teacher.model, data, ctx, 'init:teacher'));
      runs[name] = await runStage({
        info: info(name),
        model,
        train: config.teacher.train,
        loss: { type: 'xent' },
        data: { inputs, targets: scope.own(oneHot(labels, numClasses)) },
        test: { inputs: test.x, labels: test.y },
        validation: V ? { inputs: V.x, labels: V.y } : undefined,
        validationLabelledBy: 'ground truth',
        shuffleKey: 'teacher',
        testLabels: data.test.y,
        ctx,
        grid,
        afterMeasure: async (step) => charts.add('attack-success', SERIES[name].key, { x: step, y: await attackSuccess({ model }) }),
      });
      scope.own(runs[name].testLogits);
      await finish(name, runs[name]);
    }

    const teacherModel = runs.teacher.model;
    const teacherOnV = V ? scope.own((await predict(teacherModel, V.x, ctx.signal, (z) => tf.argMax(z, -1))) as Tensor1D) : null;
    const nobodyLabelled = scope.own(tf.zeros([train.count]) as Tensor1D);
    for (const [name, inputs] of [
      ['student', cleanX],
      ['student-triggered', triggeredX],
    ] as const) {
      const teacherLogits = scope.own(await predict(teacherModel, inputs, ctx.signal));
      const model = scope.model(await createModel(config.student.model, data, ctx, 'init:student'));
      runs[name] = await runStage({
        info: info(name),
        model,
        train: config.student.train,
        // Distillation alone: every row unlabelled, so the loss is T^2 KL(teacher || student) at temperature T.
        loss: { type: 'kd', temperature: config.temperature, alpha: 1 },
        data: { inputs, targets: scope.own(tf.zeros([train.count, numClasses]) as Tensor2D), teacherLogits, labelled: nobodyLabelled },
        test: { inputs: test.x, labels: test.y },
        validation: V && teacherOnV ? { inputs: V.x, labels: teacherOnV } : undefined,
        validationLabelledBy: "the poisoned teacher's labels",
        shuffleKey: 'student',
        testLabels: data.test.y,
        ctx,
        grid,
        afterMeasure: async (step) => charts.add('attack-success', SERIES[name].key, { x: step, y: await attackSuccess({ model }) }),
      });
      scope.own(runs[name].testLogits);
      await finish(name, runs[name]);
    }

    const teacherOnTrain = argmaxRows(await predictValues(teacherModel, cleanX, ctx.signal), numClasses);
    const studentOnTrain = argmaxRows(await predictValues(runs.student.model, cleanX, ctx.signal), numClasses);
    return assembleResult({
      config,
      backend: ctx.backend,
      data,
      stages: Object.fromEntries(stages.map((s) => [s.name, runs[s.name].result])),
      lowerBestAccuracy: runs['clean-teacher'].result.bestAccuracy,
      definition: 'no gap ratio: compare the attack success rates and clean accuracies of the models',
      transfer: { label: train.y, supervisor: teacherOnTrain, student: studentOnTrain },
      started,
      charts: charts.charts,
    });
  } finally {
    scope.dispose();
  }
}
