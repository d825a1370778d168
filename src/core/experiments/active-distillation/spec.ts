/**
 * Active distillation (Baykal et al. 2022, "Robust Active Distillation"; Kang et al. 2025, PCoreSet; shared/METHODS.md
 * section 5): a teacher's soft labels are paid for point by point. A student queries a budget of pool points
 * (a random seed first, then the rest chosen by a strategy from the seed student's predictions) and learns the
 * teacher's probabilities on them alone. Everything about the kind but its tfjs runner (run.ts).
 */
import { z } from 'zod';
import { DATA_FIELDS, int, ModelSpecSchema, RoleSchema, seedField, TrainSpecSchema, versionField } from '../../config/blocks';
import type { ChartPoint } from '../charts';
import type { StageInfo } from '../figures';
import { defineKind, roleModel } from '../kind';
import { compare, pct, type RunFacts } from '../narration';

const schema = z.object({
  version: versionField(),
  kind: z.literal('active-distillation'),
  seed: seedField(),
  data: z
    .object({
      ...DATA_FIELDS,
      validationSize: int(0, 5000, 0, "Held-out examples for checkpoint choice (ground truth for the teacher, the teacher's labels for the students)."),
      teacherSize: int(2, 20000, 2000, 'Examples with ground truth the teacher trains on.'),
      poolSize: int(2, 20000, 5000, 'Unlabelled examples the students may ask the teacher about.'),
    })
    .prefault({}),
  teacher: RoleSchema.prefault({ model: { type: 'mlp', width: 128 } }),
  student: z
    .object({
      model: ModelSpecSchema.prefault({ type: 'mlp', width: 32 }),
      train: TrainSpecSchema.omit({ epochs: true })
        .extend({ steps: int(1, 20000, 150, 'Training steps of every student, whatever its budget (its epochs follow from them).') })
        .prefault({}),
    })
    .prefault({})
    .describe("Every student: the same model from the same start, trained on the teacher's probabilities for its queried points."),
  seedSize: int(1, 20000, 50, 'Queries spent first, at random: the student trained on them guides the informed strategies.'),
  budgets: z
    .array(int(1, 20000, 100, 'A budget: how many pool points the teacher labels for one student (the random seed included).'))
    .min(1)
    .max(5)
    .default([100, 400, 1600])
    .describe('Query budgets, the seed included. A budget above the pool queries the whole pool; the seed never exceeds the smallest budget.'),
});
export type ActiveDistillationConfig = z.output<typeof schema>;

/** The strategies, in the order they train at each budget. */
export const STRATEGIES = [
  { key: 'random', label: 'random' },
  { key: 'uncertainty', label: 'student uncertainty' },
  { key: 'confident-uncertain', label: 'teacher confident, student uncertain' },
  { key: 'k-center', label: 'k-center (probability space)' },
] as const;
export type StrategyKey = (typeof STRATEGIES)[number]['key'];

/** The budgets a config runs: capped at the pool, ascending, each once; and the seed, capped at the smallest. */
export function queryPlan(config: ActiveDistillationConfig): { budgets: number[]; seed: number } {
  const budgets = [...new Set(config.budgets.map((b) => Math.min(b, config.data.poolSize)))].sort((a, b) => a - b);
  return { budgets, seed: Math.min(config.seedSize, budgets[0]) };
}

export const studentStageName = (strategy: StrategyKey, budgetIndex: number) => `${strategy}-${budgetIndex + 1}`;

function activeStages(config: ActiveDistillationConfig): StageInfo[] {
  const { budgets, seed } = queryPlan(config);
  return [
    { name: 'teacher', label: 'Teacher', role: `trained with ground truth on ${config.data.teacherSize} examples; each of its labels on the pool is a query` },
    {
      name: 'seed',
      label: `Seed student (${seed} queries)`,
      role: `the student on ${seed} pool points picked at random: the informed strategies read its predictions`,
    },
    ...budgets.flatMap((budget, i) =>
      STRATEGIES.map((s) => ({
        name: studentStageName(s.key, i),
        label: `${s.label[0].toUpperCase()}${s.label.slice(1)}, ${budget} queries`,
        role: `the student on the seed and ${budget - seed} more pool points chosen by ${s.label}, with the teacher's probabilities as labels`,
      })),
    ),
  ];
}

/** A strategy's figure at a budget, from one of the run's charts. */
function figureAt(facts: RunFacts, chart: string, strategy: StrategyKey, budget: number): number | undefined {
  return facts.result?.charts.find((c) => c.info.id === chart)?.points[strategy]?.find((p: ChartPoint) => p.x === budget)?.y;
}

const planOf = (facts: RunFacts) => queryPlan(facts.config as unknown as ActiveDistillationConfig);

