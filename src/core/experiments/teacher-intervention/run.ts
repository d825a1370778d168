/**
 * Teacher intervention (Saha et al. 2023; shared/METHODS.md section 5). The distillation family's teacher and
 * student (teacherAndBaseline); then, on the test set, the teacher replaces a budget of the student's answers,
 * chosen by each strategy, and the accuracy is measured at every budget. The mental model is fit on examples
 * neither model trained on.
 */
import { permutation } from '../../rng';
import { argmaxRows } from '../../metrics';
import { predictValues } from '../../evaluate';
import { tf, type Tensor2D } from '../../tf';
import { ChartRecorder } from '../charts';
import type { RunContext } from '../context';
import type { ExperimentResult } from '../contract';
import { teacherAndBaseline } from '../distillation/run';
import { openExperiment } from '../open';
import { assembleResult } from '../result';
import { auroc, budgetCount, confidence, fitLogistic, intervene, predictLogistic, rankDescending, secondChoice, teacherView } from './intervention';
import { interventionBudgets, STRATEGIES, strategyLabel, teacherIntervention, type StrategyKey, type TeacherInterventionConfig } from './spec';

async function probabilities(logits: Tensor2D): Promise<Float32Array> {
  const softmax = tf.softmax(logits);
  try {
    return (await softmax.data()) as Float32Array;
  } finally {
    softmax.dispose();
  }
}

export async function runTeacherIntervention(ctx: RunContext<TeacherInterventionConfig>): Promise<ExperimentResult> {
  const { config } = ctx;
  const started = performance.now();
  const stages = teacherIntervention.stages(config);
  const { trainSize, validationSize, observedSize } = config.data;
  const opened = await openExperiment(
    config,
    ctx,
    [
      { name: 'train', size: trainSize },
      { name: 'V', size: validationSize },
      { name: 'observed', size: observedSize },
    ],
    stages,
  );
  const { data, numClasses, scope } = opened;
  const charts = new ChartRecorder(ctx.onEvent);
  charts.declare({
    id: 'intervention',
    title: 'Student accuracy when the teacher replaces a budget of its answers',
    kind: 'line',
    xLabel: 'budget (% of test answers replaced)',
    yLabel: 'test accuracy',
    percent: true,
    yDomain: [0, 1],
    series: [
      ...STRATEGIES.map((s) => ({ key: s.key, label: s.label, ...(s.key === 'misaligned' ? { color: '#d62728' } : {}) })),
      { key: 'student', label: 'student alone', dashed: true },
      { key: 'teacher', label: 'teacher', dashed: true },
    ],
    note: "At budget b the teacher answers b% of the test examples in the student's place; each strategy decides which.",
  });
  charts.declare({
    id: 'targeting',
    title: "How well each choice finds the student's mistakes",
    kind: 'bar',
    xLabel: 'strategy',
    yLabel: 'share / AUROC',
    series: [
      { key: 'wrong', label: 'share of replaced answers the student had wrong (smallest budget)' },
      { key: 'auroc', label: "AUROC of the ranking for the student's mistakes on test" },
    ],
    note: 'Random choice replaces right answers as often as wrong ones (AUROC 0.5); a ranking that puts the mistakes first scores near 1.',
  });

  try {
    const bench = await teacherAndBaseline(config, ctx, opened, { teacher: stages[0], baseline: stages[1] });
    const { teacher, baseline: student } = bench;
    const labels = data.test.y;
    const n = labels.length;
    const teacherProbabilities = await probabilities(teacher.testLogits);
    const studentProbabilities = await probabilities(student.testLogits);
    const studentAnswers = student.result.testPredictions;
    const studentWrong = Uint8Array.from(studentAnswers, (c, i) => (c === labels[i] ? 0 : 1));

    // The mental model: the teacher watches the student answer the observed examples, and learns from its own
    // view of each one where the student goes wrong.
    const observed = scope.split(data.parts.observed, data.featureSize);
    const teacherOnObserved = await predictValues(
      teacher.model,
      await scope.cache.encode(teacher.model, 'observed', observed.x),
      ctx.signal,
      (z) => tf.softmax(z) as Tensor2D,
    );
    const studentOnObserved = argmaxRows(
      await predictValues(student.model, await scope.cache.encode(student.model, 'observed', observed.x), ctx.signal),
      numClasses,
    );
    const observedWrong = Uint8Array.from(studentOnObserved, (c, i) => (c === data.parts.observed.y[i] ? 0 : 1));
    const mentalModel = await fitLogistic(teacherView(teacherOnObserved, numClasses), numClasses + 2, observedWrong, config.mentalModel, ctx.signal);
    const expectedWrong = predictLogistic(mentalModel, teacherView(teacherProbabilities, numClasses));

    const random = permutation(n, ctx.rng.fork('intervention:random'));
    const randomScore = new Float64Array(n);
    random.forEach((row, position) => (randomScore[row] = n - position));
    const studentConfidence = confidence(studentProbabilities, numClasses);
    const scores: Record<Exclude<StrategyKey, 'misaligned'>, Float64Array> = {
      random: randomScore,
      'least-confident': studentConfidence.map((c) => -c),
      'mental-model': expectedWrong,
    };
    const rankings: Record<StrategyKey, Int32Array> = {
      random,
      'least-confident': rankDescending(scores['least-confident']),
      'mental-model': rankDescending(expectedWrong),
      misaligned: random,
    };
    const teacherAnswers = teacher.result.testPredictions;
    const misleading = secondChoice(teacherProbabilities, numClasses);

    const budgets = interventionBudgets(config);
    const smallest = budgets.find((b) => budgetCount(b, n) > 0);
    for (const budget of budgets) {
      const k = budgetCount(budget, n);
      for (const { key } of STRATEGIES) {
        const outcome = intervene(rankings[key], k, studentAnswers, key === 'misaligned' ? misleading : teacherAnswers, labels);
        charts.add('intervention', key, { x: budget, y: outcome.accuracy });
        if (budget === smallest && key !== 'misaligned')
          charts.add('targeting', 'wrong', { x: 0, y: outcome.studentWrongAmongChosen as number, label: strategyLabel(key) });
      }
      charts.add('intervention', 'student', { x: budget, y: student.result.accuracy });
      charts.add('intervention', 'teacher', { x: budget, y: teacher.result.accuracy });
    }
    for (const key of ['random', 'least-confident', 'mental-model'] as const) {
      const area = auroc(scores[key], studentWrong);
      if (area !== null) charts.add('targeting', 'auroc', { x: 0, y: area, label: strategyLabel(key) });
    }

    return assembleResult({
      config,
      backend: ctx.backend,
      data,
      stages: { teacher: teacher.result, student: student.result },
      lowerBestAccuracy: student.result.bestAccuracy,
      definition: 'no gap ratio: compare the accuracy each strategy reaches at each budget',
      transfer: { label: data.parts.train.y, supervisor: bench.teacherOnTrain, student: await bench.predictTrain(student) },
      started,
      charts: charts.charts,
    });
  } finally {
    scope.dispose();
  }
}
