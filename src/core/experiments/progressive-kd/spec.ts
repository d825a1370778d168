/**
 * Progressive distillation (shared/METHODS.md sections 3 and 5; the chain of "Mamba base PKD for efficient knowledge
 * compression", as teacher-assistant distillation before it): a large teacher distilled into a chain of
 * shrinking students, each from the one before, against each student distilled straight from the teacher and
 * each trained alone on its labels. Accuracy against the cost of a forward pass. Everything about the kind but
 * its tfjs runner (run.ts).
 */
import { z } from 'zod';
import { distillationData, KD_PARAMS, RoleSchema, seedField, versionField, type ModelSpec } from '../../config/blocks';
import type { ChartPoint } from '../charts';
import type { StageInfo } from '../figures';
import { checkLabelledSize, distillationRows } from '../distillation/spec';
import { defineKind, roleModel } from '../kind';
import { compare, pct, points, type RunFacts } from '../narration';

const MAX_LINKS = 5;

const schema = z.object({
  version: versionField(),
  kind: z.literal('progressive-kd'),
  seed: seedField(),
  data: distillationData(),
  teacher: RoleSchema.prefault({ model: { type: 'mlp', width: 256 } }),
  chain: z
    .array(RoleSchema)
    .min(1)
    .max(MAX_LINKS)
    .prefault([{ model: { type: 'mlp', width: 32 } }])
    .describe(
      'The students, largest first (1 to 5): each is trained alone on its labelled images, distilled straight from the teacher, and distilled from the student before it in the chain.',
    ),
  ...KD_PARAMS,
});
export type ProgressiveKdConfig = z.output<typeof schema>;

/** A short name for a student's model ("32 units"). */
export function linkModelName(model: ModelSpec): string {
  switch (model.type) {
    case 'mlp':
      return model.depth > 1 ? `${model.depth} x ${model.width} units` : `${model.width} units`;
    case 'linear':
      return 'linear';
    case 'cnn':
      return `CNN, ${model.filters} filters`;
    case 'pretrained':
      return `pretrained, ${model.head} head`;
  }
}

export const aloneStage = (link: number) => `alone-${link}`;
export const directStage = (link: number) => `direct-${link}`;
/** The chain's student at a link (1-based); its first link is distilled from the teacher, so it is the direct student. */
export const chainStage = (link: number) => (link === 1 ? directStage(1) : `chain-${link}`);

function progressiveStages(config: ProgressiveKdConfig): StageInfo[] {
  return [
    { name: 'teacher', label: 'Teacher', role: 'trained with ground truth on every training image; the chain starts from it' },
    ...config.chain.flatMap((link, i): StageInfo[] => {
      const n = i + 1;
      const name = linkModelName(link.model);
      return [
        { name: aloneStage(n), label: `${name}, alone`, role: `student ${n} trained on its labelled images alone` },
        { name: directStage(n), label: `${name}, from the teacher`, role: `student ${n} distilled straight from the teacher over every training image` },
        ...(n > 1
          ? [
              {
                name: chainStage(n),
                label: `${name}, chain`,
                role: `student ${n} distilled from student ${n - 1} of the chain (${linkModelName(config.chain[i - 1].model)}) over every training image`,
              },
            ]
          : []),
      ];
    }),
  ];
}

/** A series' accuracy at a link (1-based), from the run's bar chart. */
function accuracyAt(facts: RunFacts, series: 'alone' | 'direct' | 'chain', link: number): number | undefined {
  const config = facts.config as unknown as ProgressiveKdConfig;
  const label = config.chain[link - 1] ? linkModelName(config.chain[link - 1].model) : undefined;
  return facts.result?.charts.find((c) => c.info.id === 'links')?.points[series]?.find((p: ChartPoint) => p.label === label)?.y;
}

