/**
 * Distillation variants (shared/METHODS.md section 3): one teacher, the student alone on its labelled subset,
 * then the same student distilled with forward KL (Hinton KD), reverse KL and TAID, and forward-KL students at
 * each temperature of a sweep. Everything about the kind but its tfjs runner (run.ts).
 */
import { z } from 'zod';
import { distillationData, KD_PARAMS, num, RoleSchema, seedField, TAID_PARAMS, versionField } from '../../config/blocks';
import type { StageInfo } from '../figures';
import { checkLabelledSize, distillationRows, KD_MNIST, KD_STAGES } from '../distillation/spec';
import { defineKind, roleModel, PAPERS } from '../kind';
import { KD_VARIANTS_CAPTIONS, kdVariantsTakeaway } from './captions';
import { sweepStageName, sweepTemperatures } from './sweep';

const schema = z.object({
  version: versionField(),
  kind: z.literal('kd-variants'),
  seed: seedField(),
  data: distillationData(),
  teacher: RoleSchema.prefault({}),
  student: RoleSchema.prefault({}),
  ...KD_PARAMS,
  taid: z.object(TAID_PARAMS).prefault({}),
  temperatureSweep: z
    .array(num(0.1, 50, 1, 'A temperature of the sweep.'))
    .max(6)
    .default([1, 2, 4, 8])
    .describe('Temperatures at which forward-KL students are distilled for the accuracy-against-T plot (empty: no sweep).'),
});
export type KdVariantsConfig = z.output<typeof schema>;

function kdVariantStages(config: KdVariantsConfig): StageInfo[] {
  const T = config.temperature;
  return [
    KD_STAGES[0],
    KD_STAGES[1],
    { name: 'kd', label: 'Forward KL (Hinton KD)', role: `the student distilled with forward KL(teacher || student) at T = ${T}: mode-covering` },
    { name: 'reverse-kl', label: 'Reverse KL', role: `the student distilled with reverse KL(student || teacher) at T = ${T}: mode-seeking` },
    { name: 'taid', label: 'TAID', role: "the student distilled towards a target that moves from its own predictions to the teacher's" },
    ...sweepTemperatures(config)
      .filter((t) => t !== T)
      .map((t) => ({ name: sweepStageName(t), label: `Forward KL, T = ${t}`, role: `the student distilled with forward KL at T = ${t} (temperature sweep)` })),
  ];
}

export const kdVariants = defineKind({
  kind: 'kd-variants',
  schema,
  help: 'One teacher, one student, four ways to distil: forward KL (Hinton), reverse KL, TAID, and forward KL across temperatures.',
  stages: kdVariantStages,
  roles: { supervisor: 'teacher', student: 'kd', lower: 'baseline', upper: 'teacher', gapName: 'gap closed', students: ['kd', 'reverse-kl', 'taid'] },
  models: (config, data) => [roleModel(config, 'teacher', data), roleModel(config, 'student', data)],
  rowsNeeded: distillationRows,
  check: (config, _data, issue) => checkLabelledSize(config, issue),
  takeaway: kdVariantsTakeaway,
  gallery: 'Knowledge distillation',
  form: {
    cards: [
      { type: 'role', role: 'teacher', title: 'Teacher', blurb: 'Trained with ground truth on every training image.' },
      {
        type: 'role',
        role: 'student',
        title: 'Student',
        blurb: 'Trained on its labelled images alone (baseline), then distilled from the teacher by each method.',
      },
      {
        type: 'fields',
        id: 'kd-settings',
        title: 'Distillation',
        fields: [{ path: ['temperature'] }, { path: ['alpha'] }, { path: ['temperatureSweep'], control: 'list' }],
      },
      { type: 'settings', path: ['taid'], title: 'TAID', blurb: 'The target moves from the student towards the teacher as training goes.' },
    ],
  },
  presets: [
    {
      id: 'kd-variants',
      title: 'Distillation variants (MNIST)',
      lesson:
        'With ground truth for only 1,000 images, the same small student distilled from one teacher with forward KL, reverse KL or TAID closes most of the gap to the teacher; how it is distilled matters far less than that it is.',
      papers: [PAPERS.hinton, PAPERS.minillm, PAPERS.taid],
      narrative: KD_VARIANTS_CAPTIONS,
      config: {
        kind: 'kd-variants',
        ...KD_MNIST,
        temperature: 4,
        alpha: 0.9,
        // Ten times TAID's default step size: over 1,570 steps the default barely leaves the linear floor.
        taid: { tStart: 0.4, tEnd: 1, alphaT: 0.005, beta: 0.99 },
        temperatureSweep: [1, 2, 4, 8],
      },
    },
  ],
});
