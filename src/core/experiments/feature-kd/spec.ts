/**
 * Feature distillation (shared/METHODS.md section 5): one teacher, the student alone on its labelled subset, then
 * the same student distilled with Hinton's logit KD alone, with logit KD plus a FitNets hint (its hidden layer,
 * through a learned projection, regresses the teacher's), and with logit KD plus relational KD (its pairwise
 * distances within a batch match the teacher's). Everything about the kind but its tfjs runner (run.ts).
 */
import { z } from 'zod';
import { distillationData, KD_PARAMS, num, RoleSchema, seedField, versionField } from '../../config/blocks';
import type { StageInfo } from '../figures';
import { checkLabelledSize, distillationRows, KD_MNIST, KD_STAGES } from '../distillation/spec';
import { defineKind, roleModel } from '../kind';
import { compare, fixed, pct, points, type Caption, type RunFacts } from '../narration';

const schema = z.object({
  version: versionField(),
  kind: z.literal('feature-kd'),
  seed: seedField(),
  data: distillationData(),
  teacher: RoleSchema.prefault({ model: { type: 'mlp', width: 128, depth: 1 } }),
  student: RoleSchema.prefault({ model: { type: 'mlp', width: 32, depth: 1 } }),
  ...KD_PARAMS,
  hintWeight: num(0, 1000, 1, "Weight of the FitNets hint: the mean squared error between the student's projected hidden layer and the teacher's."),
  relationalWeight: num(
    0,
    1000,
    25,
    "Weight of relational KD: the Huber loss between the student's and the teacher's normalised pairwise distances in a batch.",
  ),
});
export type FeatureKdConfig = z.output<typeof schema>;

export const FEATURE_KD_STUDENTS = ['kd', 'hint', 'relational'] as const;

function featureKdStages(config: FeatureKdConfig): StageInfo[] {
  const T = config.temperature;
  return [
    KD_STAGES[0],
    KD_STAGES[1],
    { name: 'kd', label: 'Logit KD', role: `the student distilled with Hinton's forward KL at T = ${T} on the teacher's logits alone` },
    {
      name: 'hint',
      label: 'Logit KD + hint',
      role: `logit KD plus a FitNets hint (weight ${config.hintWeight}): its hidden layer, through a learned projection, regresses the teacher's`,
    },
    {
      name: 'relational',
      label: 'Logit KD + relational',
      role: `logit KD plus relational KD (weight ${config.relationalWeight}): its distances between the examples of a batch match the teacher's`,
    },
  ];
}

/** The run's config: these captions belong to this kind's preset. */
const own = (facts: RunFacts) => facts.config as FeatureKdConfig;

/** A student's final accuracy, once it has finished. */
const accuracyOf = (facts: RunFacts, stage: string) => facts.stages[stage]?.accuracy;

/** How a feature-matching student compares with logit KD alone, in words the numbers bear out. */
function againstLogitKd(facts: RunFacts, stage: 'hint' | 'relational', name: string): string {
  const kd = accuracyOf(facts, 'kd');
  const other = accuracyOf(facts, stage);
  if (kd === undefined || other === undefined) return `${name}: waiting for it and for logit KD to finish.`;
  const verdict = compare(other, kd, {
    above: `adds ${points(other, kd)} to logit KD`,
    below: `costs ${points(other, kd)} against logit KD`,
    level: `is level with logit KD (within half a point)`,
  });
  return `${name} reaches ${pct(other)}: on this seed it ${verdict} (${pct(kd)}).`;
}

