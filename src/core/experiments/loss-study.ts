/**
 * The student's loss, side by side (Burns et al. 2023, section 4.3.2; shared/METHODS.md section 2): one weak
 * supervisor, one ceiling, and three students of the same strong model (same initial weights, same data order)
 * trained on the same weak labels with cross-entropy, the auxiliary confidence loss and the product loss.
 */
import type { LossSpec, LossStudyConfig } from '../config';
import { ChartRecorder } from './charts';
import { assembleResult, type ExperimentResult, type RunContext, type StageInfo } from './common';
import { classesOnTransfer, labelsFrom, openTransferExperiment, trainCeiling, trainOnSplit, trainSupervisor, PgrCopyChart, W2S_DEFINITION, type Trained } from './transfer';

export const LOSS_STUDY_STAGES: StageInfo[] = [
  { name: 'weak', label: 'Weak supervisor', role: 'trained with ground truth on split A; its predictions label split B' },
  { name: 'ceiling', label: 'Strong ceiling', role: 'the strong model trained with ground truth on split B: the best the students could do' },
  { name: 'xent', label: 'Student: xent', role: "the strong model trained with cross-entropy on the weak supervisor's labels" },
  { name: 'logconf', label: 'Student: logconf', role: "the same start, trained with the auxiliary confidence loss: the weak labels mixed with the student's own hardened predictions" },
  { name: 'product', label: 'Student: product', role: "the same start, trained with the product loss: target proportional to the student's predictions times the weak labels" },
];

/** The three losses the study compares, in the order they train. */
export function studyLosses(config: LossStudyConfig): { name: 'xent' | 'logconf' | 'product'; loss: LossSpec }[] {
  return [
    { name: 'xent', loss: { type: 'xent' } },
    { name: 'logconf', loss: { type: 'logconf', ...config.logconf } },
    { name: 'product', loss: { type: 'product', ...config.product } },
  ];
}

export async function runLossStudy(config: LossStudyConfig, ctx: RunContext, backend: string): Promise<ExperimentResult> {
  const started = performance.now();
  const recorder = new ChartRecorder(ctx.onEvent);
  const x = await openTransferExperiment(config, ctx, LOSS_STUDY_STAGES);
  const info = (name: string) => LOSS_STUDY_STAGES.find((s) => s.name === name)!;
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
      const student = await trainOnSplit(x, { info: info(name), role: config.student, loss, split: 'B', supervision: weakLabels, initLabel: 'init:strong', shuffleKey: 'strong' });
      students.set(name, student);
      bars.add(x, name, weak, ceiling, student);
    }

    const headline = students.get('logconf')!;
    return assembleResult({
      config,
      backend,
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
