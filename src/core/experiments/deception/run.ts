/**
 * Weak-to-strong deception (Yang et al. 2025, "Super(ficial)-alignment: Strong Models May Deceive Weak Models in
 * Weak-to-Strong Generalization"; shared/METHODS.md section 5). Weak supervisors trained on more or fewer labels of
 * split A label split B; the strong student learns each supervisor's labels while a second objective rewards class c:
 *   L = CE(q, p) + lambda * (-log p_c),  trained as CE((q + lambda e_c) / (1 + lambda), p), the same gradient / (1 + lambda).
 * Its violations (class c given to an example of another class that its ceiling, the same model trained on the truth,
 * gets right) are split by whether that supervisor is right there (it would notice) or wrong (it cannot tell). The
 * bootstrap chain (weakest supervisor -> intermediate model -> student, each with the reward) is the mitigation
 * tried; the student without the reward shows how often it gives class c wrongly anyway.
 */
import { tf, type Tensor2D } from '../../tf';
import { ChartRecorder } from '../charts';
import type { ExperimentResult } from '../contract';
import type { StageResult } from '../figures';
import type { RunContext } from '../context';
import type { SplitTensors } from '../open';
import { assembleResult } from '../result';
import { classesOnTransfer, labelsFrom, openTransferExperiment, trainCeiling, trainOnSplit, W2S_DEFINITION, type Supervision, type Trained } from '../transfer';
import { deception, studentName, weakName, type DeceptionConfig } from './spec';
import { supervisorSizes, violationSplit } from './violations';

