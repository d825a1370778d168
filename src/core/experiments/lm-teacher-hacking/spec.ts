/**
 * Teacher hacking with language models (Tiapkin et al. 2025, whose setting this is; shared/METHODS.md section 3):
 * the shipped model is the oracle, a small proxy teacher is distilled from it on limited text, and a student is
 * distilled from the proxy on a fixed set of contexts for many epochs or on fresh contexts every epoch. Everything
 * but the runner (run.ts).
 */
import { z } from 'zod';
import { int, seedField, versionField } from '../../config/blocks';
import { charRole, CORPUS_FIELDS, samplingSchema } from '../../language/blocks';
import type { StageInfo } from '../figures';
import { defineKind } from '../kind';
import { fixed, type RunFacts } from '../narration';

const schema = z.object({
  version: versionField(),
  kind: z.literal('lm-teacher-hacking'),
  seed: seedField(),
  data: z
    .object({
      ...CORPUS_FIELDS,
      teacherText: int(500, 100000, 20000, "Characters of the students' novel on which the proxy teacher learns the oracle's probabilities."),
      transferSize: int(
        100,
        20000,
        1000,
        'Contexts in the fixed set; the fresh student gets this many new contexts every epoch (transferSize x student epochs in all).',
      ),
    })
    .prefault({}),
  teacher: charRole({ embedding: 16, width: 128, depth: 1 }, { learningRate: 0.003, batchSize: 100, epochs: 10, evalEvery: 200 }),
  student: charRole({ embedding: 8, width: 64, depth: 1 }, { learningRate: 0.003, batchSize: 100, epochs: 100, evalEvery: 50 }),
  sampling: samplingSchema(),
});
export type LmTeacherHackingConfig = z.output<typeof schema>;

function stages(config: LmTeacherHackingConfig): StageInfo[] {
  const { teacherText, transferSize } = config.data;
  const epochs = config.student.train.epochs;
  return [
    { name: 'oracle', label: 'Oracle', role: 'the shipped model, standing in for the truth: its probabilities are what every other model should learn' },
    { name: 'teacher', label: 'Proxy teacher', role: `distilled from the oracle on ${teacherText.toLocaleString('en')} characters: an imperfect copy of it` },
    {
      name: 'fixed',
      label: 'Student, fixed set',
      role: `distilled from the proxy teacher on one fixed set of ${transferSize.toLocaleString('en')} contexts, ${epochs} epochs`,
    },
    {
      name: 'fresh',
      label: 'Student, fresh contexts',
      role: `distilled from the proxy teacher on ${transferSize.toLocaleString('en')} new contexts every epoch (${(transferSize * epochs).toLocaleString('en')} in all, the same number of steps)`,
    },
  ];
}

const bits = (facts: RunFacts, stage: string): string => fixed(facts.stages[stage]?.bitsPerCharacter);

export const lmTeacherHacking = defineKind({
  kind: 'lm-teacher-hacking',
  schema,
  help: 'An oracle language model, a proxy teacher distilled from it on little text, and a student distilled from the proxy on a fixed set of contexts or on fresh ones: proxy and golden distances over training.',
  stages,
  roles: { supervisor: 'teacher', student: 'fixed', lower: 'teacher', upper: 'teacher', gapName: null, students: ['fixed', 'fresh'] },
  // See lm-distill/spec.ts: character models stay far below the memory limits.
  models: () => [],
  rowsNeeded: (config) => ({
    needed: config.data.teacherText + config.data.transferSize * config.student.train.epochs,
    parts: 'teacherText + transferSize x student epochs (the fresh contexts)',
  }),
  gallery: 'Language models',
  view: { metric: 'bitsPerCharacter', detail: 'language' },
  form: {
    cards: [
      { type: 'role', role: 'teacher', title: 'Proxy teacher', blurb: "Learns the oracle's probabilities on a few characters of text." },
      {
        type: 'role',
        role: 'student',
        title: 'Student',
        blurb: 'Distilled from the proxy teacher on a fixed set of contexts, and on fresh contexts every epoch.',
      },
      { type: 'fields', id: 'writing', title: 'Writing', fields: [{ path: ['sampling', 'length'] }, { path: ['sampling', 'temperature'] }] },
    ],
  },
  presets: [
    {
      id: 'lm-teacher-hacking',
      title: 'Teacher hacking (language models)',
      lesson:
        'Distilled again and again on one small fixed set of contexts, a student keeps getting closer to its imperfect proxy teacher while it stops getting closer to the oracle behind it; fresh contexts keep both distances falling.',
      narrative: [
        {
          stage: 'oracle',
          text: (f): string =>
            `The oracle is the shipped teacher: its next-character probabilities are the truth here (${bits(f, 'oracle')} bits per character on held-out text).`,
        },
        {
          stage: 'teacher',
          text: (f): string =>
            `A smaller proxy teacher learns the oracle's probabilities on a few thousand characters: an imperfect copy (${bits(f, 'teacher')} bits per character).`,
        },
        {
          stage: 'fixed',
          text: (): string =>
            "The student learns the proxy's probabilities on one fixed set of contexts, epoch after epoch. Dashed: its distance to the proxy; solid: its distance to the oracle, both on held-out text.",
        },
        { stage: 'fresh', text: (): string => 'The same student, same steps, on new contexts every epoch.' },
        "Watching only the proxy distance, both look fine. The golden distance tells them apart: on the fixed set the student learns the proxy's quirks on those contexts, not the truth.",
      ],
      config: { kind: 'lm-teacher-hacking', seed: 1 },
    },
  ],
});
