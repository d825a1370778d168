/**
 * Distilling a language model (shared/METHODS.md section 5): the shipped teacher, and one small student trained on a
 * limited passage of text from the same initial weights and batches with cross-entropy alone, forward KL, reverse
 * KL, TAID, and on the teacher's own continuations (sequence-level distillation). Everything but the runner (run.ts).
 */
import { z } from 'zod';
import { int, num, seedField, TAID_PARAMS, versionField } from '../../config/blocks';
import { charRole, CORPUS_FIELDS, samplingSchema } from '../../language/blocks';
import type { StageInfo } from '../figures';
import { defineKind } from '../kind';
import { count, fixed, type RunFacts } from '../narration';

const schema = z.object({
  version: versionField(),
  kind: z.literal('lm-distill'),
  seed: seedField(),
  data: z
    .object({
      ...CORPUS_FIELDS,
      textBudget: int(1000, 200000, 50000, "Characters of text each student learns from: one passage of the students' novel, placed by the seed."),
    })
    .prefault({}),
  student: charRole({ embedding: 8, width: 64, depth: 1 }, { learningRate: 0.003, batchSize: 100, epochs: 2, evalEvery: 100 }),
  temperature: num(0.1, 10, 1, 'Softmax temperature T of the forward- and reverse-KL students.'),
  alpha: num(0, 1, 1, 'Weight of the teacher term; the rest is cross-entropy with the text itself (1: the teacher alone).'),
  taid: z.object(TAID_PARAMS).prefault({ tStart: 0.4, alphaT: 0.005 }),
  seqKd: z
    .object({
      continuation: int(
        10,
        500,
        100,
        'Characters the teacher writes after each prefix; the prefixes come from the passage, as many as make the same text budget.',
      ),
    })
    .prefault({}),
  sampling: samplingSchema(),
});
export type LmDistillConfig = z.output<typeof schema>;

export const LM_STUDENTS = ['xent', 'forward-kl', 'reverse-kl', 'taid', 'seq-kd'] as const;

function lmDistillStages(config: LmDistillConfig): StageInfo[] {
  const budget = config.data.textBudget.toLocaleString('en');
  const T = config.temperature;
  return [
    { name: 'teacher', label: 'Teacher', role: 'the shipped model, pretrained on four other novels: measured, not trained' },
    { name: 'xent', label: 'Cross-entropy alone', role: `the student trained on its ${budget} characters with cross-entropy alone` },
    { name: 'forward-kl', label: 'Forward KL', role: `the student distilled on the same text with forward KL(teacher || student) at T = ${T}` },
    { name: 'reverse-kl', label: 'Reverse KL', role: `the student distilled on the same text with reverse KL(student || teacher) at T = ${T}` },
    { name: 'taid', label: 'TAID', role: "the student distilled towards a target that moves from its own predictions to the teacher's" },
    {
      name: 'seq-kd',
      label: 'Sequence-level KD',
      role: `the student trained with cross-entropy on ${budget} characters the teacher wrote after prefixes of the passage`,
    },
  ];
}

const bits = (facts: RunFacts, stage: string): string => fixed(facts.stages[stage]?.bitsPerCharacter);
const budget = (facts: RunFacts<LmDistillConfig>): string => facts.config.data.textBudget.toLocaleString('en');

export const lmDistill = defineKind({
  kind: 'lm-distill',
  schema,
  help: 'A small character-level language model trained on a limited passage of Austen, alone or distilled from a shipped teacher in four ways; held-out bits per character and what each writes.',
  stages: lmDistillStages,
  roles: {
    supervisor: 'teacher',
    student: 'forward-kl',
    lower: 'xent',
    upper: 'teacher',
    gapName: null,
    students: ['xent', 'forward-kl', 'reverse-kl', 'taid', 'seq-kd'],
  },
  // Character models are bounded by their schema far below the memory limits (a batch of 1,024 at width 512 needs
  // about 30 MB), and the benchmark times them in its own section (bench/node.bench.ts, "language").
  models: () => [],
  rowsNeeded: (config) => ({ needed: config.data.textBudget, parts: 'textBudget' }),
  gallery: 'Language models',
  view: { metric: 'bitsPerCharacter', detail: 'language' },
  form: {
    cards: [
      {
        type: 'role',
        role: 'student',
        title: 'Student',
        blurb: 'One small model, the same initial weights and batches for every way of training it. The teacher ships with the page.',
      },
      {
        type: 'fields',
        id: 'kd-settings',
        title: 'Distillation',
        fields: [{ path: ['temperature'] }, { path: ['alpha'] }, { path: ['seqKd', 'continuation'] }],
      },
      { type: 'settings', path: ['taid'], title: 'TAID', blurb: 'The target moves from the student towards the teacher as training goes.' },
      { type: 'fields', id: 'writing', title: 'Writing', fields: [{ path: ['sampling', 'length'] }, { path: ['sampling', 'temperature'] }] },
    ],
  },
  presets: [
    {
      id: 'lm-distill',
      title: 'Distilling a language model (Austen)',
      lesson:
        "A 22,000-parameter character model that reads only 50,000 characters of Austen predicts held-out text better when it learns from a teacher's probabilities than from the text alone; what it writes stays babble at this size.",
      narrative: [
        {
          stage: 'teacher',
          text: (f): string =>
            `The teacher, a ${f.stages.teacher ? count(f.stages.teacher.parameters) : '…'}-parameter character model shipped with the page, read four of Austen's novels. On Persuasion, which no model reads, it needs ${bits(f, 'teacher')} bits per character.`,
        },
        {
          stage: 'xent',
          text: (f): string =>
            `The student is ten times smaller and reads one passage of ${budget(f)} characters of Northanger Abbey. With cross-entropy alone, learning from the text itself, it ends at ${bits(f, 'xent')} bits per character.`,
        },
        {
          stage: 'forward-kl',
          text: (f): string =>
            `Forward KL: the same student, same start, same batches, learns the teacher's whole distribution over the next character at every position: ${bits(f, 'forward-kl')} bits per character.`,
        },
        { stage: 'reverse-kl', text: (f): string => `Reverse KL seeks the teacher's main guesses instead of covering them all: ${bits(f, 'reverse-kl')}.` },
        { stage: 'taid', text: (f): string => `TAID moves its target from the student's own predictions to the teacher's as it trains: ${bits(f, 'taid')}.` },
        {
          stage: 'seq-kd',
          text: (f): string =>
            `Sequence-level distillation: the teacher writes continuations of the passage and the student learns them with cross-entropy, never seeing a probability: ${bits(f, 'seq-kd')}.`,
        },
        'Read the writing side by side: each model continues the same prompt from the same random draws. Dark characters are those the model itself found surprising. Type your own prompt and run again.',
      ],
      config: { kind: 'lm-distill', seed: 1 },
    },
  ],
});
