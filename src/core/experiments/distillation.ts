/**
 * Knowledge distillation (Hinton et al.; shared/METHODS.md section 3): a teacher trained on ground truth;
 * a student trained on its own labelled subset alone (the baseline); the same student, same initial weights,
 * distilled from the teacher over every training image, with ground truth where it has it.
 */
import type { DistillationConfig } from '../config';
import { argmaxRows } from '../metrics';
import { predictLogits } from '../train';
import { tf, type Tensor1D, type Tensor2D } from '../tf';
import { assembleResult, createModel, oneHot, openExperiment, runStage, type ExperimentResult, type RunContext, type StageInfo } from './common';

export const KD_STAGES: StageInfo[] = [
  { name: 'teacher', label: 'Teacher', role: 'trained with ground truth on every training image' },
  { name: 'baseline', label: 'Student alone', role: 'the student trained on its labelled images only' },
  { name: 'student', label: 'Distilled student', role: 'the same student distilled from the teacher on every training image' },
];

export async function runDistillation(config: DistillationConfig, ctx: RunContext, backend: string): Promise<ExperimentResult> {
  const started = performance.now();
  const sizes = config.data;
  const { data, numClasses, scope, test, grid } = await openExperiment(
    config,
    ctx,
    [
      { name: 'train', size: sizes.trainSize },
      { name: 'V', size: sizes.validationSize },
    ],
    KD_STAGES,
  );
  const all = scope.split(data.parts.train, data.featureSize);
  // The training split is already a random permutation, so its first rows are a random labelled subset.
  const labelledRows = sizes.labelledSize;
  const V = sizes.validationSize > 0 ? scope.split(data.parts.V, data.featureSize) : null;

  try {
    const teacherModel = scope.model(await createModel(config.teacher.model, data, ctx, 'init:teacher'));
        const teacherIn = (split: string, raw: Tensor2D) => scope.cache.encode(teacherModel, split, raw);
    const allTruth = scope.own(oneHot(all.y, numClasses));
    const teacher = await runStage({
      info: KD_STAGES[0],
      model: teacherModel,
      train: config.teacher.train,
      loss: { type: 'xent' },
      data: { inputs: teacherIn('train', all.x), targets: allTruth },
      test: { inputs: teacherIn('test', test.x), labels: test.y },
      validation: V ? { inputs: teacherIn('V', V.x), labels: V.y } : undefined,
      validationLabelledBy: 'ground truth',
      shuffleKey: 'teacher',
      testLabels: data.test.y,
      ctx,
      grid,
    });
    scope.own(teacher.testLogits);
    const teacherLogits = scope.own(predictLogits(teacherModel, teacherIn('train', all.x)));
    const teacherOnV = V ? scope.own(tf.tidy(() => tf.cast(tf.argMax(predictLogits(teacherModel, teacherIn('V', V.x)), -1), 'int32') as Tensor1D)) : null;
    const teacherOnTrain = argmaxRows((await teacherLogits.data()) as Float32Array, numClasses);

    const baselineModel = scope.model(await createModel(config.student.model, data, ctx, 'init:student'));
        const studentIn = (split: string, raw: Tensor2D) => scope.cache.encode(baselineModel, split, raw);
    const labelledInputs = scope.own(tf.slice(studentIn('train', all.x), [0, 0], [labelledRows, -1]) as Tensor2D);
    const baseline = await runStage({
      info: KD_STAGES[1],
      model: baselineModel,
      train: config.student.train,
      loss: { type: 'xent' },
      data: { inputs: labelledInputs, targets: scope.own(tf.slice(allTruth, [0, 0], [labelledRows, -1]) as Tensor2D) },
      test: { inputs: studentIn('test', test.x), labels: test.y },
      validation: V ? { inputs: studentIn('V', V.x), labels: V.y } : undefined,
      validationLabelledBy: 'ground truth',
      shuffleKey: 'baseline',
      testLabels: data.test.y,
      ctx,
      grid,
    });
    scope.own(baseline.testLogits);

    const studentModel = scope.model(await createModel(config.student.model, data, ctx, 'init:student'));
        const labelledMask = scope.own(tf.tidy(() => tf.concat([tf.ones([labelledRows]), tf.zeros([all.count - labelledRows])]) as Tensor1D));
    // Plain cross-entropy distils the teacher's probabilities; the KD losses mix teacher and truth themselves.
    const targets = config.student.loss.type === 'xent' ? scope.own(tf.softmax(teacherLogits) as Tensor2D) : allTruth;
    const student = await runStage({
      info: KD_STAGES[2],
      model: studentModel,
      train: config.student.train,
      loss: config.student.loss,
      data: { inputs: studentIn('train', all.x), targets, teacherLogits, labelled: labelledMask },
      test: { inputs: studentIn('test', test.x), labels: test.y },
      validation: V && teacherOnV ? { inputs: studentIn('V', V.x), labels: teacherOnV } : undefined,
      validationLabelledBy: "the teacher's labels",
      shuffleKey: 'student',
      testLabels: data.test.y,
      ctx,
      grid,
    });
    scope.own(student.testLogits);
    const studentLogitsTrain = scope.own(predictLogits(studentModel, studentIn('train', all.x)));
    const studentOnTrain = argmaxRows((await studentLogitsTrain.data()) as Float32Array, numClasses);

    return assembleResult({
      config,
      backend,
      data,
      stages: { teacher: teacher.result, baseline: baseline.result, student: student.result },
      lowerBestAccuracy: baseline.result.bestAccuracy,
      definition: '(distilled - student alone) / (teacher - student alone): the share of the gap to the teacher that distillation closes',
      transfer: { label: data.parts.train.y, supervisor: teacherOnTrain, student: studentOnTrain },
      started,
    });
  } finally {
    scope.dispose();
  }
}
