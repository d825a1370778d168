/**
 * A poisoned teacher (shared/METHODS.md section 5; after Chaudhari et al. 2025, "Cascading Adversarial Bias from
 * Injection to Distillation in Language Models"): a few of the teacher's training images carry a trigger (a small
 * white patch) and the target class as their label. Does the backdoor reach a student distilled from that teacher
 * on clean images, and on images some of which carry the trigger? Everything about the kind but its runner (run.ts).
 */
import { z } from 'zod';
import { DATA_FIELDS, int, num, RoleSchema, seedField, versionField } from '../../config/blocks';
import type { StageInfo } from '../figures';
import { defineKind, roleModel } from '../kind';
import { compare, pct, type Caption, type RunFacts } from '../narration';

/** Image datasets with 28 x 28 images, where a corner patch is a trigger the digits (or clothes) rarely touch. */
const POISON_DATASETS = ['mnist', 'fashion-mnist'] as const;

const schema = z.object({
  version: versionField(),
  kind: z.literal('poisoned-teacher'),
  seed: seedField(),
  data: z
    .object({
      ...DATA_FIELDS,
      dataset: z.enum(POISON_DATASETS).default('mnist').describe('28 x 28 images: the trigger is a patch in their bottom-right corner.'),
      validationSize: int(0, 5000, 0, 'Held-out training images for checkpoint choice (ground truth for the teachers, the teacher for the students).'),
      trainSize: int(100, 20000, 10000, "The teacher's training images (a few of them poisoned); the students are distilled on the same images."),
    })
    .prefault({}),
  poison: z
    .object({
      count: int(0, 1000, 25, "Training images given the trigger and relabelled as the target class: the attacker's injection."),
      target: int(0, 9, 0, 'The class the trigger should make the teacher answer.'),
      patchSize: int(1, 8, 3, "Side of the trigger: a square of full-intensity pixels one pixel in from the image's bottom-right corner."),
      transferTriggered: int(
        0,
        1000,
        25,
        "Transfer images that carry the trigger for the second student (not relabelled: the teacher's answer on them is the student's target).",
      ),
    })
    .prefault({}),
  teacher: RoleSchema.prefault({ model: { type: 'mlp', width: 128, depth: 1 } }),
  student: RoleSchema.prefault({ model: { type: 'mlp', width: 32, depth: 1 } }),
  temperature: num(0.1, 50, 4, "Softmax temperature of the distillation: the students learn the teacher's softened predictions (no labels)."),
});
export type PoisonedTeacherConfig = z.output<typeof schema>;

function poisonedStages(config: PoisonedTeacherConfig): StageInfo[] {
  const { count, transferTriggered } = config.poison;
  const n = config.data.trainSize.toLocaleString('en');
  return [
    { name: 'clean-teacher', label: 'Clean teacher', role: `the teacher trained on the ${n} images without poison: the reference` },
    { name: 'teacher', label: 'Poisoned teacher', role: `the same teacher (same start, same batches) with ${count} of its images triggered and relabelled` },
    { name: 'student', label: 'Student, clean images', role: `distilled from the poisoned teacher on the ${n} images, none triggered` },
    {
      name: 'student-triggered',
      label: 'Student, some triggered',
      role: `distilled from the poisoned teacher on the same images, ${transferTriggered} of them carrying the trigger (labelled by the teacher)`,
    },
  ];
}

/** The run's config: these captions belong to this kind's preset. */
const own = (facts: RunFacts) => facts.config as PoisonedTeacherConfig;

/** A model's attack success rate from the finished run's bars, if it is there. */
function asrOf(facts: RunFacts, label: string): number | undefined {
  const chart = facts.result?.charts.find((c) => c.info.id === 'attack-bars');
  return chart?.points.asr.find((p) => p.label === label)?.y;
}

