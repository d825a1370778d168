/**
 * Active distillation (shared/METHODS.md section 5). The teacher trains on its labelled examples; its
 * probabilities on the pool are the labels a student can buy. A seed student learns a random handful; each
 * strategy then ranks the rest of the pool from the seed student's predictions, and at every budget a student
 * (the same start) learns the teacher's probabilities on the seed and the strategy's first picks alone.
 */
import type { TrainSpec } from '../../config/blocks';
import { argmaxRows } from '../../metrics';
import { predict, predictValues } from '../../evaluate';
import { permutation } from '../../rng';
import { stepsPerEpoch } from '../../train';
import { tf, type Tensor2D } from '../../tf';
import { ChartRecorder } from '../charts';
import type { RunContext } from '../context';
import type { ExperimentResult } from '../contract';
import type { StageInfo, StageResult } from '../figures';
import { createModel, oneHot, openExperiment } from '../open';
import { assembleResult } from '../result';
import { runStage, type StageRun } from '../stage';
import { entropies, highestScores, kCenterGreedy, topProbabilities } from './selection';
import { activeDistillation, queryPlan, STRATEGIES, studentStageName, type ActiveDistillationConfig, type StrategyKey } from './spec';

export async function runActiveDistillation(ctx: RunContext<ActiveDistillationConfig>): Promise<ExperimentResult> {
  const { config } = ctx;
  const started = performance.now();
  const stages = activeDistillation.stages(config);
  const info = (name: string) => stages.find((s) => s.name === name) as StageInfo;
  const { budgets, seed } = queryPlan(config);
  const { teacherSize, poolSize, validationSize } = config.data;
  const { data, numClasses, scope, test, grid } = await openExperiment(
    config,
    ctx,
    [
      { name: 'teacher', size: teacherSize },
      { name: 'pool', size: poolSize },
      { name: 'V', size: validationSize },
    ],
    stages,
  );
  const charts = new ChartRecorder(ctx.onEvent);
  charts.declare({
    id: 'accuracy',
    title: 'Student accuracy against the queries bought',
    kind: 'line',
    xLabel: 'queries (pool points the teacher labels)',
    xScale: 'log',
    yLabel: 'test accuracy',
    percent: true,
    series: [...STRATEGIES.map((s) => ({ key: s.key, label: s.label })), { key: 'teacher', label: 'teacher', dashed: true }],
    note: 'Every line starts at the seed student (random queries only); dashed: the teacher.',
  });
  charts.declare({
    id: 'teacher-mistakes',
    title: "Queried points on which the teacher's label is wrong",
    kind: 'line',
    xLabel: 'queries',
    xScale: 'log',
    yLabel: 'share of queried points',
    percent: true,
    series: [...STRATEGIES.map((s) => ({ key: s.key, label: s.label })), { key: 'pool', label: 'whole pool', dashed: true }],
    note: "A student learns the teacher's mistakes on the points it queries: the more of them a strategy buys, the more it copies.",
  });

  try {
    const teacherPart = scope.split(data.parts.teacher, data.featureSize);
    const pool = scope.split(data.parts.pool, data.featureSize);
    const V = validationSize > 0 ? scope.split(data.parts.V, data.featureSize) : null;

    // 1. The teacher, on its own labelled examples.
    const teacherModel = scope.model(await createModel(config.teacher.model, data, ctx, 'init:teacher'));
    const teacherIn = (split: string, raw: Tensor2D) => scope.cache.encode(teacherModel, split, raw);
    const teacher = await runStage({
      info: info('teacher'),
      model: teacherModel,
      train: config.teacher.train,
      loss: { type: 'xent' },
      data: { inputs: await teacherIn('teacher', teacherPart.x), targets: scope.own(oneHot(teacherPart.y, numClasses)) },
      test: { inputs: await teacherIn('test', test.x), labels: test.y },
      validation: V ? { inputs: await teacherIn('V', V.x), labels: V.y } : undefined,
      validationLabelledBy: 'ground truth',
      shuffleKey: 'teacher',
      testLabels: data.test.y,
      ctx,
      grid,
    });
    scope.own(teacher.testLogits);
    // What a query returns: the teacher's probabilities on a pool point.
    const teacherOnPool = scope.own(await predict(teacherModel, await teacherIn('pool', pool.x), ctx.signal, (z) => tf.softmax(z) as Tensor2D));
    const teacherProbabilities = (await teacherOnPool.data()) as Float32Array;
    const teacherLabels = argmaxRows(teacherProbabilities, numClasses);
    const poolTruth = data.parts.pool.y;
    const teacherWrong = Uint8Array.from(teacherLabels, (c, i) => (c === poolTruth[i] ? 0 : 1));
    const teacherOnV = V
      ? scope.own(tf.tensor1d(argmaxRows(await predictValues(teacherModel, await teacherIn('V', V.x), ctx.signal), numClasses), 'int32'))
      : null;

    // 2. Students: the same model from the same start, on the teacher's probabilities for their queried rows.
    const trainFor = (rows: number): TrainSpec => {
      const { steps, ...rest } = config.student.train;
      return { ...rest, epochs: Math.max(1, Math.round(steps / stepsPerEpoch(rows, rest.batchSize))) };
    };
    const student = async (name: string, rows: Int32Array): Promise<StageRun> => {
      const model = scope.model(await createModel(config.student.model, data, ctx, 'init:student'));
      const studentIn = (split: string, raw: Tensor2D) => scope.cache.encode(model, split, raw);
      const picked = tf.tensor1d(rows, 'int32');
      const inputs = tf.gather(await studentIn('pool', pool.x), picked) as Tensor2D;
      const targets = tf.gather(teacherOnPool, picked) as Tensor2D;
      picked.dispose();
      try {
        const run = await runStage({
          info: info(name),
          model,
          train: trainFor(rows.length),
          loss: { type: 'xent' },
          data: { inputs, targets },
          test: { inputs: await studentIn('test', test.x), labels: test.y },
          validation: V && teacherOnV ? { inputs: await studentIn('V', V.x), labels: teacherOnV } : undefined,
          validationLabelledBy: "the teacher's labels",
          shuffleKey: 'student',
          testLabels: data.test.y,
          ctx,
          grid,
        });
        scope.own(run.testLogits);
        return run;
      } finally {
        inputs.dispose();
        targets.dispose();
      }
    };
    const mistakesAmong = (rows: Int32Array) => rows.reduce((n, row) => n + teacherWrong[row], 0) / rows.length;
    const record = (key: StrategyKey, rows: Int32Array, result: StageResult) => {
      charts.add('accuracy', key, { x: rows.length, y: result.accuracy });
      charts.add('teacher-mistakes', key, { x: rows.length, y: mistakesAmong(rows) });
    };

    const randomOrder = permutation(poolSize, ctx.rng.fork('queries:random'));
    const seedRows = randomOrder.slice(0, seed);
    const seedRun = await student('seed', seedRows);
    for (const s of STRATEGIES) record(s.key, seedRows, seedRun.result);

    // 3. Each strategy's picks after the seed, from the seed student's view of the pool.
    const studentOnPool = await predictValues(
      seedRun.model,
      await scope.cache.encode(seedRun.model, 'pool', pool.x),
      ctx.signal,
      (z) => tf.softmax(z) as Tensor2D,
    );
    const taken = new Uint8Array(poolSize);
    seedRows.forEach((row) => (taken[row] = 1));
    const more = budgets[budgets.length - 1] - seed;
    const uncertainty = entropies(studentOnPool, numClasses);
    const teacherConfidence = topProbabilities(teacherProbabilities, numClasses);
    const picks: Record<StrategyKey, Int32Array> = {
      random: randomOrder.slice(seed, seed + more),
      uncertainty: highestScores(uncertainty, taken, more),
      'confident-uncertain': highestScores(
        uncertainty.map((h, i) => h * teacherConfidence[i]),
        taken,
        more,
      ),
      'k-center': await kCenterGreedy(studentOnPool, numClasses, taken, more, ctx.signal),
    };

    const runs: Record<string, StageRun> = { seed: seedRun };
    for (const [i, budget] of budgets.entries()) {
      for (const s of STRATEGIES) {
        const rows = Int32Array.from([...seedRows, ...picks[s.key].subarray(0, budget - seed)]);
        const name = studentStageName(s.key, i);
        runs[name] = await student(name, rows);
        record(s.key, rows, runs[name].result);
      }
    }
    const references = [seed, ...budgets];
    for (const x of [Math.min(...references), Math.max(...references)]) {
      charts.add('accuracy', 'teacher', { x, y: teacher.result.accuracy });
      charts.add('teacher-mistakes', 'pool', { x, y: teacherWrong.reduce((n, w) => n + w, 0) / poolSize });
    }

    const headline = runs[activeDistillation.roles.student];
    const headlineOnPool = argmaxRows(await predictValues(headline.model, await scope.cache.encode(headline.model, 'pool', pool.x), ctx.signal), numClasses);
    return assembleResult({
      config,
      backend: ctx.backend,
      data,
      stages: { teacher: teacher.result, ...Object.fromEntries(Object.entries(runs).map(([name, run]) => [name, run.result])) },
      lowerBestAccuracy: seedRun.result.bestAccuracy,
      definition: 'no gap ratio: compare the accuracy each strategy reaches at each budget',
      transfer: { label: poolTruth, supervisor: teacherLabels, student: headlineOnPool },
      started,
      charts: charts.charts,
    });
  } finally {
    scope.dispose();
  }
}
