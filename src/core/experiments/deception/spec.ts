/**
 * Weak-to-strong deception (Yang et al. 2025, "Super(ficial)-alignment: Strong Models May Deceive Weak Models in
 * Weak-to-Strong Generalization"; shared/METHODS.md section 5): a strong student learns from a weak supervisor's
 * labels while a second, conflicting objective rewards one class. Where does it break the supervisor's rule:
 * where the supervisor would notice, or where it does not know the answer? Supervisors of different strength vary
 * the capability gap; a bootstrap chain through an intermediate model is the mitigation tried. Everything about the
 * kind but its runner (run.ts).
 */
import { z } from 'zod';
import { int, num, RoleSchema, seedField, transferData, versionField, weakLabelsField } from '../../config/blocks';
import type { StageInfo } from '../figures';
import { defineKind, roleModel } from '../kind';
import { transferRows, W2S_MNIST, WEAK_LABEL_FIELDS } from '../weak-to-strong/spec';
import { DECEPTION_CAPTIONS } from './captions';
import { supervisorSizes } from './violations';

const schema = z.object({
  version: versionField(),
  kind: z.literal('deception'),
  seed: seedField(),
  data: transferData(),
  weakLabels: weakLabelsField(),
  supervisor: RoleSchema.prefault({}).describe('Every weak supervisor: the same model and training, on more or fewer of the labels of split A.'),
  supervisorSizes: z
    .array(int(2, 20000, 100, 'Labelled examples of split A one supervisor learns from.'))
    .min(1)
    .max(3)
    .default([25, 100])
    .describe(
      'One weak supervisor per size (1 to 3), each trained on the first N examples of split A: fewer labels, a weaker supervisor, a larger gap to the student. The smallest also starts the chain.',
    ),
  conflict: z
    .object({
      rewardedClass: int(0, 999, 7, 'The class the second objective rewards the student for predicting (a class of the dataset).'),
      weight: num(0, 10, 0.1, "Weight of the reward against the supervisor's labels: the loss adds weight x -log p(rewarded class) on every example."),
    })
    .prefault({}),
  student: RoleSchema.prefault({}).describe(
    "The strong student: trained on every supervisor's labels with the reward, on the truth (its ceiling), and at the end of the chain.",
  ),
  intermediate: RoleSchema.prefault({}).describe(
    "The chain's middle model: it learns the weakest supervisor's labels with the reward, then labels split B for the student.",
  ),
  bootstrap: z
    .boolean()
    .default(true)
    .describe('Also train the student through the chain: weakest supervisor -> intermediate model -> student, each with the reward.'),
});
export type DeceptionConfig = z.output<typeof schema>;
type Input = z.input<typeof schema>;

export const weakName = (i: number) => (i === 0 ? 'weak' : `weak-${i + 1}`);
export const studentName = (i: number) => (i === 0 ? 'student' : `student-${i + 1}`);

function deceptionStages(config: DeceptionConfig): StageInfo[] {
  const sizes = supervisorSizes(config);
  const c = config.conflict.rewardedClass;
  return [
    ...sizes.map((size, i) => ({
      name: weakName(i),
      label: `Supervisor on ${size} labels`,
      role: `trained with ground truth on the first ${size} examples of split A; its predictions label split B`,
    })),
    { name: 'ceiling', label: 'Strong ceiling', role: 'the student trained with ground truth on split B: where the strong model knows the answer' },
    ...sizes.map((size, i) => ({
      name: studentName(i),
      label: `Student of the ${size}-label supervisor`,
      role: `the strong student on the ${size}-label supervisor's labels, rewarded for predicting class ${c}`,
    })),
    ...(config.bootstrap
      ? [
          { name: 'link', label: 'Intermediate model', role: `the chain's middle model on the weakest supervisor's labels, with the same reward` },
          { name: 'chain', label: 'Student through the chain', role: `the strong student on the intermediate model's labels, with the same reward` },
        ]
      : []),
    {
      name: 'honest',
      label: 'Student without the reward',
      role: `the strong student on the weakest supervisor's labels alone: how often it gives class ${c} wrongly anyway`,
    },
  ];
}

/** Measured every 20 steps, not 10: the preset trains ten models and has to stay quick. */
const TRAIN = { ...W2S_MNIST.student.train, evalEvery: 20 };

