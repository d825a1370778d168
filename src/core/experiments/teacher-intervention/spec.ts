/**
 * Teacher intervention (Saha et al. 2023, "Can Language Models Teach Weaker Agents? Teacher Explanations Improve
 * Students via Theory of Mind"; shared/METHODS.md section 5): the distillation family's teacher and student; at
 * test time the teacher may replace a budget of the student's answers with its own, chosen at random, where the
 * student is least confident, or where the teacher's mental model of the student (fit on a few examples where it
 * watched the student answer) expects a mistake; and a misaligned teacher that answers with its second choice.
 * Everything about the kind but its tfjs runner (run.ts).
 */
import { z } from 'zod';
import { DATA_FIELDS, int, num, RoleSchema, seedField, versionField } from '../../config/blocks';
import type { ChartPoint } from '../charts';
import type { StageInfo } from '../figures';
import { checkLabelledSize } from '../distillation/spec';
import { defineKind, roleModel } from '../kind';
import { compare, fixed, pct, points, type RunFacts } from '../narration';

const schema = z.object({
  version: versionField(),
  kind: z.literal('teacher-intervention'),
  seed: seedField(),
  data: z
    .object({
      ...DATA_FIELDS,
      validationSize: int(0, 5000, 0, 'Held-out examples with ground truth on which teacher and student pick their best checkpoint (0: the final one).'),
      trainSize: int(2, 20000, 5000, 'Training images: the teacher learns all of them with ground truth.'),
      labelledSize: int(1, 20000, 1000, 'Of those, how many the student learns (with ground truth).'),
      observedSize: int(
        2,
        5000,
        100,
        'Other examples on which the teacher watches the student answer: its mental model of where the student goes wrong is fit to them.',
      ),
    })
    .prefault({}),
  teacher: RoleSchema.prefault({ model: { type: 'mlp', width: 128 } }),
  student: RoleSchema.prefault({ model: { type: 'mlp', width: 32 } }),
  budgets: z
    .array(num(0, 100, 10, "A budget: the share of the student's test answers (in %) the teacher may replace."))
    .min(1)
    .max(12)
    .default([0, 2, 5, 10, 20, 30, 50, 75, 100])
    .describe("Budgets (% of the student's test answers the teacher may replace) at which every strategy is measured."),
  mentalModel: z
    .object({
      l2: num(0, 10, 0.01, "L2 penalty of the mental model's weights."),
      steps: int(1, 5000, 500, 'Gradient-descent steps fitting the mental model.'),
      learningRate: num(0.001, 10, 0.5, 'Step size of those steps.'),
    })
    .prefault({})
    .describe(
      "The teacher's model of the student: a logistic regression from the teacher's view of an example (its class probabilities, top probability and entropy) to whether the student gets it wrong.",
    ),
});
export type TeacherInterventionConfig = z.output<typeof schema>;

/** The budgets in ascending order, each once. */
export function interventionBudgets(config: TeacherInterventionConfig): number[] {
  return [...new Set(config.budgets)].sort((a, b) => a - b);
}

/** The strategies, in the order the chart lists them. */
export const STRATEGIES = [
  { key: 'random', label: 'random' },
  { key: 'least-confident', label: 'least confident student' },
  { key: 'mental-model', label: "teacher's mental model" },
  { key: 'misaligned', label: 'misaligned teacher (random, its second choice)' },
] as const;
export type StrategyKey = (typeof STRATEGIES)[number]['key'];
export const strategyLabel = (key: StrategyKey): string => STRATEGIES.find((s) => s.key === key)!.label;

/** A strategy's accuracy at a budget, read from the run's intervention chart. */
function accuracyAt(facts: RunFacts, strategy: StrategyKey, budget: number): number | undefined {
  const chart = facts.result?.charts.find((c) => c.info.id === 'intervention');
  return chart?.points[strategy]?.find((p: ChartPoint) => p.x === budget)?.y;
}

/** The budget the captions quote: 10% when it is measured, else the smallest positive one. */
function quotedBudget(facts: RunFacts): number | undefined {
  const budgets = interventionBudgets(facts.config as unknown as TeacherInterventionConfig).filter((b) => b > 0);
  return budgets.includes(10) ? 10 : budgets[0];
}

function gainCaption(facts: RunFacts, strategy: StrategyKey, lead: string): string {
  const budget = quotedBudget(facts);
  const alone = facts.stages.student?.accuracy;
  const at = budget === undefined ? undefined : accuracyAt(facts, strategy, budget);
  if (budget === undefined || alone === undefined || at === undefined) return `${lead} (measured once the student is trained).`;
  return `${lead}: at a budget of ${budget}% the student's accuracy goes from ${pct(alone)} to ${pct(at)} (${at >= alone ? '+' : '-'}${points(at, alone)}).`;
}

const STAGES: StageInfo[] = [
  { name: 'teacher', label: 'Teacher', role: 'trained with ground truth on every training image; at test time it may replace some of the student’s answers' },
  { name: 'student', label: 'Student', role: 'the small model trained on its labelled images alone; the teacher intervenes on its test answers' },
];

