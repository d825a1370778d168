/**
 * Weak labelling functions and their label models (after AutoWS-Bench-101 and Weaver; see spec.ts). K functions
 * train with ground truth on split A, each through its own random share of the input features; each votes (its
 * top class) on U, L and test. On test: the plain vote; Dawid-Skene fitted on U's votes; the weighted vote with
 * log-odds weights from L; and a probe on the pretrained encoder trained on L alone.
 */
import { accuracy, argmaxRows } from '../../metrics';
import { permutation } from '../../rng';
import { predictValues } from '../../evaluate';
import { tf, type Tensor2D } from '../../tf';
import { ChartRecorder } from '../charts';
import type { ExperimentResult } from '../contract';
import type { StageResult } from '../figures';
import type { RunContext } from '../context';
import { createModel, oneHot, openExperiment, type SplitTensors } from '../open';
import { assembleResult } from '../result';
import { announceMeasuredStage, measuredStage, reportMeasuredStage, runStage } from '../stage';
import { applyDawidSkene, fitDawidSkene, fittedWeights, majorityVote, weightedVote, type Combined } from './label-models';
import { functionName, weakLabelers, type WeakLabelersConfig } from './spec';

/** One function's votes on the splits the label models read. */
interface Votes {
  U: Int32Array;
  L: Int32Array;
  test: Int32Array;
}

