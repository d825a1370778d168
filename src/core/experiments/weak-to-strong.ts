/**
 * Weak-to-strong generalisation (Burns et al. 2023; shared/METHODS.md section 1):
 * weak supervisor on split A with truth -> its labels on split B -> strong ceiling on B with truth and
 * strong student (same architecture, same initial weights) on B with the weak labels; all scored on test.
 */
import type { WeakToStrongConfig } from '../config';
import { buildSplits } from '../data/splits';
import { argmaxRows } from '../metrics';
import { predictLogits } from '../train';
import { tf, type Tensor2D } from '../tf';
import { assembleResult, createModel, decisionGrid, EncodingCache, experimentStart, oneHot, runStage, toTensors, type ExperimentResult, type RunContext, type StageInfo } from './common';

export const W2S_STAGES: StageInfo[] = [
  { name: 'weak', label: 'Weak supervisor', role: 'trained with ground truth on split A; its predictions label split B' },
  { name: 'ceiling', label: 'Strong ceiling', role: 'the strong model trained with ground truth on split B: the best the student could do' },
  { name: 'student', label: 'Student', role: 'the strong model trained on split B with the weak supervisor\'s labels' },
];

export async function runWeakToStrong(config: WeakToStrongConfig, ctx: RunContext, backend: string): Promise<ExperimentResult> {
  const started = performance.now();
  const { data: sizes } = config;
  const data = await buildSplits(
    {
      dataset: sizes.dataset,
      noise: sizes.noise,
      testSize: sizes.testSize,
      parts: [
        { name: 'A', size: sizes.supervisorSize },
        { name: 'B', size: sizes.transferSize },
        { name: 'V', size: sizes.validationSize },
      ],
    },
    config.seed,
    ctx.source,
  );
  const numClasses = data.classNames.length;
  const gridData = decisionGrid(data);
  ctx.onEvent?.(experimentStart(config.kind, data, W2S_STAGES, gridData?.grid ?? null));

  const test = toTensors(data.test, data.featureSize);
  const A = toTensors(data.parts.A, data.featureSize);
  const B = toTensors(data.parts.B, data.featureSize);
  const V = sizes.validationSize > 0 ? toTensors(data.parts.V, data.featureSize) : null;
  const cache = new EncodingCache();
  const owned: tf.Tensor[] = [test.x, test.y, A.x, A.y, B.x, B.y, ...(V ? [V.x, V.y] : [])];
  const own = <T extends tf.Tensor>(t: T): T => (owned.push(t), t);
  const grid = gridData ? own(tf.tensor2d(gridData.points, [gridData.points.length / 2, 2])) : undefined;
  const models: { dispose(): void }[] = [];

  try {
    // 1. Weak supervisor on A with ground truth.
    const weakModel = await createModel(config.supervisor.model, data, ctx, 'init:supervisor');
    models.push(weakModel);
    const weakIn = (split: string, raw: Tensor2D) => cache.encode(weakModel, split, raw);
    const weak = await runStage({
      info: W2S_STAGES[0],
      model: weakModel,
      train: config.supervisor.train,
      loss: { type: 'xent' },
      data: { inputs: weakIn('A', A.x), targets: own(oneHot(A.y, numClasses)) },
      test: { inputs: weakIn('test', test.x), labels: test.y },
      validation: V ? { inputs: weakIn('V', V.x), labels: V.y } : undefined,
      validationLabelledBy: 'ground truth',
      shuffleKey: 'weak',
      testLabels: data.test.y,
      ctx,
      grid,
    });
    own(weak.testLogits);

    // 2. Weak labels on B (soft or hard, at a temperature), and the supervisor's view of V.
    const weakLogitsB = own(predictLogits(weakModel, weakIn('B', B.x)));
    const weakTargets = own(
      tf.tidy(() =>
        config.weakLabels.kind === 'soft'
          ? (tf.softmax(tf.div(weakLogitsB, config.weakLabels.temperature)) as Tensor2D)
          : oneHot(tf.argMax(weakLogitsB, -1) as tf.Tensor1D, numClasses),
      ),
    );
    const weakOnV = V ? own(tf.tidy(() => tf.cast(tf.argMax(predictLogits(weakModel, weakIn('V', V.x)), -1), 'int32') as tf.Tensor1D)) : null;
    const supervisorOnB = argmaxRows((await weakLogitsB.data()) as Float32Array, numClasses);

    // 3. Strong ceiling on B with ground truth; 4. strong student on B with weak labels. Same initial weights.
    const strongRole = config.student;
    const ceilingModel = await createModel(strongRole.model, data, ctx, 'init:strong');
    models.push(ceilingModel);
    const strongIn = (split: string, raw: Tensor2D) => cache.encode(ceilingModel, split, raw);
    const ceiling = await runStage({
      info: W2S_STAGES[1],
      model: ceilingModel,
      train: strongRole.train,
      loss: { type: 'xent' },
      data: { inputs: strongIn('B', B.x), targets: own(oneHot(B.y, numClasses)) },
      test: { inputs: strongIn('test', test.x), labels: test.y },
      validation: V ? { inputs: strongIn('V', V.x), labels: V.y } : undefined,
      validationLabelledBy: 'ground truth',
      shuffleKey: 'strong',
      testLabels: data.test.y,
      ctx,
      grid,
    });
    own(ceiling.testLogits);

    const studentModel = await createModel(strongRole.model, data, ctx, 'init:strong');
    models.push(studentModel);
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
    own(student.testLogits);
    const studentLogitsB = own(predictLogits(studentModel, strongIn('B', B.x)));
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
    models.forEach((m) => m.dispose());
    cache.dispose();
    owned.forEach((t) => t.dispose());
  }
}
