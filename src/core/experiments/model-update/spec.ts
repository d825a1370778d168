/**
 * Compatible model updates (MUSCLE, Echterhoff et al. 2024; shared/METHODS.md section 5): an old model in service,
 * a larger new model trained alone, and the same new model trained with a distillation term from the old one on
 * the examples the old one gets right. The measure is the negative flip rate: examples the old model got right
 * and the new one gets wrong. Everything about the kind but its tfjs runner (run.ts).
 */
import { z } from 'zod';
import { DATA_FIELDS, int, num, RoleSchema, seedField, versionField } from '../../config/blocks';
import { mistakeBreakdown } from '../../metrics';
import type { ResultFigures, StageInfo } from '../figures';
import { defineKind, roleModel } from '../kind';
import { compare, pct, points, type RunFacts } from '../narration';

const schema = z.object({
  version: versionField(),
  kind: z.literal('model-update'),
  seed: seedField(),
  data: z
    .object({
      ...DATA_FIELDS,
      validationSize: int(0, 5000, 0, 'Held-out examples with ground truth on which each model picks its best checkpoint (0: the final one).'),
      oldSize: int(2, 20000, 1000, 'Examples with ground truth the old model was trained on.'),
      newSize: int(2, 20000, 5000, "Examples with ground truth the new model trains on (other examples than the old model's)."),
    })
    .prefault({}),
  old: RoleSchema.prefault({ model: { type: 'mlp', width: 16 } }).describe('The model in service: smaller, trained on less data.'),
  new: RoleSchema.prefault({ model: { type: 'mlp', width: 128 } }).describe(
    'The update: trained alone, then again (same start, same batches) as a compatible update.',
  ),
  lambda: num(
    0,
    100,
    1,
    "Weight of the distillation term KL(p_old || p_new), applied only on the new model's training examples that the old model gets right.",
  ),
});
export type ModelUpdateConfig = z.output<typeof schema>;

export const NEGATIVE_FLIP_DEFINITION = 'negative flip rate: the share of test examples the old model gets right and the new one gets wrong';

/** Negative and positive flip rates of a new model's test predictions against the old model's. */
export function flipRates(labels: ArrayLike<number>, old: ArrayLike<number>, updated: ArrayLike<number>): { negative: number; positive: number } {
  const m = mistakeBreakdown(labels, old, updated);
  return { negative: m.regresses / m.total, positive: m.beats / m.total };
}

/** Flip rates of a finished stage against the old model, once the run's result (with the test labels) is in. */
function flips(result: ResultFigures | null, stage: string): { negative: number; positive: number } | null {
  if (!result?.stages[stage] || !result.stages.old) return null;
  return flipRates(result.predictions.test.label, result.stages.old.testPredictions, result.stages[stage].testPredictions);
}

const accuracyOf = (facts: RunFacts, stage: string): number | undefined => facts.stages[stage]?.accuracy;
/** The config a caption of this kind's preset is shown with. */
const configOf = (facts: RunFacts): ModelUpdateConfig => facts.config as unknown as ModelUpdateConfig;
const sizeOf = (facts: RunFacts, key: 'oldSize' | 'newSize'): string => configOf(facts).data[key].toLocaleString('en');

function modelUpdateStages(config: ModelUpdateConfig): StageInfo[] {
  const { oldSize, newSize } = config.data;
  return [
    { name: 'old', label: 'Old model', role: `trained with ground truth on ${oldSize} examples: the model in service` },
    { name: 'new', label: 'New model alone', role: `the update, trained with ground truth on ${newSize} other examples (cross-entropy alone)` },
    {
      name: 'compatible',
      label: 'Compatible update',
      role: `the same new model (same start, same batches) with ${config.lambda} x KL(old || new) added on the examples the old model gets right`,
    },
  ];
}