export const progressiveKd = defineKind({
  kind: 'progressive-kd',
  schema,
  help: 'A large teacher distilled into ever smaller students: each straight from the teacher, or down a chain, each from the one before. How does accuracy fall with the cost of a forward pass, and does the chain help?',
  stages: progressiveStages,
  roles: { supervisor: 'teacher', student: 'direct-1', lower: 'alone-1', upper: 'teacher', gapName: 'gap closed' },
  models: (config, data) => [roleModel(config, 'teacher', data), ...config.chain.map((_, i) => roleModel(config, ['chain', String(i)], data))],
  rowsNeeded: distillationRows,
  check: (config, _data, issue) => checkLabelledSize(config, issue),
  gallery: 'Knowledge distillation',
  form: {
    cards: [
      { type: 'role', role: 'teacher', title: 'Teacher', blurb: 'Trained with ground truth on every training image.' },
      {
        type: 'chain',
        path: 'chain',
        max: MAX_LINKS,
        blurbs: {
          first: 'The largest student: alone on its labels, and distilled from the teacher.',
          next: (link) => `Alone on its labels, distilled from the teacher, and distilled from student ${link - 1}.`,
        },
      },
      { type: 'fields', id: 'kd-settings', title: 'Distillation', fields: [{ path: ['temperature'] }, { path: ['alpha'] }] },
    ],
  },
  presets: [
    {
      id: 'progressive-kd',
      title: 'Progressive distillation: a chain of shrinking students',
      lesson:
        'Distilled from a teacher, a student with a quarter of the forward cost loses about 1.5 points and one with a sixteenth about 14, where trained alone they lose 6 and 34; handing the knowledge down a chain of shrinking students does no better than distilling each straight from the teacher.',
      narrative: [
        {
          stage: 'teacher',
          text: (f): string =>
            `The teacher (${f.stages.teacher?.model ?? 'a large network'}) learns every training digit with its label: ${pct(f.stages.teacher?.accuracy)} on test.`,
        },
        {
          stage: 'alone-1',
          text: (f): string => {
            const config = f.config as unknown as ProgressiveKdConfig;
            return `Students of ${config.chain.map((l) => linkModelName(l.model)).join(', ')}: each is trained three ways. Alone, on the ${config.data.labelledSize.toLocaleString('en')} images it has labels for; distilled straight from the teacher over all ${config.data.trainSize.toLocaleString('en')}; and down the chain, distilled from the student before it.`;
          },
        },
        {
          text: (f): string => {
            const config = f.config as unknown as ProgressiveKdConfig;
            const last = config.chain.length;
            const first = accuracyAt(f, 'direct', 1);
            const end = accuracyAt(f, 'direct', last);
            if (first === undefined || end === undefined) return 'The plot puts each student at the cost of its forward pass, on a log axis.';
            return `Accuracy against the cost of a forward pass (log axis): distilled from the teacher, the students fall from ${pct(first)} (${linkModelName(config.chain[0].model)}) to ${pct(end)} (${linkModelName(config.chain[last - 1].model)}).`;
          },
        },
        {
          text: (f): string => {
            const config = f.config as unknown as ProgressiveKdConfig;
            const last = config.chain.length;
            if (last < 2) return 'With one student there is no chain to compare.';
            const chain = accuracyAt(f, 'chain', last);
            const direct = accuracyAt(f, 'direct', last);
            if (chain === undefined || direct === undefined)
              return 'At the end of the chain: is the smallest student better taught by the student before it, or by the teacher itself?';
            return `At the end of the chain the smallest student taught by the student before it reaches ${pct(chain)}, ${compare(chain, direct, { above: `${points(chain, direct)} above`, below: `${points(chain, direct)} below`, level: 'level with' })} the same student taught by the teacher itself (${pct(direct)}).`;
          },
        },
        {
          text: (f): string => {
            const config = f.config as unknown as ProgressiveKdConfig;
            const gains = config.chain.map((_, i) => {
              const alone = accuracyAt(f, 'alone', i + 1);
              const direct = accuracyAt(f, 'direct', i + 1);
              return alone === undefined || direct === undefined ? '…' : `${direct >= alone ? '+' : '-'}${points(direct, alone)}`;
            });
            return `Against training alone, distillation from the teacher gives ${gains.join(', ')} (largest student first): the teacher's soft labels reach the images the students have no labels for.`;
          },
        },
      ],
      config: {
        kind: 'progressive-kd',
        seed: 1,
        data: { dataset: 'mnist', trainSize: 3000, labelledSize: 750, validationSize: 0, testSize: 2000 },
        teacher: {
          model: { type: 'mlp', width: 256, depth: 1, activation: 'relu', dropout: 0 },
          train: { optimizer: 'adam', learningRate: 0.003, batchSize: 64, epochs: 3, evalEvery: 50 },
        },
        chain: [128, 32, 8, 2].map((width) => ({
          model: { type: 'mlp' as const, width, depth: 1, activation: 'relu' as const, dropout: 0 },
          train: { optimizer: 'adam' as const, learningRate: 0.003, batchSize: 64, epochs: 3, evalEvery: 50 },
        })),
        temperature: 4,
        alpha: 0.9,
      },
    },
  ],
});
