/**
 * Weak-to-strong generalisation (Burns et al. 2023; shared/METHODS.md section 1): a weak supervisor trained on
 * split A labels split B for a strong student; the same strong model trained on B with ground truth is the
 * ceiling. Everything about the kind but its tfjs runner (run.ts).
 */
import { z } from 'zod';
import { int, num, RoleSchema, seedField, StudentRoleSchema, transferData, versionField, W2S_LOSSES, weakLabelsField } from '../../config/blocks';
import { defineKind, roleModel, type FormField, type IssueSink, PAPERS } from '../kind';
import {
  W2S_COPYING_CAPTIONS,
  W2S_EARLY_STOP_CAPTIONS,
  W2S_FLIPS_CAPTIONS,
  W2S_MNIST_CAPTIONS,
  W2S_NO_CONCEPT_CAPTIONS,
  W2S_SYSTEMATIC_CAPTIONS,
  weakToStrongTakeaway,
} from './captions';

/** The weak-label settings shown beside the data (every kind that trains on a supervisor's labels). */
export const WEAK_LABEL_FIELDS: FormField[] = [
  { path: ['weakLabels', 'kind'], label: 'weak labels' },
  { path: ['weakLabels', 'temperature'], label: 'label temperature' },
];

/**
 * Where the weak labels come from: a trained model, or a labelling rule with errors of a known kind and rate
 * (a synthetic supervisor). A rule labels the transfer set, the validation split and the test set alike, and
 * always gives hard labels.
 */
export const SupervisorSourceSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('trained').describe('A model trained with ground truth on split A (the model and training settings below).') }),
  z.object({
    type: z
      .literal('flips')
      .describe('No model: the truth with a share of labels, chosen at random, replaced by another class drawn at random. Random errors: hard labels.'),
    rate: num(0, 1, 0.3, 'Share of examples whose label is flipped to another class.'),
  }),
  z.object({
    type: z
      .literal('systematic')
      .describe(
        'No model: the truth, except that classes 0 to classes-1 are always labelled as the next class (0 as 1, 1 as 2, ...). Systematic errors: hard labels.',
      ),
    classes: int(1, 9, 1, 'How many classes are always mislabelled (class c as c+1), starting from class 0.'),
  }),
  z.object({
    type: z
      .literal('region')
      .describe(
        'No model, 2-D data only: the truth, except in a half-plane of input space (a seeded direction) where every point gets the next class. Systematic errors: hard labels.',
      ),
    share: num(0, 1, 0.3, 'Share of the transfer set that falls in the mislabelled half-plane (its error rate).'),
  }),
]);
export type SupervisorSource = z.infer<typeof SupervisorSourceSchema>;

const schema = z.object({
  version: versionField(),
  kind: z.literal('weak-to-strong'),
  seed: seedField(),
  data: transferData(),
  weakLabels: weakLabelsField(),
  supervisor: RoleSchema.extend({
    source: SupervisorSourceSchema.prefault({ type: 'trained' }).describe(
      'Where the weak labels come from: a trained model (default) or a rule with known errors.',
    ),
  }).prefault({}),
  student: StudentRoleSchema.prefault({}),
});
export type WeakToStrongConfig = z.output<typeof schema>;
type Input = z.input<typeof schema>;

/** The transfer family's data rows: splits A, B and the validation split. */
export function transferRows(config: { data: { supervisorSize: number; transferSize: number; validationSize: number } }) {
  return {
    needed: config.data.supervisorSize + config.data.transferSize + config.data.validationSize,
    parts: 'supervisorSize + transferSize + validationSize',
  };
}

/** The student's loss must be one the weak-to-strong family trains with. */
export function checkTransferLoss(kind: string, loss: { type: string }, issue: IssueSink): void {
  if (!(W2S_LOSSES as readonly string[]).includes(loss.type)) {
    issue(['student', 'loss', 'type'], `${kind} takes one of ${W2S_LOSSES.join(', ')}; got ${loss.type}`);
  }
}

