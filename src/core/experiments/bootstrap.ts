/**
 * Bootstrapping (Burns et al. 2023, section 4.3.1; shared/METHODS.md section 1): instead of training the strong
 * model straight on the weak supervisor's labels, a chain of growing models M1 -> M2 -> ... -> Mn, each trained
 * on the transfer set B with the previous model's labels. Compared with the direct student (the final model on
 * the weak labels) against the same weak supervisor and the same ceiling (the final model on ground truth).
 */
import type { BootstrapConfig, LossSpec } from '../config';
import { performanceGapRecovered } from '../metrics';
import { ChartRecorder } from './charts';
import { assembleResult, type ExperimentResult, type RunContext, type StageInfo } from './common';
import { classesOnTransfer, labelsFrom, openTransferExperiment, trainCeiling, trainOnSplit, trainSupervisor, W2S_DEFINITION, type Supervision, type Trained } from './transfer';

const linkName = (i: number) => `link-${i + 1}`;

/** The stages in the order they train: the supervisor, the ceiling and the direct student first, then the chain. */
export function bootstrapStages(links: number): StageInfo[] {
  const linkInfo = (i: number): StageInfo => ({
    name: linkName(i),
    label: `Link ${i + 1}`,
    role: `trained on split B with ${i === 0 ? "the weak supervisor's" : `link ${i}'s`} labels; its labels train ${i + 1 < links ? `link ${i + 2}` : 'the final student'}`,
  });
  return [
    { name: 'weak', label: 'Weak supervisor', role: 'trained with ground truth on split A; its predictions label split B' },
    { name: 'ceiling', label: 'Strong ceiling', role: 'the final model trained with ground truth on split B: the best the student could do' },
    { name: 'direct', label: 'Direct student', role: "the final model trained straight on the weak supervisor's labels: what the chain competes with" },
    ...Array.from({ length: links }, (_, i) => linkInfo(i)),
    { name: 'student', label: 'Chain\'s end', role: `the final model trained on split B with link ${links}'s labels: the end of the chain` },
  ];
}

const pgrText = (value: number | null) => (value === null ? 'PGR n/a' : `PGR ${value.toFixed(2)}`);

export async function runBootstrap(config: BootstrapConfig, ctx: RunContext, backend: string): Promise<ExperimentResult> {
  const started = performance.now();
  const links = config.chain.length;
  const stages = bootstrapStages(links);
  const info = (name: string) => stages.find((s) => s.name === name)!;
  const recorder = new ChartRecorder(ctx.onEvent);
  const x = await openTransferExperiment(config, ctx, stages);
  try {
    const weak = await trainSupervisor(x, config, info('weak'));
    const weakLabels = await labelsFrom(x, weak, config.weakLabels, "the weak supervisor's labels");
    const ceiling = await trainCeiling(x, config.student, info('ceiling'));
    const weakAcc = weak.run.result.accuracy;
    const ceilingAcc = ceiling.run.result.accuracy;
    const pgrOf = (trained: Trained) => performanceGapRecovered(weakAcc, ceilingAcc, trained.run.result.accuracy).value;

    // Every model that learns from another model's labels uses the student's loss.
    const loss: LossSpec = config.student.loss;
    const trained = new Map<string, Trained>([['weak', weak], ['ceiling', ceiling]]);
    const direct = await trainOnSplit(x, { info: info('direct'), role: config.student, loss, split: 'B', supervision: weakLabels, initLabel: 'init:strong', shuffleKey: 'strong' });
    trained.set('direct', direct);
    const directAcc = direct.run.result.accuracy;

    const end = links + 1;
    recorder.declare({
      id: 'chain',
      title: 'Accuracy along the chain',
      kind: 'line',
      xLabel: 'position in the chain',
      yLabel: 'test accuracy',
      percent: true,
      series: [
        { key: 'chain', label: "Chain: each model trained on the previous one's labels" },
        { key: 'direct', label: `Direct: the final model on the weak labels (${pgrText(pgrOf(direct))})`, dashed: true },
        { key: 'ceiling', label: 'Ceiling: the final model on ground truth', dashed: true },
      ],
      note: 'Each point is a model of the chain, from the weak supervisor (left) to its end (right), labelled with its PGR against the same supervisor and ceiling. The chain wins where its end lies above the direct line.',
    });
    for (const [key, y] of [['direct', directAcc], ['ceiling', ceilingAcc]] as const) {
      recorder.add('chain', key, { x: 0, y });
      recorder.add('chain', key, { x: end, y });
    }
    recorder.add('chain', 'chain', { x: 0, y: weakAcc, label: 'weak' });

    // The chain: link 1 learns from the weak labels, each next model from the one before.
    let supervision: Supervision = weakLabels;
    for (let i = 0; i < links; i++) {
      const role = config.chain[i];
      const link = await trainOnSplit(x, { info: info(linkName(i)), role, loss, split: 'B', supervision, initLabel: `init:${linkName(i)}`, shuffleKey: linkName(i) });
      trained.set(linkName(i), link);
      recorder.add('chain', 'chain', { x: i + 1, y: link.run.result.accuracy, label: `${linkName(i)} · ${pgrText(pgrOf(link))}` });
      supervision = await labelsFrom(x, link, config.weakLabels, `link ${i + 1}'s labels`);
    }
    const student = await trainOnSplit(x, { info: info('student'), role: config.student, loss, split: 'B', supervision, initLabel: 'init:strong', shuffleKey: 'strong' });
    trained.set('student', student);
    recorder.add('chain', 'chain', { x: end, y: student.run.result.accuracy, label: `chain's end · ${pgrText(pgrOf(student))}` });

    const stageResults = Object.fromEntries(stages.map((s) => [s.name, trained.get(s.name)!.run.result]));
    return assembleResult({
      config,
      backend,
      data: x.data,
      stages: stageResults,
      lowerBestAccuracy: weakAcc,
      definition: `${W2S_DEFINITION}; student = the chain's end (the direct student's PGR is in students and in the chain chart)`,
      transfer: { label: x.data.parts.B.y, supervisor: weakLabels.onB, student: await classesOnTransfer(x, student) },
      started,
      charts: recorder.charts,
    });
  } finally {
    x.scope.dispose();
  }
}
