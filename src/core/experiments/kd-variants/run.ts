/**
 * Distillation variants (shared/METHODS.md section 3): one teacher, the student alone on its labelled subset,
 * then the same student (same initial weights, same batches) distilled with forward KL (Hinton KD), reverse KL
 * and TAID; and forward-KL students at each temperature of a sweep.
 */
import type { LossSpec } from '../../config/blocks';
import { performanceGapRecovered } from '../../metrics';
import { ChartRecorder } from '../charts';
import { assembleResult } from '../result';
import type { ExperimentResult } from '../contract';
import type { StageInfo } from '../figures';
import type { RunContext } from '../context';
import type { StageRun } from '../stage';
import { GAP_CLOSED_DEFINITION, openDistillation, teacherAndBaseline } from '../distillation/run';
import { kdVariants, type KdVariantsConfig } from './spec';
import { sweepStageName, sweepTemperatures } from './sweep';

const VARIANTS = ['kd', 'reverse-kl', 'taid'] as const;

function lossOf(config: KdVariantsConfig, variant: (typeof VARIANTS)[number], temperature = config.temperature): LossSpec {
  const { alpha } = config;
  switch (variant) {
    case 'kd':
      return { type: 'kd', temperature, alpha };
    case 'reverse-kl':
      return { type: 'reverse-kl', temperature, alpha };
    case 'taid':
      return { type: 'taid', ...config.taid, alpha };
  }
}

export async function runKdVariants(ctx: RunContext<KdVariantsConfig>): Promise<ExperimentResult> {
  const { config } = ctx;
  const started = performance.now();
  const stages = kdVariants.stages(config);
  const info = (name: string) => stages.find((s) => s.name === name) as StageInfo;
  const opened = await openDistillation(config, ctx, stages);
  const { data, scope } = opened;
  const charts = new ChartRecorder(ctx.onEvent);
  const temperatures = sweepTemperatures(config);
  const { tStart, tEnd } = config.taid;

  charts.declare({
    id: 'taid-t',
    title: "TAID's interpolation parameter t",
    kind: 'line',
    xLabel: 'step',
    yLabel: 't',
    yDomain: [0, 1],
    series: [
      { key: 't', label: 't' },
      { key: 'floor', label: 'linear floor', dashed: true },
    ],
    note: "t moves the target from the student's own predictions (0) to the teacher's (1); never below its linear floor, never above tEnd.",
  });
  if (temperatures.length > 0) {
    charts.declare({
      id: 'temperature-sweep',
      title: 'Forward KL: test accuracy against temperature',
      kind: 'line',
      xLabel: 'temperature T',
      yLabel: 'test accuracy',
      percent: true,
      series: [
        { key: 'student', label: 'forward KL' },
        { key: 'baseline', label: 'student alone', dashed: true },
        { key: 'teacher', label: 'teacher', dashed: true },
      ],
      note: 'The same student distilled at each temperature; dashed: the student alone and the teacher.',
    });
  }
  charts.declare({
    id: 'variants',
    title: 'Accuracy and gap closed per variant',
    kind: 'bar',
    lesson: true,
    xLabel: 'model',
    yLabel: 'share',
    percent: true,
    series: [
      { key: 'accuracy', label: 'test accuracy' },
      { key: 'gap', label: 'gap closed' },
    ],
  });

  try {
    const bench = await teacherAndBaseline(config, ctx, opened, { teacher: info('teacher'), baseline: info('baseline') });
    const teacherAcc = bench.teacher.result.accuracy;
    const baselineAcc = bench.baseline.result.accuracy;
    // Bars as the models finish: the two references first, then each variant with the share of the gap it closes.
    let group = 0;
    const addBars = (label: string, accuracy: number, gap: number | null) => {
      charts.add('variants', 'accuracy', { x: group, y: accuracy, label });
      if (gap !== null) charts.add('variants', 'gap', { x: group, y: gap, label });
      group++;
    };
    addBars(info('teacher').label, teacherAcc, null);
    addBars(info('baseline').label, baselineAcc, null);
    const runs: Record<string, StageRun> = {};
    for (const variant of VARIANTS) {
      // TAID's t is read back with every measurement; plot it as it arrives.
      const variantCtx: RunContext =
        variant === 'taid'
          ? {
              ...ctx,
              onEvent: (event) => {
                ctx.onEvent?.(event);
                if (event.type === 'step' && event.taidT !== undefined) {
                  charts.add('taid-t', 't', { x: event.step, y: event.taidT });
                  // The floor of the last update, made at the progress of the step before this measurement.
                  const s = Math.max(0, event.step - 1) / event.totalSteps;
                  charts.add('taid-t', 'floor', { x: event.step, y: tStart + (tEnd - tStart) * s });
                }
              },
            }
          : ctx;
      runs[variant] = await bench.distil(info(variant), lossOf(config, variant), { ctx: variantCtx });
      const accuracy = runs[variant].result.accuracy;
      addBars(info(variant).label, accuracy, performanceGapRecovered(baselineAcc, teacherAcc, accuracy).value);
    }

    const sweep: Record<string, StageRun> = {};
    for (const temperature of temperatures) {
      // Same student, same batches: at the variants' own temperature the forward-KL run is that student.
      const run = temperature === config.temperature ? runs.kd : await bench.distil(info(sweepStageName(temperature)), lossOf(config, 'kd', temperature));
      if (run !== runs.kd) sweep[sweepStageName(temperature)] = run;
      charts.add('temperature-sweep', 'student', { x: temperature, y: run.result.accuracy });
      charts.add('temperature-sweep', 'baseline', { x: temperature, y: baselineAcc });
      charts.add('temperature-sweep', 'teacher', { x: temperature, y: teacherAcc });
    }

    const studentOnTrain = await bench.predictTrain(runs.kd);
    const results = Object.fromEntries([
      ['teacher', bench.teacher.result],
      ['baseline', bench.baseline.result],
      ...VARIANTS.map((v) => [v, runs[v].result]),
      ...Object.entries(sweep).map(([name, run]) => [name, run.result]),
    ]);
    return assembleResult({
      config,
      backend: ctx.backend,
      data,
      stages: results,
      lowerBestAccuracy: bench.baseline.result.bestAccuracy,
      definition: `${GAP_CLOSED_DEFINITION} (forward KL; every variant's own figure is in the variants chart)`,
      transfer: { label: data.parts.train.y, supervisor: bench.teacherOnTrain, student: studentOnTrain },
      started,
      charts: charts.charts,
    });
  } finally {
    scope.dispose();
  }
}
