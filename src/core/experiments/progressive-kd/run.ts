/**
 * Progressive distillation (shared/METHODS.md sections 3 and 5). The teacher trains on every training image
 * (trainTeacher, shared with the distillation family); then for each student of the chain, largest first: alone
 * on its labelled images, distilled from the teacher, and distilled from the chain's previous student (Hinton KD,
 * (1 - alpha) CE + alpha T^2 KL, on every image, ground truth where it has it). The same student starts from the
 * same weights in all three, and both distilled students see the same batches.
 */
import type { LossSpec } from '../../config/blocks';
import type { Role } from '../../config/blocks';
import { argmaxRows } from '../../metrics';
import { predict, predictValues } from '../../evaluate';
import { tf, type Tensor2D } from '../../tf';
import { ChartRecorder } from '../charts';
import type { RunContext } from '../context';
import type { ExperimentResult } from '../contract';
import type { StageInfo, StageResult } from '../figures';
import { GAP_CLOSED_DEFINITION, openDistillation, trainTeacher } from '../distillation/run';
import { createModel } from '../open';
import { assembleResult } from '../result';
import { runStage, type StageRun } from '../stage';
import { aloneStage, chainStage, directStage, linkModelName, progressiveKd, type ProgressiveKdConfig } from './spec';

/** Floating-point operations of one forward pass of one example (two per multiply-add). */
const forwardFlops = (run: StageRun) => 2 * run.model.multiplyAdds.forward;

export async function runProgressiveKd(ctx: RunContext<ProgressiveKdConfig>): Promise<ExperimentResult> {
  const { config } = ctx;
  const started = performance.now();
  const stages = progressiveKd.stages(config);
  const info = (name: string) => stages.find((s) => s.name === name) as StageInfo;
  const opened = await openDistillation(config, ctx, stages);
  const { data, numClasses, scope, test, grid } = opened;
  const charts = new ChartRecorder(ctx.onEvent);
  charts.declare({
    id: 'accuracy-cost',
    title: 'Accuracy against the cost of a forward pass',
    kind: 'line',
    xLabel: 'FLOPs per example',
    xScale: 'log',
    yLabel: 'test accuracy',
    percent: true,
    series: [
      { key: 'alone', label: 'alone on its labels', color: '#7f7f7f' },
      { key: 'direct', label: 'distilled from the teacher', color: '#1f77b4' },
      { key: 'chain', label: 'distilled down the chain', color: '#2ca02c' },
      { key: 'teacher', label: 'teacher', color: '#9467bd', dashed: true },
    ],
    note: "Each point is a student, at its forward pass's floating-point operations; the chain's first student is the one distilled from the teacher.",
  });
  charts.declare({
    id: 'links',
    title: 'Each student three ways',
    kind: 'bar',
    xLabel: 'student',
    yLabel: 'test accuracy',
    percent: true,
    series: [
      { key: 'alone', label: 'alone on its labels', color: '#7f7f7f' },
      { key: 'direct', label: 'distilled from the teacher', color: '#1f77b4' },
      { key: 'chain', label: 'distilled from the previous student', color: '#2ca02c' },
    ],
  });

  try {
    const trained = await trainTeacher(config, ctx, opened, info('teacher'));
    const { teacher, all, allTruth, V, teacherOnV, labelledMask } = trained;
    charts.add('accuracy-cost', 'teacher', { x: forwardFlops(teacher), y: teacher.result.accuracy });
    const labelledRows = config.data.labelledSize;
    const loss: LossSpec = { type: 'kd', temperature: config.temperature, alpha: config.alpha };

    const train = async (link: Role, n: number, name: string, teacherLogits: Tensor2D | null): Promise<StageRun> => {
      // Alone, from the teacher or down the chain: the same student from the same start.
      const model = scope.model(await createModel(link.model, data, ctx, `init:student-${n}`));
      const encoded = await scope.cache.encode(model, 'train', all.x);
      const alone = teacherLogits === null;
      const inputs = alone ? scope.own(tf.slice(encoded, [0, 0], [labelledRows, -1]) as Tensor2D) : encoded;
      const run = await runStage({
        info: info(name),
        model,
        train: link.train,
        loss: alone ? { type: 'xent' } : loss,
        data: alone
          ? { inputs, targets: scope.own(tf.slice(allTruth, [0, 0], [labelledRows, -1]) as Tensor2D) }
          : { inputs, targets: allTruth, teacherLogits, labelled: labelledMask },
        test: { inputs: await scope.cache.encode(model, 'test', test.x), labels: test.y },
        validation: V ? { inputs: await scope.cache.encode(model, 'V', V.x), labels: alone || !teacherOnV ? V.y : teacherOnV } : undefined,
        validationLabelledBy: alone ? 'ground truth' : "the teacher's labels",
        // Both distilled students of a link see the same batches in the same order.
        shuffleKey: alone ? `alone-${n}` : `distilled-${n}`,
        testLabels: data.test.y,
        ctx,
        grid,
      });
      scope.own(run.testLogits);
      return run;
    };

    const results: Record<string, StageResult> = { teacher: teacher.result };
    let previous: StageRun | null = null;
    let firstDirect: StageRun | null = null;
    for (const [i, link] of config.chain.entries()) {
      const n = i + 1;
      const label = linkModelName(link.model);
      const alone = await train(link, n, aloneStage(n), null);
      const direct = await train(link, n, directStage(n), trained.teacherLogits);
      firstDirect ??= direct;
      let chain = direct;
      if (previous) {
        const previousLogits = await predict(previous.model, await scope.cache.encode(previous.model, 'train', all.x), ctx.signal);
        try {
          chain = await train(link, n, chainStage(n), previousLogits);
        } finally {
          previousLogits.dispose();
        }
      }
      for (const [key, run] of [
        ['alone', alone],
        ['direct', direct],
        ['chain', chain],
      ] as const) {
        results[run.result.name] = run.result;
        charts.add('accuracy-cost', key, { x: forwardFlops(run), y: run.result.accuracy });
        if (key !== 'chain' || n > 1) charts.add('links', key, { x: i, y: run.result.accuracy, label });
      }
      previous = chain;
    }

    const direct = firstDirect as StageRun;
    const directOnTrain = argmaxRows(await predictValues(direct.model, await scope.cache.encode(direct.model, 'train', all.x), ctx.signal), numClasses);
    return assembleResult({
      config,
      backend: ctx.backend,
      data,
      stages: results,
      lowerBestAccuracy: results[aloneStage(1)].bestAccuracy,
      definition: `${GAP_CLOSED_DEFINITION} (the largest student, distilled from the teacher)`,
      transfer: { label: data.parts.train.y, supervisor: trained.teacherOnTrain, student: directOnTrain },
      started,
      charts: charts.charts,
    });
  } finally {
    scope.dispose();
  }
}