export const activeDistillation = defineKind({
  kind: 'active-distillation',
  schema,
  help: "The teacher's labels cost a query each. Which pool points should a student ask about: random ones, the ones it is unsure of, the ones it is unsure of and the teacher is sure of, or a spread-out set?",
  stages: activeStages,
  roles: {
    supervisor: 'teacher',
    student: 'uncertainty-1',
    lower: 'seed',
    upper: 'teacher',
    gapName: null,
    students: STRATEGIES.map((s) => studentStageName(s.key, 0)),
  },
  models: (config, data) => [roleModel(config, 'teacher', data), roleModel(config, 'student', data)],
  rowsNeeded: (config) => ({
    needed: config.data.teacherSize + config.data.poolSize + config.data.validationSize,
    parts: 'teacherSize + poolSize + validationSize',
  }),
  gallery: 'Knowledge distillation',
  form: {
    cards: [
      { type: 'role', role: 'teacher', title: 'Teacher', blurb: 'Trained with ground truth; labels pool points on request.' },
      { type: 'role', role: 'student', title: 'Students', blurb: "Each learns the teacher's probabilities on its queried points alone." },
      { type: 'fields', id: 'queries', title: 'Queries', fields: [{ path: ['seedSize'] }, { path: ['budgets'], control: 'list' }] },
    ],
  },
  presets: [
    {
      id: 'active-distillation',
      title: 'Active distillation: which labels to buy',
      lesson:
        "With a small budget of teacher labels, queries spread out over the student's probability space (k-center) beat random ones; queries where the student is unsure buy about twice as many of the teacher's mistakes.",
      narrative: [
        {
          stage: 'teacher',
          text: (f): string =>
            `The teacher (${f.stages.teacher?.model ?? 'a larger network'}) learns ${(f.config as unknown as ActiveDistillationConfig).data.teacherSize.toLocaleString('en')} labelled digits: ${pct(f.stages.teacher?.accuracy)} on test. Its soft labels on the unlabelled pool cost a query each.`,
        },
        {
          stage: 'seed',
          text: (f): string =>
            `A student (${f.stages.seed?.model ?? 'a small network'}) spends ${planOf(f).seed} queries at random and learns the teacher's probabilities on them: ${pct(f.stages.seed?.accuracy)}. Its predictions on the pool guide the informed strategies.`,
        },
        {
          text: (f): string => {
            const budget = planOf(f).budgets[0];
            const random = figureAt(f, 'accuracy', 'random', budget);
            let best: { label: string; y: number } | undefined;
            for (const s of STRATEGIES) {
              const y = figureAt(f, 'accuracy', s.key, budget);
              if (s.key !== 'random' && y !== undefined && (!best || y > best.y)) best = { label: s.label, y };
            }
            if (random === undefined || !best) return `At ${budget} queries, each strategy's student is compared with random queries.`;
            return `At ${budget} queries the best informed strategy, ${best.label}, reaches ${pct(best.y)}: ${compare(best.y, random, { above: 'above', below: 'below', level: 'level with' })} random queries (${pct(random)}).`;
          },
        },
        {
          text: (f): string => {
            const { budgets } = planOf(f);
            const budget = budgets[budgets.length - 1];
            const parts = STRATEGIES.map((s) => `${s.label} ${pct(figureAt(f, 'accuracy', s.key, budget))}`);
            return `At ${budget} queries: ${parts.join(', ')}; the teacher itself ${pct(f.stages.teacher?.accuracy)}.`;
          },
        },
        {
          text: (f): string => {
            const budget = planOf(f).budgets[0];
            const uncertain = figureAt(f, 'teacher-mistakes', 'uncertainty', budget);
            const random = figureAt(f, 'teacher-mistakes', 'random', budget);
            const guarded = figureAt(f, 'teacher-mistakes', 'confident-uncertain', budget);
            if (uncertain === undefined || random === undefined) return "The second plot: the share of queried points on which the teacher's label is wrong.";
            return `The price of uncertainty: at ${budget} queries the teacher is wrong on ${pct(uncertain)} of the points the uncertain student asked about, against ${pct(random)} of random ones${guarded === undefined ? '' : ` and ${pct(guarded)} when the teacher's confidence is weighed in`}. Uncertain points are hard for the teacher too.`;
          },
        },
      ],
      config: {
        kind: 'active-distillation',
        seed: 1,
        data: { dataset: 'mnist', teacherSize: 2000, poolSize: 5000, validationSize: 0, testSize: 2000 },
        teacher: {
          model: { type: 'mlp', width: 128, depth: 1, activation: 'relu', dropout: 0 },
          train: { optimizer: 'adam', learningRate: 0.003, batchSize: 64, epochs: 5, evalEvery: 50 },
        },
        student: {
          model: { type: 'mlp', width: 32, depth: 1, activation: 'relu', dropout: 0 },
          train: { optimizer: 'adam', learningRate: 0.003, batchSize: 64, steps: 100, evalEvery: 50 },
        },
        seedSize: 50,
        budgets: [100, 400, 1600],
      },
    },
  ],
});