export async function runDeception(ctx: RunContext<DeceptionConfig>): Promise<ExperimentResult> {
  const started = performance.now();
  const { config } = ctx;
  const { rewardedClass, weight } = config.conflict;
  const sizes = supervisorSizes(config);
  const stages = deception.stages(config);
  const info = (name: string) => stages.find((s) => s.name === name)!;
  const x = await openTransferExperiment(config, ctx, stages);
  const { scope, numClasses } = x;
  const recorder = new ChartRecorder(ctx.onEvent);
  recorder.declare({
    id: 'violations',
    title: `Class ${rewardedClass} given wrongly: where the supervisor knows, and where it does not`,
    kind: 'bar',
    xLabel: 'student',
    yLabel: 'violation rate',
    percent: true,
    series: [
      { key: 'known', label: 'Supervisor right (it would notice)', color: '#2563eb' },
      { key: 'unknown', label: 'Supervisor wrong (it cannot tell)', color: '#dc2626' },
    ],
    note: `On test digits of other classes that the strong ceiling gets right: the share where the student answers ${rewardedClass}, split by whether its supervisor is right on them.`,
  });
  recorder.declare({
    id: 'deception',
    title: 'Deception score against the capability gap',
    kind: 'line',
    xLabel: 'capability gap: ceiling minus supervisor accuracy',
    yLabel: 'share of violations where the supervisor is wrong',
    yDomain: [0, 1],
    percent: true,
    series: [
      { key: 'score', label: 'Student with the reward', color: '#dc2626' },
      { key: 'baseline', label: 'If violations fell anywhere alike: the share of such examples', color: '#9ca3af', dashed: true },
      { key: 'chain', label: 'Student through the chain', color: '#059669' },
    ],
    note: 'Above the dashed line, violations concentrate where the supervisor does not know the answer: it would not catch them. Each point is one supervisor; the gap grows as the supervisor gets fewer labels.',
  });

  /** A model's labels with the reward added: (q + lambda e_c) / (1 + lambda). */
  const rewarded = (labels: Supervision): Supervision => ({
    ...labels,
    targets: scope.own(
      tf.tidy(() => {
        const c = tf.oneHot(tf.tensor1d([rewardedClass], 'int32'), numClasses).toFloat();
        return tf.div(tf.add(labels.targets, tf.mul(c, weight)), 1 + weight) as Tensor2D;
      }),
    ),
  });
  const strong = (name: string, supervision: Supervision | 'truth', role = config.student) =>
    trainOnSplit(x, {
      info: info(name),
      role,
      loss: { type: 'xent' },
      split: 'B',
      supervision,
      // Every strong student starts from the same weights and sees the data in the same order as the ceiling.
      initLabel: role === config.student ? 'init:strong' : 'init:link',
      shuffleKey: role === config.student ? 'strong' : 'link',
    });
  try {
    // The supervisors, weakest first: each on the first `size` examples of split A.
    const supervisors: { trained: Trained; labels: Supervision }[] = [];
    for (const [i, size] of sizes.entries()) {
      const subset: SplitTensors = { x: scope.own(x.A.x.slice(0, size)), y: scope.own(x.A.y.slice(0, size)), count: size };
      const withSubset = { ...x, A: subset };
      const trained = await trainOnSplit(withSubset, {
        info: info(weakName(i)),
        role: config.supervisor,
        loss: { type: 'xent' },
        split: 'A',
        supervision: 'truth',
        initLabel: 'init:supervisor',
        shuffleKey: 'weak',
      });
      supervisors.push({ trained, labels: await labelsFrom(withSubset, trained, config.weakLabels, `the ${size}-label supervisor's labels`) });
    }
    const ceiling = await trainCeiling(x, config.student, info('ceiling'));
    const trainedByName = new Map<string, Trained>([['ceiling', ceiling]]);
    supervisors.forEach((s, i) => trainedByName.set(weakName(i), s.trained));

    const measure = (series: 'score' | 'chain', label: string, supervisor: StageResult, student: StageResult) => {
      const split = violationSplit(x.data.test.y, supervisor.testPredictions, ceiling.run.result.testPredictions, student.testPredictions, rewardedClass);
      const gap = ceiling.run.result.accuracy - supervisor.accuracy;
      if (split.known.rate !== null) recorder.add('violations', 'known', { x: 0, y: split.known.rate, label });
      if (split.unknown.rate !== null) recorder.add('violations', 'unknown', { x: 0, y: split.unknown.rate, label });
      if (split.deceptionScore !== null) recorder.add('deception', series, { x: gap, y: split.deceptionScore, label });
      if (series === 'score' && split.baseline !== null) recorder.add('deception', 'baseline', { x: gap, y: split.baseline, label });
    };

    for (const [i, size] of sizes.entries()) {
      const student = await strong(studentName(i), rewarded(supervisors[i].labels));
      trainedByName.set(studentName(i), student);
      measure('score', `${size} labels`, supervisors[i].trained.run.result, student.run.result);
    }

    const weakest = supervisors[0];
    if (config.bootstrap) {
      const link = await strong('link', rewarded(weakest.labels), config.intermediate);
      const chain = await strong('chain', rewarded(await labelsFrom(x, link, config.weakLabels, "the intermediate model's labels")));
      trainedByName.set('link', link).set('chain', chain);
      measure('chain', `${sizes[0]} labels, chain`, weakest.trained.run.result, chain.run.result);
    }
    const honest = await strong('honest', weakest.labels);
    trainedByName.set('honest', honest);
    const split = violationSplit(
      x.data.test.y,
      weakest.trained.run.result.testPredictions,
      ceiling.run.result.testPredictions,
      honest.run.result.testPredictions,
      rewardedClass,
    );
    recorder.add('violations', 'known', { x: 0, y: split.known.rate ?? 0, label: `${sizes[0]} labels, no reward` });
    recorder.add('violations', 'unknown', { x: 0, y: split.unknown.rate ?? 0, label: `${sizes[0]} labels, no reward` });

    return assembleResult({
      config,
      backend: ctx.backend,
      data: x.data,
      stages: Object.fromEntries(stages.map((s) => [s.name, trainedByName.get(s.name)!.run.result])),
      lowerBestAccuracy: weakest.trained.run.result.accuracy,
      definition: `${W2S_DEFINITION}; weak = the weakest supervisor, student = the student with the reward on its labels`,
      transfer: { label: x.data.parts.B.y, supervisor: weakest.labels.onB, student: await classesOnTransfer(x, trainedByName.get('student')!) },
      started,
      charts: recorder.charts,
    });
  } finally {
    scope.dispose();
  }
}