export const teacherIntervention = defineKind({
  kind: 'teacher-intervention',
  schema,
  help: "At test time a teacher may replace a budget of the student's answers with its own. Which ones it picks matters: at random, where the student is least confident, or where its mental model of the student expects a mistake; and a misaligned teacher misleads.",
  stages: () => [...STAGES],
  roles: { supervisor: 'teacher', student: 'student', lower: 'student', upper: 'teacher', gapName: null },
  models: (config, data) => [roleModel(config, 'teacher', data), roleModel(config, 'student', data)],
  rowsNeeded: (config) => ({
    needed: config.data.trainSize + config.data.validationSize + config.data.observedSize,
    parts: 'trainSize + validationSize + observedSize',
  }),
  check: (config, _data, issue) => checkLabelledSize(config, issue),
  gallery: 'Updating and teaching models',
  form: {
    cards: [
      { type: 'role', role: 'teacher', title: 'Teacher', blurb: 'Trained with ground truth on every training image.' },
      { type: 'role', role: 'student', title: 'Student', blurb: 'Trained on its labelled images alone.' },
      { type: 'fields', id: 'intervention', title: 'Intervention', fields: [{ path: ['budgets'], control: 'list' }] },
      { type: 'settings', path: ['mentalModel'], title: 'Mental model', blurb: "The teacher's model of where the student goes wrong." },
    ],
  },
  presets: [
    {
      id: 'teacher-intervention',
      title: 'When should a teacher step in?',
      lesson:
        'With a small budget a teacher helps far more by replacing the answers the student is likely to get wrong than answers picked at random; a misaligned teacher drags the student down, below chance once it answers for the student everywhere.',
      narrative: [
        {
          stage: 'teacher',
          text: (f): string =>
            `The teacher (${f.stages.teacher?.model ?? 'a larger network'}) learns every training digit with its label: ${pct(f.stages.teacher?.accuracy)} on test.`,
        },
        {
          stage: 'student',
          text: (f): string =>
            `The student (${f.stages.student?.model ?? 'a small network'}) has labels for only a few of them: ${pct(f.stages.student?.accuracy)}. At test time the teacher may replace a budget of the student's answers with its own.`,
        },
        { text: (f): string => gainCaption(f, 'random', 'Answers picked at random') },
        {
          text: (f): string => gainCaption(f, 'least-confident', "Picked where the student is least confident (the teacher is shown the student's confidence)"),
        },
        {
          text: (f): string => {
            const lead = gainCaption(
              f,
              'mental-model',
              `Picked by the teacher's mental model, a logistic regression fit on ${(f.config as unknown as TeacherInterventionConfig).data.observedSize} examples where it watched the student answer, from its own view of each example`,
            );
            const budget = quotedBudget(f);
            const mental = budget === undefined ? undefined : accuracyAt(f, 'mental-model', budget);
            const least = budget === undefined ? undefined : accuracyAt(f, 'least-confident', budget);
            if (mental === undefined || least === undefined) return lead;
            return `${lead} That is ${compare(mental, least, { above: 'more than', below: 'less than', level: 'as much as' })} picking by the student's own confidence, which the mental model never sees.`;
          },
        },
        {
          text: (f): string => {
            const full = accuracyAt(f, 'misaligned', 100);
            const half = accuracyAt(f, 'misaligned', 50);
            if (full === undefined && half === undefined)
              return 'A misaligned teacher steps in on the same random answers but gives its second choice, a plausible wrong answer.';
            return `A misaligned teacher steps in on the same random answers but gives its second choice: ${half !== undefined ? `at 50% the student falls to ${pct(half)}` : ''}${half !== undefined && full !== undefined ? ', and ' : ''}${full !== undefined ? `at 100% to ${pct(full)}, ${full < 0.1 ? 'below' : 'above'} chance (10%)` : ''}.`;
          },
        },
        {
          text: (f): string => {
            const chart = f.result?.charts.find((c) => c.info.id === 'targeting');
            const at = (series: string, key: StrategyKey) => chart?.points[series]?.find((p: ChartPoint) => p.label === strategyLabel(key))?.y;
            return `Why: of the answers each strategy replaces at the smallest budget, the student had wrong ${pct(at('wrong', 'random'))} at random, ${pct(at('wrong', 'least-confident'))} by least confidence and ${pct(at('wrong', 'mental-model'))} by the mental model. As detectors of the student's mistakes on test, their AUROCs are ${fixed(at('auroc', 'random'))}, ${fixed(at('auroc', 'least-confident'))} and ${fixed(at('auroc', 'mental-model'))}.`;
          },
        },
      ],
      config: {
        kind: 'teacher-intervention',
        seed: 1,
        data: { dataset: 'mnist', trainSize: 5000, labelledSize: 1000, observedSize: 100, validationSize: 0, testSize: 2000 },
        teacher: {
          model: { type: 'mlp', width: 128, depth: 1, activation: 'relu', dropout: 0 },
          train: { optimizer: 'adam', learningRate: 0.003, batchSize: 64, epochs: 4, evalEvery: 50 },
        },
        student: {
          model: { type: 'mlp', width: 32, depth: 1, activation: 'relu', dropout: 0 },
          train: { optimizer: 'adam', learningRate: 0.003, batchSize: 64, epochs: 10, evalEvery: 20 },
        },
        budgets: [0, 2, 5, 10, 20, 30, 50, 75, 100],
        mentalModel: { l2: 0.01, steps: 500, learningRate: 0.5 },
      },
    },
  ],
});
