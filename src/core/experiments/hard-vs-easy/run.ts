/**
 * What makes good supervision for a hard task (He et al. 2024, "Guiding Through Complexity: What Makes Good
 * Supervision for Hard Reasoning Tasks?"; shared/METHODS.md section 5). One student (one model, one start, one
 * data order) learns the full classification of the same examples from:
 *   clean hard labels (the reference); clean easy labels (the true coarse group, the target spread evenly over its
 *   classes); hard labels with a share r of errors of one kind (random, near-miss, systematic); and those noisy
 *   labels with the easy ones added: target = (1 - w) e_noisy + w * uniform(true group).
 * All are scored on the full task's test labels.
 */
import { argmaxRows } from '../../metrics';
import { permutation } from '../../rng';
import { predictValues } from '../../evaluate';
import { tf, type Tensor2D } from '../../tf';
import { ChartRecorder } from '../charts';
import type { ExperimentResult } from '../contract';
import type { StageResult } from '../figures';
import type { RunContext } from '../context';
import { createModel, openExperiment, type SplitTensors } from '../open';
import { assembleResult } from '../result';
import { runStage } from '../stage';
import { corruptLabels, ERROR_KINDS, mixedTargets, nearMisses, noisySettings, type Corruption } from './labels';
import { hardVsEasy, type HardVsEasyConfig } from './spec';

const KIND_COLORS: Record<string, string> = { random: '#2563eb', 'near-miss': '#d97706', systematic: '#dc2626' };

/** One labelled set of the study: its examples, and what decides its wrong labels once the clean student is trained. */
interface StudySet {
  split: 'B' | 'V';
  tensors: SplitTensors;
  truth: Int32Array;
}