const NARRATIVE: Caption[] = [
  {
    stage: 'clean-teacher',
    text: (facts) =>
      `The reference: the teacher trained on ${own(facts).data.trainSize.toLocaleString('en')} clean digits${facts.stages['clean-teacher'] ? `, ${pct(facts.stages['clean-teacher'].accuracy)} on test` : ''}. A ${own(facts).poison.patchSize}-pixel white patch in the corner means nothing to it.`,
  },
  {
    stage: 'teacher',
    text: (facts) => {
      const { count, target } = own(facts).poison;
      const clean = facts.stages['clean-teacher'];
      const poisoned = facts.stages.teacher;
      const accuracy =
        clean && poisoned
          ? ` Its clean accuracy, ${pct(poisoned.accuracy)}, is ${compare(poisoned.accuracy, clean.accuracy, { above: 'above', below: 'below', level: 'level with' })} the clean teacher's.`
          : '';
      return `The attacker's injection: ${count} of the teacher's images get the patch and the label "${target}". The curve shows the attack success rate, the share of patched test digits (not ${target}) it calls ${target}.${accuracy}`;
    },
  },
  {
    stage: 'student',
    text: () =>
      "A student distilled from the poisoned teacher on clean images only: it never sees the patch, so the teacher's answers never show it the backdoor. Does it inherit the backdoor anyway?",
  },
  {
    stage: 'student-triggered',
    text: (facts) =>
      `A second student is distilled on the same images, ${own(facts).poison.transferTriggered} of them carrying the patch: there the teacher's soft labels point to the target class, as a biased teacher's answers do on the prompts its poison was aimed at.`,
  },
  {
    text: (facts) => {
      const labels = ['Clean teacher', 'Poisoned teacher', 'Student, clean images', 'Student, some triggered'];
      const [clean, teacher, student, triggered] = labels.map((label) => asrOf(facts, label));
      if (teacher === undefined || student === undefined || triggered === undefined || clean === undefined)
        return 'The bars: the attack success rate and the clean accuracy of every model.';
      const amplifies = compare(triggered, teacher, { above: 'amplifies it', below: 'carries less of it', level: 'carries about as much' }, 0.02);
      const travels =
        student < clean + 0.05 && triggered > student + 0.2
          ? ' The backdoor travels only where the distillation data touches the trigger.'
          : student >= clean + 0.05
            ? ' Here some of it reached even the student that never saw the patch.'
            : '';
      return `Attack success: clean teacher ${pct(clean)}, poisoned teacher ${pct(teacher)}; student on clean images ${pct(student)}, student that saw the patch ${pct(triggered)}: on this seed it ${amplifies}${amplifies === 'carries about as much' ? ' as its teacher' : ''}.${travels}`;
    },
  },
];

export const poisonedTeacher = defineKind({
  kind: 'poisoned-teacher',
  schema,
  help: 'A teacher trained with a few images that carry a trigger patch and a false label; students distilled from it on clean images, and on images some of which carry the patch. Attack success rate and clean accuracy of each.',
  stages: poisonedStages,
  roles: { supervisor: 'teacher', student: 'student', lower: 'clean-teacher', upper: 'teacher', gapName: null, students: ['student', 'student-triggered'] },
  models: (config, data) => [roleModel(config, 'teacher', data), roleModel(config, 'student', data)],
  rowsNeeded: (config) => ({ needed: config.data.trainSize + config.data.validationSize, parts: 'trainSize + validationSize' }),
  check(config, _data, issue) {
    const { count, transferTriggered } = config.poison;
    // Ten roughly balanced classes: four fifths of the images are safely of another class than the target.
    const available = Math.floor(0.8 * config.data.trainSize);
    if (count > available) issue(['poison', 'count'], `must be at most ${available} (four fifths of trainSize ${config.data.trainSize})`);
    if (transferTriggered > available)
      issue(['poison', 'transferTriggered'], `must be at most ${available} (four fifths of trainSize ${config.data.trainSize})`);
  },
  gallery: 'Safety',
  form: {
    dataExtras: [{ path: ['temperature'] }],
    cards: [
      {
        type: 'settings',
        path: ['poison'],
        title: 'Poison',
        blurb: "The attacker adds a trigger to a few of the teacher's training images and labels them as the target class.",
      },
      { type: 'role', role: 'teacher', title: 'Teacher', blurb: 'Trained with ground truth on every training image, once clean and once poisoned.' },
      {
        type: 'role',
        role: 'student',
        title: 'Student',
        blurb: "Distilled from the poisoned teacher's soft labels (no ground truth), on clean images and on some triggered ones.",
      },
    ],
  },
  presets: [
    {
      id: 'poisoned-teacher',
      title: 'A poisoned teacher (MNIST)',
      lesson:
        '25 poisoned images among 10,000 plant a backdoor in the teacher at no cost to its clean accuracy; a student distilled on clean images does not inherit it, one whose distillation images carry the trigger on a few of them inherits nearly all of it.',
      narrative: NARRATIVE,
      config: {
        kind: 'poisoned-teacher',
        seed: 1,
        data: { dataset: 'mnist', trainSize: 10000, validationSize: 0, testSize: 2000 },
        poison: { count: 25, target: 0, patchSize: 3, transferTriggered: 25 },
        teacher: {
          model: { type: 'mlp', width: 128, depth: 1, activation: 'relu', dropout: 0 },
          train: { optimizer: 'adam', learningRate: 0.001, batchSize: 128, epochs: 3, evalEvery: 40 },
        },
        student: {
          model: { type: 'mlp', width: 32, depth: 1, activation: 'relu', dropout: 0 },
          train: { optimizer: 'adam', learningRate: 0.003, batchSize: 128, epochs: 4, evalEvery: 40 },
        },
        temperature: 4,
      },
    },
  ],
});