export async function runWeakLabelers(ctx: RunContext<WeakLabelersConfig>): Promise<ExperimentResult> {
  const started = performance.now();
  const { config } = ctx;
  const stages = weakLabelers.stages(config);
  const info = (name: string) => stages.find((s) => s.name === name)!;
  const { functionSize, unlabelledSize, labelledSize, validationSize } = config.data;
  const opened = await openExperiment(
    config,
    ctx,
    [
      { name: 'A', size: functionSize },
      { name: 'U', size: unlabelledSize },
      { name: 'L', size: labelledSize },
      { name: 'V', size: validationSize },
    ],
    stages,
  );
  const { data, scope, numClasses, test, grid } = opened;
  const split = (name: string) => scope.split(data.parts[name], data.featureSize);
  const [A, U, L] = [split('A'), split('U'), split('L')];
  const V = validationSize > 0 ? split('V') : null;
  const recorder = new ChartRecorder(ctx.onEvent);
  recorder.declare({
    id: 'functions',
    title: "Each labelling function's accuracy: on test, as Dawid-Skene estimates it, as the labels measure it",
    kind: 'bar',
    xLabel: 'labelling function (share of the input it sees)',
    yLabel: 'accuracy',
    percent: true,
    series: [
      { key: 'test', label: 'On test (the truth)', color: '#64748b' },
      { key: 'dawid-skene', label: 'Estimated by Dawid-Skene, without labels', color: '#2563eb' },
      { key: 'labels', label: `Measured on the ${labelledSize} labels`, color: '#d97706' },
    ],
    note: 'Dawid-Skene estimates accuracy as sum over c of prior_c x P(vote c | class c); the weighted vote uses the accuracy on the labels, smoothed: (right + 1) / (n + 2).',
  });
  recorder.declare({
    id: 'methods',
    title: 'Test accuracy: the best function alone, the vote, the label models, the probe',
    kind: 'bar',
    xLabel: 'labels from',
    yLabel: 'test accuracy',
    percent: true,
    series: [{ key: 'accuracy', label: 'Test accuracy', color: '#059669' }],
    note: `The probe learns from the ${labelledSize} labels alone; the weighted vote uses the same labels only to weigh the functions.`,
  });

  const results: Record<string, StageResult> = {};
  const functionLabel = (k: number) => `${k + 1}: ${Math.round(1000 * config.functions[k]) / 10}%`;
  /** One labelling function: trained on its view of A, its votes read on U, L and test. */
  const trainFunction = async (index: number): Promise<Votes> => {
    const name = functionName(index);
    const features = data.featureSize;
    const kept = Math.max(1, Math.round(config.functions[index] * features));
    const mask = new Float32Array(features);
    permutation(features, ctx.rng.fork(`view:${name}`))
      .subarray(0, kept)
      .forEach((f) => (mask[f] = 1));
    const made: tf.Tensor[] = [];
    const own = <T extends tf.Tensor>(t: T) => (made.push(t), t);
    const m = own(tf.tensor1d(mask));
    const view = (x: Tensor2D) => own(tf.mul(x, m) as Tensor2D);
    const model = await createModel(config.labeller.model, data, ctx, `init:${name}`);
    try {
      const run = await runStage({
        info: info(name),
        model,
        train: config.labeller.train,
        loss: { type: 'xent' },
        data: { inputs: view(A.x), targets: own(oneHot(A.y, numClasses)) },
        test: { inputs: view(test.x), labels: test.y },
        validation: V ? { inputs: view(V.x), labels: V.y } : undefined,
        validationLabelledBy: 'ground truth',
        shuffleKey: name,
        testLabels: data.test.y,
        ctx,
        grid: grid && view(grid),
      });
      own(run.testLogits);
      results[name] = run.result;
      const votes = async (s: SplitTensors) => argmaxRows(await predictValues(model, view(s.x), ctx.signal), numClasses);
      return { U: await votes(U), L: await votes(L), test: run.result.testPredictions };
    } finally {
      made.forEach((t) => t.dispose());
      model.dispose();
    }
  };
  /** A label model's test labels reported as a stage with nothing to train. */
  const labelStage = (name: string, model: string, combined: Combined, seconds: number, chosenBy: string) =>
    (results[name] = measuredStage(ctx, info(name), model, data.test.y, {
      testPredictions: combined.classes,
      testProbabilities: combined.probabilities,
      validationAccuracy: null,
      bestChosenBy: chosenBy,
      seconds,
    }));
  const methodBar = (name: string, x: number, label: string) => recorder.add('methods', 'accuracy', { x, y: results[name].accuracy, label });

  try {
    const votes: Votes[] = [];
    for (let k = 0; k < config.functions.length; k++) {
      votes.push(await trainFunction(k));
      recorder.add('functions', 'test', { x: k, y: results[functionName(k)].accuracy, label: functionLabel(k) });
    }
    const on = (s: keyof Votes) => votes.map((v) => v[s]);
    const best = config.functions.map((_, k) => results[functionName(k)].accuracy).reduce((a, b) => Math.max(a, b), 0);
    recorder.add('methods', 'accuracy', { x: 0, y: best, label: 'best function' });

    labelStage('vote', `plain vote of ${votes.length} functions`, majorityVote(on('test'), numClasses), 0, 'a vote: nothing to choose');
    methodBar('vote', 1, 'majority vote');

    let clock = performance.now();
    announceMeasuredStage(ctx, info('dawid-skene'), `Dawid-Skene, ${config.iterations} EM iterations`);
    const ds = await fitDawidSkene(on('U'), numClasses, config.iterations, ctx.signal);
    const dsTest = applyDawidSkene(ds, on('test'), numClasses);
    results['dawid-skene'] = reportMeasuredStage(ctx, info('dawid-skene'), `Dawid-Skene, ${config.iterations} EM iterations`, data.test.y, {
      testPredictions: dsTest.classes,
      testProbabilities: dsTest.probabilities,
      validationAccuracy: null,
      bestChosenBy: `fitted on the votes of ${unlabelledSize} unlabelled examples: nothing to choose`,
      seconds: (performance.now() - clock) / 1000,
    });
    methodBar('dawid-skene', 2, 'Dawid-Skene');
    ds.confusion.forEach((confusion, k) => {
      let estimate = 0;
      for (let c = 0; c < numClasses; c++) estimate += ds.prior[c] * confusion[c * numClasses + c];
      recorder.add('functions', 'dawid-skene', { x: k, y: estimate, label: functionLabel(k) });
    });

    clock = performance.now();
    const truthL = data.parts.L.y;
    const weights = fittedWeights(on('L'), truthL, numClasses);
    labelStage(
      'weighted',
      `vote weighted by accuracy on ${labelledSize} labels`,
      weightedVote(on('test'), weights, numClasses),
      (performance.now() - clock) / 1000,
      `weights fitted on ${labelledSize} labelled examples: nothing to choose`,
    );
    methodBar('weighted', 3, `weighted (${labelledSize} labels)`);
    on('L').forEach((v, k) => recorder.add('functions', 'labels', { x: k, y: accuracy(v, truthL), label: functionLabel(k) }));

    const probe = await createModel(config.student.model, data, ctx, 'init:probe');
    try {
      const input = (name: string, raw: Tensor2D) => scope.cache.encode(probe, name, raw);
      const run = await runStage({
        info: info('probe'),
        model: probe,
        train: config.student.train,
        loss: { type: 'xent' },
        data: { inputs: await input('L', L.x), targets: scope.own(oneHot(L.y, numClasses)) },
        test: { inputs: await input('test', test.x), labels: test.y },
        validationLabelledBy: 'nothing: the probe has only its labels',
        shuffleKey: 'probe',
        testLabels: data.test.y,
        ctx,
        grid: grid && (await input('grid', grid)),
      });
      run.testLogits.dispose();
      results.probe = run.result;
    } finally {
      probe.dispose();
    }
    methodBar('probe', 4, `probe (${labelledSize} labels)`);

    // On U (the unlabelled pool the label models serve): the plain vote against the weighted one.
    const truthU = data.parts.U.y;
    return assembleResult({
      config,
      backend: ctx.backend,
      data,
      stages: Object.fromEntries(stages.map((s) => [s.name, results[s.name]])),
      lowerBestAccuracy: results.vote.accuracy,
      definition: 'no gap ratio: every way of labelling is scored on test',
      transfer: { label: truthU, supervisor: majorityVote(on('U'), numClasses).classes, student: weightedVote(on('U'), weights, numClasses).classes },
      started,
      charts: recorder.charts,
    });
  } finally {
    scope.dispose();
  }
}
