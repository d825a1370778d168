/**
 * The student's loss, side by side (Burns et al. 2023, section 4.3.2; shared/METHODS.md section 2): one weak
 * supervisor, one ceiling, and three students of the same strong model (same initial weights, same data order)
 * trained on the same weak labels with cross-entropy, the auxiliary confidence loss and the product loss.
 */
import { ChartRecorder } from '../charts';
import { assembleResult } from '../result';
import type { ExperimentResult } from '../contract';
import type { RunContext } from '../context';
import {
  classesOnTransfer,
  labelsFrom,
  openTransferExperiment,
  trainCeiling,
  trainOnSplit,
  trainSupervisor,
  PgrCopyChart,
  W2S_DEFINITION,
  type Trained,
} from '../transfer';
import { lossStudy, studyLosses, type LossStudyConfig } from './spec';

export async function runLossStudy(ctx: RunContext<LossStudyConfig>): Promise<ExperimentResult> {
  const started = performance.now();
  const { config } = ctx;
  const stages = lossStudy.stages(config);
  const recorder = new ChartRecorder(ctx.onEvent);
  const x = await openTransferExperiment(config, ctx, stages);
  const info = (name: string) => stages.find((s) => s.name === name)!;
  const losses = studyLosses(config);
  const bars = new PgrCopyChart(recorder, 'losses', {
    title: 'PGR and copy rate per loss',
    xLabel: 'student loss',
    note: "Same supervisor, same labels, same student start and data order: only the loss differs. Copy rate: the share of the supervisor's test mistakes a student repeats. Higher PGR and a lower copy rate: the student leans less on its supervisor's mistakes.",
  });
  try {
    const weak = await trainSupervisor(x, config, info('weak'));
    const weakLabels = await labelsFrom(x, weak, config.weakLabels, "the weak supervisor's labels");
    const ceiling = await trainCeiling(x, config.student, info('ceiling'));

    const students = new Map<string, Trained>();
    for (const { name, loss } of losses) {
      const student = await trainOnSplit(x, {
        info: info(name),
        role: config.student,
        loss,
        split: 'B',
        supervision: weakLabels,
        initLabel: 'init:strong',
        shuffleKey: 'strong',
      });
      students.set(name, student);
      bars.add(x, name, weak, ceiling, student);
    }

    const headline = students.get('logconf')!;
    return assembleResult({
      config,
      backend: ctx.backend,
      data: x.data,
      stages: {
        weak: weak.run.result,
        ceiling: ceiling.run.result,
        ...Object.fromEntries([...students].map(([name, s]) => [name, s.run.result])),
      },
      lowerBestAccuracy: weak.run.result.accuracy,
      definition: `${W2S_DEFINITION}; per loss in students (the headline student is logconf)`,
      transfer: { label: x.data.parts.B.y, supervisor: weakLabels.onB, student: await classesOnTransfer(x, headline) },
      started,
      charts: recorder.charts,
    });
  } finally {
    x.scope.dispose();
  }
}
