/**
 * Bootstrapping (Burns et al. 2023, section 4.3.1; shared/METHODS.md section 1): instead of training the strong
 * model straight on the weak supervisor's labels, a chain of growing models M1 -> M2 -> ... -> Mn, each trained
 * on the transfer set B with the previous model's labels. Compared with the direct student (the final model on
 * the weak labels) against the same weak supervisor and the same ceiling (the final model on ground truth).
 */
import { ChartRecorder } from '../charts';
import { assembleResult } from '../result';
import type { LossSpec } from '../../config/blocks';
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
  type Supervision,
  type Trained,
} from '../transfer';
import { bootstrap, type BootstrapConfig } from './spec';
import { linkName } from './names';

const pgrText = (value: number | null) => (value === null ? 'PGR n/a' : `PGR ${value.toFixed(2)}`);

export async function runBootstrap(ctx: RunContext<BootstrapConfig>): Promise<ExperimentResult> {
  const started = performance.now();
  const { config } = ctx;
  const links = config.chain.length;
  const stages = bootstrap.stages(config);
  const info = (name: string) => stages.find((s) => s.name === name)!;
  const x = await openTransferExperiment(config, ctx, stages);
  const end = links + 1;
  const recorder = new ChartRecorder(ctx.onEvent);
  recorder.declare({
    id: 'chain',
    title: 'Accuracy along the chain',
    kind: 'line',
    xLabel: 'position in the chain (0 = weak supervisor)',
    yLabel: 'test accuracy',
    percent: true,
    series: [
      { key: 'chain', label: "Chain (each on the previous model's labels)", color: '#059669' },
      { key: 'direct', label: 'Direct (final model on the weak labels)', color: '#64748b', dashed: true },
      { key: 'ceiling', label: 'Ceiling (final model on ground truth)', dashed: true },
    ],
    note: `From the weak supervisor (0) through ${links === 1 ? 'one link' : `${links} links`} to the chain's end (${end}). The chain wins where its end lies above the direct line.`,
  });
  const bars = new PgrCopyChart(recorder, 'chain-pgr', {
    title: 'PGR and copy rate: the chain against direct supervision',
    xLabel: 'model',
    note: "The direct student and each model of the chain against the same weak supervisor and ceiling. Copy rate: the share of the supervisor's test mistakes a model repeats. The chain wins where its end has the higher PGR and the lower copy rate.",
  });
  const reference = (key: 'direct' | 'ceiling', y: number) => {
    recorder.add('chain', key, { x: 0, y });
    recorder.add('chain', key, { x: end, y });
  };
  try {
    const weak = await trainSupervisor(x, config, info('weak'));
    const weakLabels = await labelsFrom(x, weak, config.weakLabels, "the weak supervisor's labels");
    recorder.add('chain', 'chain', { x: 0, y: weak.run.result.accuracy, label: 'weak' });
    const ceiling = await trainCeiling(x, config.student, info('ceiling'));
    reference('ceiling', ceiling.run.result.accuracy);
    const trained = new Map<string, Trained>([
      ['weak', weak],
      ['ceiling', ceiling],
    ]);

    const measure = (label: string, student: Trained) => bars.add(x, label, weak, ceiling, student);

    // Every model that learns from another model's labels uses the student's loss.
    const loss: LossSpec = config.student.loss;
    const direct = await trainOnSplit(x, {
      info: info('direct'),
      role: config.student,
      loss,
      split: 'B',
      supervision: weakLabels,
      initLabel: 'init:strong',
      shuffleKey: 'strong',
    });
    trained.set('direct', direct);
    reference('direct', direct.run.result.accuracy);
    measure('direct', direct);

    // The chain: link 1 learns from the weak labels, each next model from the one before.
    let supervision: Supervision = weakLabels;
    for (let i = 0; i < links; i++) {
      const link = await trainOnSplit(x, {
        info: info(linkName(i)),
        role: config.chain[i],
        loss,
        split: 'B',
        supervision,
        initLabel: `init:${linkName(i)}`,
        shuffleKey: linkName(i),
      });
      trained.set(linkName(i), link);
      const pgr = measure(linkName(i), link);
      recorder.add('chain', 'chain', { x: i + 1, y: link.run.result.accuracy, label: `${linkName(i)} · ${pgrText(pgr)}` });
      supervision = await labelsFrom(x, link, config.weakLabels, `link ${i + 1}'s labels`);
    }
    const student = await trainOnSplit(x, {
      info: info('student'),
      role: config.student,
      loss,
      split: 'B',
      supervision,
      initLabel: 'init:strong',
      shuffleKey: 'strong',
    });
    trained.set('student', student);
    const pgr = measure("chain's end", student);
    recorder.add('chain', 'chain', { x: end, y: student.run.result.accuracy, label: `chain's end · ${pgrText(pgr)}` });

    return assembleResult({
      config,
      backend: ctx.backend,
      data: x.data,
      stages: Object.fromEntries(stages.map((s) => [s.name, trained.get(s.name)!.run.result])),
      lowerBestAccuracy: weak.run.result.accuracy,
      definition: `${W2S_DEFINITION}; student = the chain's end (the direct student's PGR is in students and in the chain-pgr chart)`,
      transfer: { label: x.data.parts.B.y, supervisor: weakLabels.onB, student: await classesOnTransfer(x, student) },
      started,
      charts: recorder.charts,
    });
  } finally {
    x.scope.dispose();
  }
}
