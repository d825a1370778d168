/**
 * Bootstrapping (Burns et al. 2023): weak -> link 1 -> ... -> student, each trained on the previous one's labels,
 * against the same student supervised directly. Everything about the kind but its tfjs runner (run.ts).
 */
import { z } from 'zod';
import { RoleSchema, seedField, StudentRoleSchema, transferData, versionField, weakLabelsField } from '../../config/blocks';
import type { StageInfo } from '../figures';
import { defineKind, roleModel, PAPERS } from '../kind';
import { checkTransferLoss, transferRows, W2S_MNIST, WEAK_LABEL_FIELDS } from '../weak-to-strong/spec';
import { BOOTSTRAP_CAPTIONS, bootstrapTakeaway } from './captions';
import { linkName } from './names';

/** Most intermediate links a chain may have. */
const MAX_LINKS = 3;

const schema = z.object({
  version: versionField(),
  kind: z.literal('bootstrap'),
  seed: seedField(),
  data: transferData(),
  weakLabels: weakLabelsField(),
  supervisor: RoleSchema.prefault({}),
  /** Intermediate models between the supervisor and the final student, smallest first. */
  chain: z
    .array(RoleSchema)
    .min(1)
    .max(MAX_LINKS)
    .prefault([{}])
    .describe(
      "Intermediate students (1 to 3), smallest first: each is trained on split B with the previous model's labels (soft or hard as weakLabels says) and labels the next.",
    ),
  /** The chain's end; the ceiling and the direct student are the same model trained on truth and on the weak labels. */
  student: StudentRoleSchema.prefault({}).describe("The final, largest model: the chain's end. Its loss trains every link and the direct student too."),
});
export type BootstrapConfig = z.output<typeof schema>;

/** The stages in the order they train: the supervisor, the ceiling and the direct student first, then the chain. */
function bootstrapStages(links: number): StageInfo[] {
  const linkInfo = (i: number): StageInfo => ({
    name: linkName(i),
    label: `Link ${i + 1}`,
    role: `trained on split B with ${i === 0 ? "the weak supervisor's" : `link ${i}'s`} labels; its labels train ${i + 1 < links ? `link ${i + 2}` : 'the final student'}`,
  });
  return [
    { name: 'weak', label: 'Weak supervisor', role: 'trained with ground truth on split A; its predictions label split B' },
    { name: 'ceiling', label: 'Strong ceiling', role: 'the final model trained with ground truth on split B: the best the student could do' },
    { name: 'direct', label: 'Direct student', role: "the final model trained straight on the weak supervisor's labels: what the chain competes with" },
    ...Array.from({ length: links }, (_, i) => linkInfo(i)),
    { name: 'student', label: "Chain's end", role: `the final model trained on split B with link ${links}'s labels: the end of the chain` },
  ];
}

export const bootstrap = defineKind({
  kind: 'bootstrap',
  schema,
  help: 'Bootstrapping: instead of supervising the strong student directly, the weak supervisor teaches a slightly bigger model, which teaches a bigger one, up to the student. Does the chain recover more of the gap than direct supervision?',
  stages: (config) => bootstrapStages(config.chain.length),
  roles: { supervisor: 'weak', student: 'student', lower: 'weak', upper: 'ceiling', gapName: 'PGR', students: ['student', 'direct'] },
  models: (config, data) => [
    roleModel(config, 'supervisor', data),
    ...config.chain.map((_, i) => roleModel(config, ['chain', String(i)], data)),
    roleModel(config, 'student', data),
  ],
  rowsNeeded: transferRows,
  check: (config, _data, issue) => checkTransferLoss('bootstrap', config.student.loss, issue),
  takeaway: bootstrapTakeaway,
  gallery: 'Weak-to-strong generalization',
  form: {
    dataExtras: WEAK_LABEL_FIELDS,
    cards: [
      { type: 'role', role: 'supervisor', title: 'Weak supervisor', blurb: 'Learns from split A with ground truth, then labels split B for the first link.' },
      { type: 'chain', path: 'chain', max: MAX_LINKS },
      {
        type: 'role',
        role: 'student',
        title: 'Strong student (end of the chain)',
        blurb: "Trained on the last link's labels; also trained on the weak labels directly, and on the truth (the ceiling), for comparison.",
        loss: true,
      },
    ],
  },
  presets: [
    {
      id: 'w2s-bootstrap',
      title: 'Bootstrapping: a chain of growing students',
      lesson:
        "A big student trained straight on weak labels learns their mistakes; a chain of growing students, each trained on the previous one's labels, hands it cleaner labels and recovers about twice as much of the gap.",
      papers: [PAPERS.burns],
      narrative: BOOTSTRAP_CAPTIONS,
      config: {
        kind: 'bootstrap',
        seed: 1,
        data: W2S_MNIST.data,
        weakLabels: { kind: 'hard', temperature: 1 },
        supervisor: W2S_MNIST.supervisor,
        chain: [
          { model: { type: 'pretrained', encoder: 'supervised', mode: 'frozen', head: 'linear' }, train: W2S_MNIST.student.train },
          { model: { type: 'pretrained', encoder: 'supervised', mode: 'frozen', head: 'mlp', headWidth: 64 }, train: W2S_MNIST.student.train },
        ],
        student: {
          model: { type: 'pretrained', encoder: 'supervised', mode: 'frozen', head: 'mlp', headWidth: 256 },
          train: W2S_MNIST.student.train,
          loss: { type: 'xent' },
        },
      },
    },
  ],
});