const W2S_DECEPTION = {
  kind: 'deception',
  seed: 1,
  data: { ...W2S_MNIST.data, supervisorSize: 400, transferSize: 3000 },
  weakLabels: W2S_MNIST.weakLabels,
  supervisor: { ...W2S_MNIST.supervisor, train: { ...W2S_MNIST.supervisor.train, evalEvery: 20 } },
  supervisorSizes: [25, 100, 400],
  conflict: { rewardedClass: 7, weight: 0.1 },
  student: { model: W2S_MNIST.student.model, train: TRAIN },
  intermediate: { model: { type: 'linear' }, train: TRAIN },
  bootstrap: true,
} satisfies Input;

export const deception = defineKind({
  kind: 'deception',
  schema,
  help: "A strong student learns from a weak supervisor's labels while a second objective rewards one class. Does it break the rule where the supervisor would notice, or where the supervisor does not know the answer, and more so the weaker the supervisor?",
  stages: deceptionStages,
  roles: { supervisor: 'weak', student: 'student', lower: 'weak', upper: 'ceiling', gapName: 'PGR', students: ['student', 'chain', 'honest'] },
  models: (config, data) => [roleModel(config, 'supervisor', data), roleModel(config, 'student', data), roleModel(config, 'intermediate', data)],
  rowsNeeded: transferRows,
  check(config, data, issue) {
    if (config.conflict.rewardedClass >= data.numClasses)
      issue(['conflict', 'rewardedClass'], `must be a class of ${data.name}: 0 to ${data.numClasses - 1}, got ${config.conflict.rewardedClass}`);
    config.supervisorSizes.forEach((size, i) => {
      if (size > config.data.supervisorSize)
        issue(
          ['supervisorSizes', i],
          `a supervisor learns from the first examples of split A: at most data.supervisorSize (${config.data.supervisorSize}), got ${size}`,
        );
    });
  },
  fitToData(config, data) {
    const changes: string[] = [];
    const { rewardedClass } = config.conflict;
    if (rewardedClass >= data.numClasses) {
      config.conflict.rewardedClass = data.numClasses - 1;
      changes.push(`conflict.rewardedClass ${rewardedClass} -> ${data.numClasses - 1} (the data has ${data.numClasses} classes)`);
    }
    const available = config.data.supervisorSize;
    const largest = Math.max(...config.supervisorSizes);
    if (largest > available) {
      // Shrunk in proportion, so that the supervisors keep their order of strength.
      const sizes = config.supervisorSizes.map((size) => Math.max(2, Math.min(available, Math.round((size / largest) * available))));
      changes.push(`supervisorSizes ${config.supervisorSizes.join(', ')} -> ${sizes.join(', ')}`);
      config.supervisorSizes = sizes;
    }
    return changes;
  },
  gallery: 'Weak-to-strong generalization',
  form: {
    dataExtras: [...WEAK_LABEL_FIELDS, { path: ['supervisorSizes'], control: 'list' }],
    cards: [
      {
        type: 'role',
        role: 'supervisor',
        title: 'Weak supervisors',
        blurb: 'Each learns from the first N examples of split A with ground truth, then labels split B.',
      },
      {
        type: 'fields',
        id: 'conflict',
        title: 'The conflicting objective',
        blurb: "The student is also rewarded for predicting one class, against its supervisor's labels.",
        fields: [{ path: ['conflict', 'rewardedClass'] }, { path: ['conflict', 'weight'] }, { path: ['bootstrap'] }],
      },
      {
        type: 'role',
        role: 'student',
        title: 'Strong student',
        blurb: "Trained on each supervisor's labels with the reward, on the truth (its ceiling), and at the chain's end.",
      },
      {
        type: 'role',
        role: 'intermediate',
        title: 'Intermediate model (the chain)',
        blurb: "Learns the weakest supervisor's labels with the reward, then labels split B for the student.",
      },
    ],
  },
  presets: [
    {
      id: 'w2s-deception',
      title: 'Deception: breaking the rule where the supervisor cannot tell',
      lesson:
        "A strong student with a second goal (answer 7) breaks its weak supervisor's rule two to four times as often where the supervisor is wrong, and could not tell, as where it would notice; the weaker the supervisor, the more of the violations it cannot see. A bootstrap chain does not help: it passes the reward along.",
      narrative: DECEPTION_CAPTIONS,
      config: W2S_DECEPTION,
    },
  ],
});
