/**
 * Distilling a language model (shared/METHODS.md section 5). The shipped teacher is measured on the held-out novel;
 * one student (same initial weights, same batch order) learns a passage of the students' novel with cross-entropy
 * alone, forward KL, reverse KL and TAID against the teacher's probabilities at every position, and then learns the
 * same number of characters that the teacher wrote after prefixes of the passage (sequence-level KD, Kim and Rush
 * 2016). Every model writes from the visitor's prompt at each measurement.
 */
import type { LossSpec } from '../../config/blocks';
import { writeContinuations } from '../../language/generate';
import { openLanguageLab, type LanguageLab, type TextTensors } from '../../language/lab';
import { positionsOf, samplePassage } from '../../language/text-data';
import { tf } from '../../tf';
import { ChartRecorder } from '../charts';
import type { RunContext } from '../context';
import type { ExperimentResult } from '../contract';
import type { StageInfo, StageResult } from '../figures';
import type { StageRun } from '../stage';
import { lmDistill, LM_STUDENTS, type LmDistillConfig } from './spec';

type Student = (typeof LM_STUDENTS)[number];

function lossOf(config: LmDistillConfig, student: Exclude<Student, 'seq-kd'>): LossSpec {
  const { temperature, alpha } = config;
  switch (student) {
    case 'xent':
      return { type: 'xent' };
    case 'forward-kl':
      return { type: 'kd', temperature, alpha };
    case 'reverse-kl':
      return { type: 'reverse-kl', temperature, alpha };
    case 'taid':
      return { type: 'taid', ...config.taid, alpha };
  }
}

/** The teacher's own text: continuations of prefixes taken from the passage, as many characters as the passage has. */
async function teacherText(lab: LanguageLab, passage: TextTensors, config: LmDistillConfig): Promise<TextTensors> {
  const { context, vocab, ctx } = lab;
  const length = config.seqKd.continuation;
  const budget = passage.count;
  const rows = Math.ceil(budget / length);
  const rng = ctx.rng.fork('seq-kd');
  const picks = Int32Array.from({ length: rows }, () => rng.int(budget));
  const prefixes = tf.tidy(() => tf.gather(passage.x, tf.tensor1d(picks, 'int32')));
  const prefixValues = (await prefixes.data().finally(() => prefixes.dispose())) as Float32Array;
  const written = await writeContinuations(lab.teacherModel, prefixValues, { length, vocab, context, rng: rng.fork('writing'), signal: ctx.signal });
  // Each row is a prefix and its continuation; every written character is an example, in order, up to the budget.
  const width = context + length;
  const x = new Float32Array(budget * context);
  const y = new Int32Array(budget);
  for (let i = 0; i < budget; i++) {
    const row = Math.floor(i / length);
    const at = row * width + context + (i % length);
    for (let j = 0; j < context; j++) x[i * context + j] = written[at - context + j];
    y[i] = written[at];
  }
  return lab.tensors({ x, y, count: budget });
}

export async function runLmDistill(ctx: RunContext<LmDistillConfig>): Promise<ExperimentResult> {
  const { config } = ctx;
  const started = performance.now();
  const stages = lmDistill.stages(config);
  const info = (name: string) => stages.find((s) => s.name === name) as StageInfo;
  const lab = await openLanguageLab(config, ctx, stages);
  const charts = new ChartRecorder(ctx.onEvent);
  charts.declare({
    id: 'bits-per-model',
    title: 'Held-out bits per character of each model (lower is better)',
    kind: 'bar',
    xLabel: 'model',
    yLabel: 'bits per character',
    series: [{ key: 'bits', label: 'bits per character on the held-out novel' }],
    note: 'Every student read the same passage; the teacher read four other novels. The held-out novel is new to all of them.',
  });
  const addBar = (stage: StageResult, x: number) => charts.add('bits-per-model', 'bits', { x, y: stage.bitsPerCharacter ?? NaN, label: stage.label });
  try {
    const results: Record<string, StageResult> = {};
    results.teacher = await lab.measureOnly(info('teacher'), lab.teacherModel);
    addBar(results.teacher, 0);

    const passage = lab.tensors(
      lab.examples(positionsOf(samplePassage(lab.corpus.part('student'), config.data.textBudget, lab.context, ctx.rng.fork('passage')))),
    );
    const withTeacher = await lab.trainingSet(passage, lab.teacherModel);
    const runs: Partial<Record<Student, StageRun>> = {};
    for (const [i, student] of LM_STUDENTS.entries()) {
      const data = student === 'seq-kd' ? await lab.trainingSet(await teacherText(lab, passage, config)) : withTeacher;
      runs[student] = await lab.train({
        info: info(student),
        // Same label, same initial weights; same shuffle key, same batch order.
        model: lab.model(config.student.model, 'init:student'),
        train: config.student.train,
        loss: student === 'seq-kd' ? { type: 'xent' } : lossOf(config, student),
        data,
        shuffleKey: 'student',
      });
      results[student] = runs[student]!.result;
      addBar(results[student], i + 1);
    }
    const headline = runs['forward-kl']!;
    return lab.result({
      stages: results,
      lower: 'xent',
      transfer: await lab.transfer(passage, lab.teacherModel, headline.model),
      charts: charts.charts,
      started,
      definition: 'no gap ratio: compare the held-out bits per character of the students (lower is better)',
    });
  } finally {
    lab.scope.dispose();
  }
}