/** The default experiment; w2s-no-concept changes only the student's encoder. */
export const W2S_MNIST = {
  kind: 'weak-to-strong',
  seed: 1,
  data: { dataset: 'mnist', supervisorSize: 100, transferSize: 5000, validationSize: 500, testSize: 2000 },
  weakLabels: { kind: 'soft', temperature: 1 },
  supervisor: {
    model: { type: 'linear' },
    train: { optimizer: 'adam', learningRate: 0.003, batchSize: 32, epochs: 40, evalEvery: 10 },
  },
  student: {
    model: { type: 'pretrained', encoder: 'supervised', mode: 'frozen', head: 'linear' },
    train: { optimizer: 'adam', learningRate: 0.001, batchSize: 64, epochs: 5, evalEvery: 10 },
    loss: { type: 'xent' },
  },
} satisfies Input;

export const weakToStrong = defineKind({
  kind: 'weak-to-strong',
  schema,
  help: 'A weak supervisor learns from a few labels, then labels data for a strong student. Does the student beat its teacher, or copy its mistakes?',
  stages: (config) => [
    config.supervisor.source.type === 'trained'
      ? { name: 'weak', label: 'Weak supervisor', role: 'trained with ground truth on split A; its predictions label split B' }
      : {
          name: 'weak',
          label: 'Weak supervisor',
          role: 'a labelling rule with known errors, not a trained model: it labels split B, the validation split and the test set',
        },
    { name: 'ceiling', label: 'Strong ceiling', role: 'the strong model trained with ground truth on split B: the best the student could do' },
    { name: 'student', label: 'Student', role: "the strong model trained on split B with the weak supervisor's labels" },
  ],
  roles: { supervisor: 'weak', student: 'student', lower: 'weak', upper: 'ceiling', gapName: 'PGR' },
  models: (config, data) => [roleModel(config, 'supervisor', data), roleModel(config, 'student', data)],
  rowsNeeded: transferRows,
  check(config, data, issue) {
    const source = config.supervisor.source;
    const features = data.featureShape.reduce((a, b) => a * b, 1);
    if (source.type === 'region' && features !== 2)
      issue(['supervisor', 'source', 'type'], `a region of input space needs 2-D data; ${data.name} has ${features} features`);
    if (source.type === 'systematic' && source.classes >= data.numClasses)
      issue(['supervisor', 'source', 'classes'], `must be below the ${data.numClasses} classes of ${data.name}`);
    checkTransferLoss('weak-to-strong', config.student.loss, issue);
  },
  fitToData(config, data) {
    // A synthetic supervisor's rule must make sense on the new data.
    const changes: string[] = [];
    const source = config.supervisor.source;
    const features = data.featureShape.reduce((a, b) => a * b, 1);
    if (source.type === 'systematic' && source.classes >= data.numClasses) {
      changes.push(`supervisor.source.classes ${source.classes} -> ${data.numClasses - 1} (the data has ${data.numClasses} classes)`);
      config.supervisor.source = { ...source, classes: data.numClasses - 1 };
    }
    if (source.type === 'region' && features !== 2) {
      changes.push(`supervisor.source: a region of input space needs 2-D data; replaced by random flips at the same rate (${source.share})`);
      config.supervisor.source = { type: 'flips', rate: source.share };
    }
    return changes;
  },
  takeaway: weakToStrongTakeaway,
  gallery: 'Weak-to-strong generalization',
  form: {
    dataExtras: WEAK_LABEL_FIELDS,
    cards: [
      {
        type: 'role',
        role: 'supervisor',
        title: 'Weak supervisor',
        blurb: 'Learns from split A with ground truth, then labels split B.',
        source: {
          label: 'labels from',
          blurbWithoutModel: 'A labelling rule with known errors: it labels split B, the validation split and the test set (hard labels).',
        },
      },
      {
        type: 'role',
        role: 'student',
        title: 'Strong student',
        blurb: 'Trained on split B twice: with ground truth (the ceiling) and with the weak labels (the student).',
        loss: true,
      },
    ],
  },
  presets: [
    {
      id: 'w2s-mnist',
      featured: true,
      title: 'Weak-to-strong (MNIST)',
      lesson:
        "A student with latent knowledge (an encoder pretrained on 20,000 other digits) trained only on a weak supervisor's labels recovers much of the gap to its ceiling: it beats its supervisor instead of copying it.",
      papers: [PAPERS.burns],
      narrative: W2S_MNIST_CAPTIONS,
      config: W2S_MNIST,
    },
    {
      id: 'w2s-no-concept',
      featured: true,
      title: 'Same size, no concept',
      lesson:
        'The same student on an encoder pretrained without labels (an autoencoder of the same 20,000 digits): just as big, but with no concept of digit to fall back on, it recovers almost none of the gap (PGR about 0).',
      papers: [PAPERS.burns],
      narrative: W2S_NO_CONCEPT_CAPTIONS,
      config: {
        ...W2S_MNIST,
        student: {
          ...W2S_MNIST.student,
          model: { ...W2S_MNIST.student.model, encoder: 'autoencoder' },
          // A faster probe than w2s-mnist's: these features are less linearly separable, and at 0.001 the ceiling
          // stays near 60%; at 0.01 it reaches about 85%, as the PyTorch measurement's did.
          train: { ...W2S_MNIST.student.train, learningRate: 0.01 },
        },
      },
    },
    {
      id: 'w2s-copying',
      featured: true,
      title: 'From scratch on 2-D: copies',
      lesson:
        "A bigger network trained from scratch on a weak supervisor's labels has nothing of its own to go on: it learns the supervisor's boundary, mistakes included.",
      papers: [PAPERS.burns],
      narrative: W2S_COPYING_CAPTIONS,
      config: {
        kind: 'weak-to-strong',
        seed: 1,
        data: { dataset: 'moons', supervisorSize: 200, transferSize: 2000, validationSize: 200, testSize: 1000, noise: 0.3 },
        weakLabels: { kind: 'soft', temperature: 1 },
        supervisor: { model: { type: 'linear' }, train: { learningRate: 0.05, batchSize: 32, epochs: 20, evalEvery: 10 } },
        student: {
          model: { type: 'mlp', width: 64, depth: 2, activation: 'relu', dropout: 0 },
          train: { learningRate: 0.01, batchSize: 64, epochs: 20, evalEvery: 20 },
          loss: { type: 'xent' },
        },
      },
    },
    {
      id: 'w2s-flips',
      title: 'Random errors: easy to beat',
      lesson:
        'A supervisor whose mistakes are random (31% of its labels flipped to another digit at random) is easy to beat: the student with latent knowledge sees through the noise and corrects almost 90% of them.',
      papers: [PAPERS.burns],
      narrative: W2S_FLIPS_CAPTIONS,
      config: { ...W2S_MNIST, supervisor: { ...W2S_MNIST.supervisor, source: { type: 'flips', rate: 0.314 } } },
    },
    {
      id: 'w2s-systematic',
      title: 'Systematic errors: copied',
      lesson:
        'A supervisor with the same error rate whose mistakes are systematic (every 0 labelled 1, every 1 labelled 2, every 2 labelled 3) gets copied: the same student learns the rule, mistakes and all, and beats almost none of them.',
      papers: [PAPERS.burns],
      narrative: W2S_SYSTEMATIC_CAPTIONS,
      config: { ...W2S_MNIST, supervisor: { ...W2S_MNIST.supervisor, source: { type: 'systematic', classes: 3 } } },
    },
    {
      id: 'w2s-early-stop',
      title: 'Overfitting weak labels: stop early',
      lesson:
        'A student that can memorise, trained long on hard weak labels, learns the truth first and the mistakes later: its test accuracy peaks and falls. A validation split labelled by the supervisor, never the truth, finds the early checkpoint.',
      papers: [PAPERS.burns],
      narrative: W2S_EARLY_STOP_CAPTIONS,
      config: {
        ...W2S_MNIST,
        data: { ...W2S_MNIST.data, transferSize: 1000 },
        weakLabels: { kind: 'hard', temperature: 1 },
        supervisor: { ...W2S_MNIST.supervisor, source: { type: 'flips', rate: 0.314 } },
        student: {
          model: { type: 'pretrained', encoder: 'supervised', mode: 'frozen', head: 'mlp', headWidth: 512 },
          train: { optimizer: 'adam', learningRate: 0.01, batchSize: 64, epochs: 100, evalEvery: 40 },
          loss: { type: 'xent' },
        },
      },
    },
  ],
});