export const modelUpdate = defineKind({
  kind: 'model-update',
  schema,
  help: 'A better new model can still break what the old one got right (negative flips). A compatible update adds a distillation term from the old model on the examples it gets right.',
  stages: modelUpdateStages,
  roles: { supervisor: 'old', student: 'compatible', lower: 'old', upper: 'new', gapName: null, students: ['compatible', 'new'] },
  models: (config, data) => [roleModel(config, 'old', data), roleModel(config, 'new', data)],
  rowsNeeded: (config) => ({
    needed: config.data.oldSize + config.data.newSize + config.data.validationSize,
    parts: 'oldSize + newSize + validationSize',
  }),
  gallery: 'Updating and teaching models',
  form: {
    cards: [
      { type: 'role', role: 'old', title: 'Old model', blurb: 'The model in service, trained on the old data.' },
      { type: 'role', role: 'new', title: 'New model', blurb: 'Trained on new data alone, then again with the distillation term from the old model.' },
      { type: 'fields', id: 'compatible-update', title: 'Compatible update', fields: [{ path: ['lambda'] }] },
    ],
  },
  presets: [
    {
      id: 'model-update',
      title: 'Compatible model updates (MUSCLE)',
      lesson:
        'A bigger, better new model still gets wrong some digits the old one got right; a distillation term from the old model, only where the old model is right, cuts those negative flips by about 30% for about half a point of accuracy.',
      narrative: [
        {
          stage: 'old',
          text: (f): string =>
            `The old model (${f.stages.old?.model ?? 'a small network'}), trained on ${sizeOf(f, 'oldSize')} digits, is in service: ${pct(accuracyOf(f, 'old'))} on test.`,
        },
        {
          stage: 'new',
          text: (f): string => {
            const rates = flips(f.result, 'new');
            return `The update (${f.stages.new?.model ?? 'a bigger network'}), trained on ${sizeOf(f, 'newSize')} other digits, reaches ${pct(accuracyOf(f, 'new'))}. Yet ${pct(rates?.negative)} of the test digits are ones the old model got right and it gets wrong: negative flips, which users meet as regressions.`;
          },
        },
        {
          stage: 'compatible',
          text: (f): string =>
            `The compatible update trains the same new network from the same start on the same batches, adding ${configOf(f).lambda} x KL(p_old || p_new) on the training digits the old model gets right: there it is asked to keep agreeing with the old model.`,
        },
        {
          text: (f): string => {
            const alone = flips(f.result, 'new');
            const compatible = flips(f.result, 'compatible');
            const accAlone = accuracyOf(f, 'new');
            const accCompatible = accuracyOf(f, 'compatible');
            if (!alone || !compatible || accAlone === undefined || accCompatible === undefined)
              return 'When both new models are trained, the bars compare their negative and positive flips.';
            const flipWords = compare(compatible.negative, alone.negative, { above: 'rise', below: 'fall', level: 'stay level' }, 0.0005);
            const accWords = compare(accCompatible, accAlone, { above: 'higher', below: 'lower', level: 'level' }, 0.0005);
            return `Negative flips ${flipWords}: ${pct(alone.negative)} alone, ${pct(compatible.negative)} with the compatible update, at ${pct(accCompatible)} accuracy against ${pct(accAlone)} (${accWords === 'level' ? 'the same' : `${points(accCompatible, accAlone)} ${accWords}`}).`;
          },
        },
        "The matrix (its student menu offers either new model) counts these flips as 'regresses': the old model right, the new one wrong.",
      ],
      config: {
        kind: 'model-update',
        seed: 1,
        data: { dataset: 'mnist', oldSize: 1000, newSize: 5000, validationSize: 0, testSize: 2000 },
        old: {
          model: { type: 'mlp', width: 16, depth: 1, activation: 'relu', dropout: 0 },
          train: { optimizer: 'adam', learningRate: 0.003, batchSize: 64, epochs: 8, evalEvery: 25 },
        },
        new: {
          model: { type: 'mlp', width: 128, depth: 1, activation: 'relu', dropout: 0 },
          train: { optimizer: 'adam', learningRate: 0.002, batchSize: 64, epochs: 4, evalEvery: 25 },
        },
        lambda: 1,
      },
    },
  ],
});
