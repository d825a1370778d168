/**
 * Weak-to-strong generalisation (Burns et al. 2023; shared/METHODS.md section 1):
 * weak supervisor on split A with truth -> its labels on split B -> strong ceiling on B with truth and
 * strong student (same architecture, same initial weights) on B with the weak labels; all scored on test.
 */
import type { WeakToStrongConfig } from '../config';
import { argmaxRows } from '../metrics';
import { predictLogits } from '../train';
import { tf, type Tensor2D } from '../tf';
import { assembleResult, createModel, oneHot, openExperiment, runStage, type ExperimentResult, type RunContext, type StageInfo } from './common';

export const W2S_STAGES: StageInfo[] = [
  { name: 'weak', label: 'Weak supervisor', role: 'trained with ground truth on split A; its predictions label split B' },
  { name: 'ceiling', label: 'Strong ceiling', role: 'the strong model trained with ground truth on split B: the best the student could do' },
  { name: 'student', label: 'Student', role: 'the strong model trained on split B with the weak supervisor\'s labels' },
];

export async function runWeakToStrong(config: WeakToStrongConfig, ctx: RunContext, backend: string): Promise<ExperimentResult> {
  const started = performance.now();
  const sizes = config.data;
  const { data, numClasses, scope, test, grid } = await openExperiment(
    config,
    ctx,
    [
      { name: 'A', size: sizes.supervisorSize },
      { name: 'B', size: sizes.transferSize },
      { name: 'V', size: sizes.validationSize },
    ],
    W2S_STAGES,
  );
  const A = scope.split(data.parts.A, data.featureSize);
  const B = scope.split(data.parts.B, data.featureSize);
  const V = sizes.validationSize > 0 ? scope.split(data.parts.V, data.featureSize) : null;

  try {
    // 1. Weak supervisor on A with ground truth.
    const weakModel = scope.model(await createModel(config.supervisor.model, data, ctx, 'init:supervisor'));
        const weakIn = (split: string, raw: Tensor2D) => scope.cache.encode(weakModel, split, raw);
    const weak = await runStage({
      info: W2S_STAGES[0],
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

    // 2. Weak labels on B (soft or hard, at a temperature), and the supervisor's view of V.
    const weakLogitsB = scope.own(predictLogits(weakModel, weakIn('B', B.x)));
    const weakTargets = scope.own(
      tf.tidy(() =>
        config.weakLabels.kind === 'soft'
          ? (tf.softmax(tf.div(weakLogitsB, config.weakLabels.temperature)) as Tensor2D)
          : oneHot(tf.argMax(weakLogitsB, -1) as tf.Tensor1D, numClasses),
      ),
    );
    const weakOnV = V ? scope.own(tf.tidy(() => tf.cast(tf.argMax(predictLogits(weakModel, weakIn('V', V.x)), -1), 'int32') as tf.Tensor1D)) : null;
    const supervisorOnB = argmaxRows((await weakLogitsB.data()) as Float32Array, numClasses);

    // 3. Strong ceiling on B with ground truth; 4. strong student on B with weak labels. Same initial weights.
    const strongRole = config.student;
    const ceilingModel = scope.model(await createModel(strongRole.model, data, ctx, 'init:strong'));
        const strongIn = (split: string, raw: Tensor2D) => scope.cache.encode(ceilingModel, split, raw);
    const ceiling = await runStage({
      info: W2S_STAGES[1],
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

    const studentModel = scope.model(await createModel(strongRole.model, data, ctx, 'init:strong'));
        const student = await runStage({
      info: W2S_STAGES[2],
      model: studentModel,
      train: strongRole.train,
      loss: strongRole.loss,
      data: { inputs: strongIn('B', B.x), targets: weakTargets },
      test: { inputs: strongIn('test', test.x), labels: test.y },
      validation: V && weakOnV ? { inputs: strongIn('V', V.x), labels: weakOnV } : undefined,
      validationLabelledBy: "the weak supervisor's labels",
      shuffleKey: 'strong',
      testLabels: data.test.y,
      ctx,
      grid,
    });
    scope.own(student.testLogits);
    const studentLogitsB = scope.own(predictLogits(studentModel, strongIn('B', B.x)));
    const studentOnB = argmaxRows((await studentLogitsB.data()) as Float32Array, numClasses);

    return assembleResult({
      config,
      backend,
      data,
      stages: { weak: weak.result, ceiling: ceiling.result, student: student.result },
      lowerBestAccuracy: weak.result.accuracy,
      definition: '(student - weak) / (ceiling - weak), test accuracies; weak = the final supervisor that made the labels',
      transfer: { label: data.parts.B.y, supervisor: supervisorOnB, student: studentOnB },
      started,
    });
  } finally {
    scope.dispose();
  }
}
