/**
 * Choosing a student's text with a teacher (MiniPLM's difference sampling, Gu et al. 2025; shared/METHODS.md section
 * 5): candidate windows of text are scored by log p_teacher(x) - log p_reference(x), with a small reference model,
 * and a student trained with plain cross-entropy on the best-scored windows is compared with the same student on as
 * much randomly chosen text. Everything but the runner (run.ts).
 */
import { z } from 'zod';
import { int, num, seedField, versionField } from '../../config/blocks';
import { charRole, CORPUS_FIELDS, samplingSchema } from '../../language/blocks';
import type { StageInfo } from '../figures';
import { defineKind } from '../kind';
import { fixed, type RunFacts } from '../narration';

const schema = z.object({
  version: versionField(),
  kind: z.literal('lm-data-selection'),
  seed: seedField(),
  data: z
    .object({
      ...CORPUS_FIELDS,
      referenceText: int(1000, 100000, 20000, "Characters of the students' novel, in random windows, on which the small reference model learns."),
      candidates: int(1000, 300000, 200000, 'Characters of candidate text, in windows, that the teacher and the reference score.'),
      window: int(16, 2000, 100, 'Characters per window: the unit of text that is kept or left out.'),
      keep: num(0.01, 1, 0.25, 'Share of the candidate windows the student learns from: the best-scored ones, or (the baseline) as many chosen at random.'),
    })
    .prefault({}),
  reference: charRole({ embedding: 8, width: 32, depth: 1 }, { learningRate: 0.003, batchSize: 100, epochs: 5, evalEvery: 200 }),
  student: charRole({ embedding: 8, width: 64, depth: 1 }, { learningRate: 0.003, batchSize: 100, epochs: 2, evalEvery: 100 }),
  sampling: samplingSchema(),
});
export type LmDataSelectionConfig = z.output<typeof schema>;

/** Windows of the reference text, of the candidates, and of those kept. */
export function windowCounts(config: LmDataSelectionConfig): { reference: number; candidates: number; kept: number } {
  const { referenceText, candidates, window, keep } = config.data;
  const candidateWindows = Math.max(1, Math.floor(candidates / window));
  return { reference: Math.max(1, Math.ceil(referenceText / window)), candidates: candidateWindows, kept: Math.max(1, Math.round(keep * candidateWindows)) };
}

function stages(config: LmDataSelectionConfig): StageInfo[] {
  const { kept, candidates } = windowCounts(config);
  const chars = (kept * config.data.window).toLocaleString('en');
  return [
    { name: 'teacher', label: 'Teacher', role: 'the shipped model: it scores the candidate text, and is measured, not trained' },
    {
      name: 'reference',
      label: 'Reference model',
      role: `a small model trained on ${config.data.referenceText.toLocaleString('en')} characters: what is easy to learn`,
    },
    {
      name: 'random',
      label: 'Student, random text',
      role: `trained with cross-entropy on ${kept} of ${candidates} candidate windows chosen at random (${chars} characters)`,
    },
    {
      name: 'selected',
      label: 'Student, selected text',
      role: `trained with cross-entropy on the ${kept} windows with the highest log p_teacher - log p_reference (${chars} characters)`,
    },
  ];
}

const bits = (facts: RunFacts, stage: string): string => fixed(facts.stages[stage]?.bitsPerCharacter);

export const lmDataSelection = defineKind({
  kind: 'lm-data-selection',
  schema,
  help: "A student trained on text the teacher finds likely and a small reference model finds unlikely (MiniPLM's difference sampling), against the same student on as much random text.",
  stages,
  roles: { supervisor: 'teacher', student: 'selected', lower: 'random', upper: 'teacher', gapName: null, students: ['random', 'selected'] },
  // See lm-distill/spec.ts: character models stay far below the memory limits.
  models: () => [],
  rowsNeeded: (config) => {
    const { reference, candidates } = windowCounts(config);
    return { needed: (reference + candidates) * config.data.window, parts: 'referenceText + candidates (in whole windows)' };
  },
  gallery: 'Language models',
  view: { metric: 'bitsPerCharacter', detail: 'language' },
  form: {
    cards: [
      {
        type: 'role',
        role: 'reference',
        title: 'Reference model',
        blurb: "Small, trained on a little random text: its log-probabilities are subtracted from the teacher's.",
      },
      { type: 'role', role: 'student', title: 'Student', blurb: 'The same model, the same start and the same amount of text: selected or random.' },
      { type: 'fields', id: 'writing', title: 'Writing', fields: [{ path: ['sampling', 'length'] }, { path: ['sampling', 'temperature'] }] },
    ],
  },
  presets: [
    {
      id: 'lm-data-selection',
      title: 'Choosing text with a teacher (MiniPLM)',
      lesson:
        'Text chosen where the teacher is confident and a small reference model is not is text worth learning: the teacher reaches the student through the choice of data alone, with plain cross-entropy.',
      narrative: [
        {
          stage: 'teacher',
          text: (f): string => `The teacher (${bits(f, 'teacher')} bits per character on held-out text) reads every candidate window of the students' novel.`,
        },
        {
          stage: 'reference',
          text: (f): string => `A small reference model learns from a little random text (${bits(f, 'reference')} bits per character): what is easy to learn.`,
        },
        {
          stage: 'random',
          text: (f): string =>
            `Baseline: the student on a random quarter of the candidate windows, with cross-entropy: ${bits(f, 'random')} bits per character.`,
        },
        {
          stage: 'selected',
          text: (f): string =>
            `The same student on the windows where log p_teacher - log p_reference is highest: ${bits(f, 'selected')} bits per character. The scores plot shows where the cut falls.`,
        },
      ],
      config: { kind: 'lm-data-selection', seed: 1 },
    },
  ],
});