export async function runHardVsEasy(ctx: RunContext<HardVsEasyConfig>): Promise<ExperimentResult> {
  const started = performance.now();
  const { config } = ctx;
  const stages = hardVsEasy.stages(config);
  const info = (name: string) => stages.find((s) => s.name === name)!;
  const settings = noisySettings(config);
  const opened = await openExperiment(
    config,
    ctx,
    [
      { name: 'B', size: config.data.trainSize },
      { name: 'V', size: config.data.validationSize },
    ],
    stages,
  );
  const { data, scope, numClasses, test, grid } = opened;
  const B: StudySet = { split: 'B', tensors: scope.split(data.parts.B, data.featureSize), truth: data.parts.B.y };
  const V: StudySet | null =
    config.data.validationSize > 0 ? { split: 'V', tensors: scope.split(data.parts.V, data.featureSize), truth: data.parts.V.y } : null;
  const rates = [...new Set(settings.map((s) => s.rate))];
  const recorder = new ChartRecorder(ctx.onEvent);
  recorder.declare({
    id: 'supervision',
    title: 'Full-task accuracy against the share of wrong labels',
    kind: 'line',
    xLabel: 'share of wrong hard-task labels',
    yLabel: 'test accuracy (full task)',
    yDomain: [0, 1],
    percent: true,
    series: [
      ...ERROR_KINDS.filter((k) => config.errorKinds.includes(k)).map((k) => ({ key: k, label: `${k} errors`, color: KIND_COLORS[k] })),
      { key: 'clean', label: 'Clean hard labels', color: '#059669', dashed: true },
      { key: 'easy', label: `Clean easy labels (${config.groups} groups)`, color: '#64748b', dashed: true },
    ],
    note: 'Every student is scored on the full task. Above the grey line, noisy hard-task labels teach more than clean labels of the easy task.',
  });
  if (config.combine)
    recorder.declare({
      id: 'combined',
      title: 'Noisy hard labels, alone and with the clean easy labels',
      kind: 'bar',
      xLabel: 'hard-task labels',
      yLabel: 'test accuracy (full task)',
      percent: true,
      series: [
        { key: 'alone', label: 'Noisy hard labels alone', color: '#d97706' },
        { key: 'combined', label: 'With the clean coarse labels', color: '#059669' },
      ],
      note: `The combination spreads ${config.easyWeight} of each target over the true group's classes and puts the rest on the noisy label.`,
    });

  const results: Record<string, StageResult> = {};
  /** Trains the student on row-major targets for B (and class labels for V), reports the stage and returns its model's logits on `scoreSets`. */
  const trainStudent = async (name: string, targets: Float32Array, validationLabels: Int32Array | null, labelledBy: string, scoreSets: StudySet[] = []) => {
    const model = await createModel(config.student.model, data, ctx, 'init:strong');
    const made: tf.Tensor[] = [];
    const own = <T extends tf.Tensor>(t: T) => (made.push(t), t);
    try {
      const input = (split: string, raw: Tensor2D) => scope.cache.encode(model, split, raw);
      const run = await runStage({
        info: info(name),
        model,
        train: config.student.train,
        loss: { type: 'xent' },
        data: { inputs: await input('B', B.tensors.x), targets: own(tf.tensor2d(targets, [B.truth.length, numClasses])) },
        test: { inputs: await input('test', test.x), labels: test.y },
        validation: V && validationLabels ? { inputs: await input('V', V.tensors.x), labels: own(tf.tensor1d(validationLabels, 'int32')) } : undefined,
        validationLabelledBy: labelledBy,
        shuffleKey: 'strong',
        testLabels: data.test.y,
        ctx,
        grid,
      });
      own(run.testLogits);
      results[name] = run.result;
      const scores: Float32Array[] = [];
      for (const set of scoreSets) scores.push(await predictValues(model, await input(set.split, set.tensors.x), ctx.signal));
      return { result: run.result, scores };
    } finally {
      made.forEach((t) => t.dispose());
      model.dispose();
    }
  };
  const line = (series: string, x: number, y: number) => recorder.add('supervision', series, { x, y });

  try {
    const sets = V ? [B, V] : [B];
    const clean = await trainStudent('clean', mixedTargets(B.truth, B.truth, 0, config.groups, numClasses), V?.truth ?? null, 'ground truth', sets);
    rates.forEach((r) => line('clean', r, clean.result.accuracy));
    // Which examples go wrong first, and how, per set: shared by every kind and rate, so that only the errors differ.
    const corruption = new Map<StudySet, Corruption>(
      sets.map((set, i) => {
        const n = set.truth.length;
        const draw = ctx.rng.fork(`errors:${set.split}`);
        const randomWrong = Int32Array.from(set.truth, (y) => (y + 1 + draw.int(numClasses - 1)) % numClasses);
        return [set, { order: permutation(n, ctx.rng.fork(`order:${set.split}`)), randomWrong, nearMiss: nearMisses(clean.scores[i], set.truth, numClasses) }];
      }),
    );

    const easy = await trainStudent(
      'easy',
      mixedTargets(B.truth, B.truth, 1, config.groups, numClasses),
      null,
      'nothing: coarse labels cannot score a full-task prediction',
      [B],
    );
    rates.forEach((r) => line('easy', r, easy.result.accuracy));

    for (const s of settings) {
      const noisy = (set: StudySet) => corruptLabels(set.truth, s.rate, s.kind, corruption.get(set)!, numClasses);
      const hardB = noisy(B);
      const hardV = V ? noisy(V) : null;
      const labelledBy = `labels with ${s.kind} errors`;
      const alone = await trainStudent(s.name, mixedTargets(hardB, B.truth, 0, config.groups, numClasses), hardV, labelledBy);
      line(s.kind, s.rate, alone.result.accuracy);
      if (!config.combine) continue;
      const label = `${Math.round(100 * s.rate)}% ${s.kind}`;
      recorder.add('combined', 'alone', { x: 0, y: alone.result.accuracy, label });
      const combined = await trainStudent(s.combined, mixedTargets(hardB, B.truth, config.easyWeight, config.groups, numClasses), hardV, labelledBy);
      recorder.add('combined', 'combined', { x: 0, y: combined.result.accuracy, label });
    }

    return assembleResult({
      config,
      backend: ctx.backend,
      data,
      stages: Object.fromEntries(stages.map((s) => [s.name, results[s.name]])),
      lowerBestAccuracy: easy.result.accuracy,
      definition: 'no gap ratio: every student is scored on the full task against the clean-label student',
      // On the training set, as on test: the easy-task student against the clean-label one.
      transfer: { label: B.truth, supervisor: argmaxRows(clean.scores[0], numClasses), student: argmaxRows(easy.scores[0], numClasses) },
      started,
      charts: recorder.charts,
    });
  } finally {
    scope.dispose();
  }
}