const NARRATIVE: Caption[] = [
  {
    stage: 'teacher',
    text: (facts) =>
      `The teacher trains on all ${own(facts).data.trainSize.toLocaleString('en')} labelled digits${facts.stages.teacher ? `: ${facts.stages.teacher.model}, ${pct(facts.stages.teacher.accuracy)} on test` : ''}.`,
  },
  {
    stage: 'baseline',
    text: (facts) =>
      `The student alone trains on only ${own(facts).data.labelledSize.toLocaleString('en')} of them${facts.stages.baseline ? `: ${facts.stages.baseline.model}, ${pct(facts.stages.baseline.accuracy)}` : ''}.`,
  },
  {
    stage: 'kd',
    text: (facts) =>
      `Logit KD: the same student learns the teacher's softened predictions on every image${facts.stages.kd ? ` and reaches ${pct(facts.stages.kd.accuracy)}` : ''}. The question: does matching the teacher's hidden features add to this?`,
  },
  {
    stage: 'hint',
    text: (facts) =>
      `FitNets hint: the student's hidden layer, through a learned projection, also regresses the teacher's. ${againstLogitKd(facts, 'hint', 'The hinted student')}`,
  },
  {
    stage: 'relational',
    text: (facts) =>
      `Relational KD: no projection, only geometry: the distances between the digits of a batch, each divided by their mean, match the teacher's. ${againstLogitKd(facts, 'relational', 'The relational student')}`,
  },
  {
    text: (facts) => {
      const chart = facts.result?.charts.find((c) => c.info.id === 'feature-similarity');
      const cka = (label: string) => chart?.points.cka.find((p) => p.label === label)?.y;
      const [kd, hint, relational] = ['Logit KD', 'Logit KD + hint', 'Logit KD + relational'].map(cka);
      if (kd === undefined || hint === undefined || relational === undefined)
        return "The second chart: how like the teacher's hidden layer each student's is, on the test images (linear CKA: 1 for the same features up to rotation and scale).";
      return `Did the feature terms do their job? Linear CKA to the teacher's hidden layer: logit KD ${fixed(kd)}, with the hint ${fixed(hint)}, with relational KD ${fixed(relational)}. ${compare(Math.max(hint, relational), kd, { above: "The features moved towards the teacher's; compare the accuracies to see whether that helped.", below: "The feature terms did not make the features more like the teacher's here.", level: "The features are no more like the teacher's than with logit KD alone." }, 0.01)}`;
    },
  },
  {
    text: (facts) => {
      const students = facts.result?.students;
      if (!students)
        return 'The bars: the accuracy of every model, and the share of the gap between the student alone and the teacher that each distilled student closes.';
      return `Gap closed on this seed: ${students.map((s) => `${s.label} ${fixed(s.gap.final)}`).join(', ')}. One seed decides nothing: the README gives seeds 1-3.`;
    },
  },
];

export const featureKd = defineKind({
  kind: 'feature-kd',
  schema,
  help: "One teacher, one student with few labels: logit KD alone, against logit KD plus a term that matches the teacher's hidden features (FitNets hint, relational KD).",
  stages: featureKdStages,
  roles: { supervisor: 'teacher', student: 'kd', lower: 'baseline', upper: 'teacher', gapName: 'gap closed', students: [...FEATURE_KD_STUDENTS] },
  models: (config, data) => [roleModel(config, 'teacher', data), roleModel(config, 'student', data)],
  rowsNeeded: distillationRows,
  check(config, _data, issue) {
    checkLabelledSize(config, issue);
    for (const role of ['teacher', 'student'] as const) {
      const model = config[role].model;
      if (model.type !== 'mlp')
        issue([role, 'model', 'type'], `feature distillation reads the ${role}'s last hidden layer: it must be an MLP, not ${model.type}`);
    }
  },
  gallery: 'Knowledge distillation',
  form: {
    cards: [
      {
        type: 'role',
        role: 'teacher',
        title: 'Teacher',
        blurb: 'Trained with ground truth on every training image; its last hidden layer is what the feature terms match.',
      },
      {
        type: 'role',
        role: 'student',
        title: 'Student',
        blurb: 'Trained on its labelled images alone (baseline), then distilled from the teacher three ways.',
      },
      {
        type: 'fields',
        id: 'feature-kd-settings',
        title: 'Distillation',
        blurb: 'Every distilled student has the logit term; the hint and relational students add their feature term.',
        fields: [{ path: ['temperature'] }, { path: ['alpha'] }, { path: ['hintWeight'] }, { path: ['relationalWeight'] }],
      },
    ],
  },
  presets: [
    {
      id: 'feature-kd',
      title: 'Feature distillation (MNIST)',
      lesson:
        "With ground truth for only 1,000 images, a student distilled from the teacher's logits closes most of the gap; making it also match the teacher's hidden features (a FitNets hint, relational KD) makes its features more like the teacher's but adds no accuracy at this scale.",
      narrative: NARRATIVE,
      config: {
        kind: 'feature-kd',
        seed: 1,
        data: KD_MNIST.data,
        // kd-mnist's data and student; a smaller, quicker teacher and fewer, larger batches than kd-mnist's (784-256-256-10
        // for 628 steps, a student of 1,570 steps), so that the preset runs in seconds: the lesson is the comparison
        // of students distilled from the same teacher, not the teacher's size (README, feature distillation).
        teacher: {
          model: { type: 'mlp', width: 128, depth: 1, activation: 'relu', dropout: 0.2 },
          train: { optimizer: 'adam', learningRate: 0.001, batchSize: 128, epochs: 3, evalEvery: 50 },
        },
        student: { ...KD_MNIST.student, train: { ...KD_MNIST.student.train, batchSize: 128, epochs: 4 } },
        temperature: 4,
        alpha: 0.9,
        // RepDistiller's FitNets weight (100) drowned the logit term here (README); 1 puts the two on the same scale.
        hintWeight: 1,
        relationalWeight: 25,
      },
    },
  ],
});
