/**
 * Weak-to-strong generalisation (Burns et al. 2023; shared/METHODS.md section 1):
 * weak supervisor on split A with truth -> its labels on split B -> strong ceiling on B with truth and
 * strong student (same architecture, same initial weights) on B with the weak labels; all scored on test.
 */
import type { WeakToStrongConfig } from '../config';
import { assembleResult, type ExperimentResult, type RunContext, type StageInfo } from './common';
import { classesOnTransfer, labelsFrom, openTransferExperiment, trainCeiling, trainOnSplit, trainSupervisor, W2S_DEFINITION } from './transfer';

export const W2S_STAGES: StageInfo[] = [
  { name: 'weak', label: 'Weak supervisor', role: 'trained with ground truth on split A; its predictions label split B' },
  { name: 'ceiling', label: 'Strong ceiling', role: 'the strong model trained with ground truth on split B: the best the student could do' },
  { name: 'student', label: 'Student', role: 'the strong model trained on split B with the weak supervisor\'s labels' },
];

export async function runWeakToStrong(config: WeakToStrongConfig, ctx: RunContext, backend: string): Promise<ExperimentResult> {
  const started = performance.now();
  const x = await openTransferExperiment(config, ctx, W2S_STAGES);
  try {
    // 1. Weak supervisor on A with ground truth; 2. its labels on B (soft or hard, at a temperature).
    const weak = await trainSupervisor(x, config, W2S_STAGES[0]);
    const weakLabels = await labelsFrom(x, weak, config.weakLabels, "the weak supervisor's labels");

    // 3. Strong ceiling on B with ground truth; 4. strong student on B with weak labels. Same initial weights.
    const ceiling = await trainCeiling(x, config.student, W2S_STAGES[1]);
    const student = await trainOnSplit(x, {
      info: W2S_STAGES[2],
      role: config.student,
      loss: config.student.loss,
      split: 'B',
      supervision: weakLabels,
      initLabel: 'init:strong',
      shuffleKey: 'strong',
    });

    return assembleResult({
      config,
      backend,
      data: x.data,
      stages: { weak: weak.run.result, ceiling: ceiling.run.result, student: student.run.result },
      lowerBestAccuracy: weak.run.result.accuracy,
      definition: W2S_DEFINITION,
      transfer: { label: x.data.parts.B.y, supervisor: weakLabels.onB, student: await classesOnTransfer(x, student) },
      started,
    });
  } finally {
    x.scope.dispose();
  }
}
