/**
 * For tests: the slowest configs the schema accepts, one or more per kind: every size at its largest, the widest
 * and deepest models the memory limits allow, batch 1 and a measurement (or probe) after every step, the longest
 * probes. Nothing here is shipped to visitors; the stop tests (stop-latency.test.ts, e2e/stop.spec.ts) time Stop
 * on them.
 */
import type { ExperimentConfigInput } from '../config/schema';

/** The widest and deepest MLP in range. */
const WIDEST = { type: 'mlp', width: 1024, depth: 4, activation: 'relu', dropout: 0 } as const;
/** The largest CNN the memory limits allow on 28x28 images (22 and 44 filters, a 256-unit dense layer). */
const LARGEST_CNN = { type: 'cnn', filters: 22, denseWidth: 256 } as const;
/** One example per step, a measurement after every step, the most epochs. */
export const EVERY_STEP = { optimizer: 'adam', learningRate: 1e-3, batchSize: 1, epochs: 500, evalEvery: 1 } as const;
/** Toy data at its largest: 20,000 generated training points and 20,000 test points. */
const TOY = { dataset: 'moons', testSize: 20000, validationSize: 5000 } as const;
/** MNIST at its largest: all 10,000 training images and 2,000 test images. */
const MNIST = { dataset: 'mnist', testSize: 2000, validationSize: 5000 } as const;
/** Training over in a step or two, for the stages before the slow part: they only have to be got through. */
export const QUICK = { optimizer: 'adam', learningRate: 1e-3, batchSize: 1024, epochs: 1, evalEvery: 10000 } as const;

export interface WorstConfig {
  name: string;
  config: ExperimentConfigInput;
  /**
   * When the stop is sent: this long after the named stage starts (with `measured`, after its first measurement;
   * with `ended`, after it ends, for work between two stages: scoring, selection, a fit).
   */
  stop: { afterMs: number; stage: string; measured?: boolean; ended?: boolean };
}

export const WORST_CONFIGS: WorstConfig[] = [
  {
    name: 'weak-to-strong, 2-D data: 25,000 points and a decision grid measured after every step of the widest MLP',
    config: {
      kind: 'weak-to-strong',
      data: { ...TOY, supervisorSize: 2, transferSize: 14998 },
      supervisor: { model: WIDEST, train: EVERY_STEP },
      student: { model: WIDEST, train: EVERY_STEP, loss: { type: 'logconf' } },
    },
    stop: { afterMs: 1500, stage: 'weak' },
  },
  {
    name: 'weak-to-strong, MNIST: 7,000 images measured after every step of the widest MLP',
    config: {
      kind: 'weak-to-strong',
      data: { ...MNIST, supervisorSize: 100, transferSize: 4900 },
      supervisor: { model: WIDEST, train: EVERY_STEP },
      student: { model: WIDEST, train: EVERY_STEP },
    },
    stop: { afterMs: 1500, stage: 'weak' },
  },
  {
    name: 'weak-to-strong, MNIST: the largest CNN measured on 7,000 images',
    config: {
      kind: 'weak-to-strong',
      data: { ...MNIST, supervisorSize: 100, transferSize: 4900 },
      supervisor: { model: { type: 'linear' }, train: { batchSize: 100, epochs: 1, evalEvery: 1 } },
      student: { model: LARGEST_CNN, train: EVERY_STEP },
    },
    stop: { afterMs: 400, stage: 'ceiling' },
  },
  {
    name: 'weak-to-strong, MNIST: a fine-tuned encoder with the widest head, every step',
    config: {
      kind: 'weak-to-strong',
      data: { ...MNIST, supervisorSize: 100, transferSize: 4900 },
      supervisor: { model: { type: 'pretrained', mode: 'finetune', head: 'mlp', headWidth: 512 }, train: EVERY_STEP },
      student: { model: { type: 'pretrained', mode: 'finetune', head: 'mlp', headWidth: 512 }, train: EVERY_STEP },
    },
    stop: { afterMs: 1000, stage: 'weak' },
  },
  {
    name: 'bootstrap: three links of the widest MLP, every step',
    config: {
      kind: 'bootstrap',
      data: { ...TOY, supervisorSize: 2, transferSize: 14998 },
      supervisor: { model: { type: 'linear' }, train: { batchSize: 2, epochs: 1, evalEvery: 1 } },
      chain: [
        { model: WIDEST, train: EVERY_STEP },
        { model: WIDEST, train: EVERY_STEP },
        { model: WIDEST, train: EVERY_STEP },
      ],
      student: { model: WIDEST, train: EVERY_STEP },
    },
    stop: { afterMs: 1500, stage: 'ceiling' },
  },
  {
    name: 'loss study: the widest MLP, every step',
    config: {
      kind: 'loss-study',
      data: { ...TOY, supervisorSize: 2, transferSize: 14998 },
      supervisor: { model: WIDEST, train: EVERY_STEP },
      student: { model: WIDEST, train: EVERY_STEP },
    },
    stop: { afterMs: 1500, stage: 'weak' },
  },
  {
    name: 'distillation: the widest teacher and student, TAID, every step',
    config: {
      kind: 'distillation',
      data: { ...MNIST, trainSize: 5000, labelledSize: 5000 },
      teacher: { model: WIDEST, train: EVERY_STEP },
      student: { model: WIDEST, train: EVERY_STEP, loss: { type: 'taid' } },
    },
    stop: { afterMs: 1500, stage: 'teacher' },
  },
  {
    name: 'distillation variants: the widest models, six temperatures, every step',
    config: {
      kind: 'kd-variants',
      data: { ...MNIST, trainSize: 5000, labelledSize: 5000 },
      teacher: { model: WIDEST, train: EVERY_STEP },
      student: { model: WIDEST, train: EVERY_STEP },
      temperatureSweep: [0.1, 1, 2, 8, 20, 50],
    },
    stop: { afterMs: 1500, stage: 'teacher' },
  },
  {
    name: 'random teacher: a probe of 500 epochs at batch 1 on 14,998 examples of the widest 1,024-output MLP, probed every step',
    config: {
      kind: 'random-teacher',
      data: { ...TOY, trainSize: 2, probeSize: 14998 },
      teacher: { model: WIDEST },
      outputDim: 1024,
      student: { train: { batchSize: 1, epochs: 500 } },
      probe: { batchSize: 1, epochs: 500 },
      probeEvery: 1,
    },
    stop: { afterMs: 1500, stage: 'teacher' },
  },
  {
    name: 'random teacher: a probe of 500 epochs at batch 1 on 14,998 examples (the probe trains, nothing yields on its own)',
    config: {
      kind: 'random-teacher',
      data: { ...TOY, trainSize: 2, probeSize: 14998 },
      teacher: { model: { ...WIDEST, width: 16, depth: 1 } },
      probe: { batchSize: 1, epochs: 500 },
      probeEvery: 1,
    },
    stop: { afterMs: 1500, stage: 'teacher' },
  },
  {
    name: 'teacher hacking: the largest oracle on 20,000 points, the widest teacher, measured every step',
    config: {
      kind: 'teacher-hacking',
      oracle: { width: 256, depth: 4, numClasses: 10 },
      data: { dataset: 'gaussians', testSize: 20000, validationSize: 5000, teacherSize: 4000, transferSize: 22 },
      teacher: { model: WIDEST, train: EVERY_STEP },
      student: { model: WIDEST, train: EVERY_STEP },
    },
    stop: { afterMs: 1500, stage: 'teacher' },
  },
  {
    name: 'teacher hacking: proxy and golden distances of the widest student on 20,000 points after every step',
    config: {
      kind: 'teacher-hacking',
      oracle: { width: 256, depth: 4, numClasses: 10 },
      data: { dataset: 'gaussians', testSize: 20000, validationSize: 5000, teacherSize: 4000, transferSize: 22 },
      teacher: { model: { ...WIDEST, width: 64, depth: 2 }, train: { batchSize: 1024, epochs: 1, evalEvery: 10000 } },
      student: { model: WIDEST, train: EVERY_STEP },
    },
    stop: { afterMs: 1500, stage: 'fixed' },
  },
  {
    name: 'ensemble: seven supervisors and two students of the widest MLP on their own pixel views, every step',
    config: {
      kind: 'ensemble',
      data: { ...MNIST, supervisorSize: 100, transferSize: 3000, controlSize: 1900 },
      members: { count: 7, diversity: 'pixels', viewShare: 1 },
      supervisor: { model: WIDEST, train: EVERY_STEP },
      student: { model: WIDEST, train: EVERY_STEP },
    },
    stop: { afterMs: 1500, stage: 'member-1' },
  },
  {
    name: 'deception: three supervisors, the widest student, intermediate and chain, every step',
    config: {
      kind: 'deception',
      data: { ...MNIST, supervisorSize: 4000, transferSize: 1000 },
      supervisorSizes: [2, 400, 4000],
      supervisor: { model: WIDEST, train: EVERY_STEP },
      student: { model: WIDEST, train: EVERY_STEP },
      intermediate: { model: WIDEST, train: EVERY_STEP },
    },
    stop: { afterMs: 1500, stage: 'weak' },
  },
  {
    name: 'hard-vs-easy: 26 students of the widest MLP on 5,000 images, every step',
    config: {
      kind: 'hard-vs-easy',
      data: { ...MNIST, trainSize: 5000 },
      errorRates: [0.1, 0.5, 0.7, 0.9],
      student: { model: WIDEST, train: EVERY_STEP },
    },
    stop: { afterMs: 1500, stage: 'clean' },
  },
  {
    name: 'weak-labelers: 12 functions of the widest MLP on 2,000 images, every step, Dawid-Skene over 7,000 unlabelled examples',
    config: {
      kind: 'weak-labelers',
      data: { ...MNIST, validationSize: 0, functionSize: 2000, unlabelledSize: 7000, labelledSize: 1000 },
      functions: Array.from({ length: 12 }, () => 1),
      iterations: 200,
      labeller: { model: WIDEST, train: EVERY_STEP },
      student: { model: WIDEST, train: EVERY_STEP },
    },
    stop: { afterMs: 1500, stage: 'lf-1' },
  },
  {
    name: 'weak-labelers: Dawid-Skene, 200 EM iterations over the votes of 12 functions on 9,000 unlabelled images',
    config: {
      kind: 'weak-labelers',
      data: { ...MNIST, validationSize: 0, functionSize: 100, unlabelledSize: 9000, labelledSize: 900 },
      functions: Array.from({ length: 12 }, () => 0.5),
      iterations: 200,
      labeller: { model: { type: 'linear' }, train: { optimizer: 'adam', learningRate: 1e-3, batchSize: 100, epochs: 1, evalEvery: 1 } },
    },
    stop: { afterMs: 300, stage: 'dawid-skene' },
  },
  {
    name: 'feature distillation: the widest teacher on 5,000 images, measured after every step',
    config: {
      kind: 'feature-kd',
      data: { ...MNIST, trainSize: 5000, labelledSize: 5000 },
      teacher: { model: WIDEST, train: EVERY_STEP },
      student: { model: WIDEST, train: EVERY_STEP },
    },
    stop: { afterMs: 1500, stage: 'teacher' },
  },
  {
    name: 'feature distillation: linear CKA between two hidden layers of 1,024 units on 2,000 test images',
    config: {
      kind: 'feature-kd',
      data: { ...MNIST, validationSize: 0, trainSize: 1024, labelledSize: 1024 },
      // The hidden layers' width is what the products cost; one layer gets there sooner.
      teacher: { model: { ...WIDEST, depth: 1 }, train: QUICK },
      student: { model: { ...WIDEST, depth: 1 }, train: QUICK },
    },
    // The products start about 0.4 s after the student alone ends here (its and the teacher's hidden layers first).
    stop: { afterMs: 500, stage: 'baseline', ended: true },
  },
  {
    name: 'poisoned teacher: the widest teacher measured after every step, with its attack success on 2,000 triggered images',
    config: {
      kind: 'poisoned-teacher',
      data: { ...MNIST, trainSize: 5000 },
      poison: { count: 1000, target: 0, patchSize: 8, transferTriggered: 1000 },
      teacher: { model: WIDEST, train: EVERY_STEP },
      student: { model: WIDEST, train: EVERY_STEP },
    },
    stop: { afterMs: 1500, stage: 'clean-teacher' },
  },
  {
    name: 'know what they know: the widest P(IK) head on 1,024 hidden units, measured with its AUROC in and out of distribution after every step',
    config: {
      kind: 'know-what-they-know',
      data: { ...MNIST, oodDataset: 'fashion-mnist', oodSize: 2000, trainSize: 100, calibrationSize: 4900 },
      // The classifier's width is the head's input; its depth only delays the head.
      student: { model: { ...WIDEST, depth: 1 }, train: { ...QUICK, batchSize: 100 } },
      pik: { model: WIDEST, train: EVERY_STEP },
    },
    stop: { afterMs: 1500, stage: 'pik' },
  },
  {
    name: 'model update: the widest new model on 2-D data, measured with its flips on 20,000 points after every step',
    config: {
      kind: 'model-update',
      data: { ...TOY, dataset: 'gaussians', oldSize: 2, newSize: 14998 },
      old: { model: { type: 'linear' }, train: { batchSize: 2, epochs: 1, evalEvery: 1 } },
      new: { model: WIDEST, train: EVERY_STEP },
    },
    stop: { afterMs: 1500, stage: 'new' },
  },
  {
    name: 'teacher intervention: the widest teacher on 2-D data, measured after every step',
    config: {
      kind: 'teacher-intervention',
      data: { ...TOY, dataset: 'gaussians', trainSize: 9998, labelledSize: 9998, observedSize: 5000 },
      teacher: { model: WIDEST, train: EVERY_STEP },
      student: { model: WIDEST, train: EVERY_STEP },
    },
    stop: { afterMs: 1500, stage: 'teacher' },
  },
  {
    name: "teacher intervention: the mental model's 5,000 gradient steps over 5,000 observed images",
    config: {
      kind: 'teacher-intervention',
      data: { ...MNIST, validationSize: 0, trainSize: 100, labelledSize: 100, observedSize: 5000 },
      teacher: { model: { type: 'linear' }, train: { ...QUICK, batchSize: 100 } },
      student: { model: { type: 'linear' }, train: { ...QUICK, batchSize: 100 } },
      budgets: [0, 1, 2, 5, 10, 20, 30, 40, 50, 75, 90, 100],
      mentalModel: { l2: 0.01, steps: 5000, learningRate: 0.5 },
    },
    stop: { afterMs: 300, stage: 'student', ended: true },
  },
  {
    name: 'active distillation: the widest teacher on 2-D data, measured after every step',
    config: {
      kind: 'active-distillation',
      data: { ...TOY, dataset: 'gaussians', teacherSize: 7500, poolSize: 7500 },
      teacher: { model: WIDEST, train: EVERY_STEP },
      student: { model: WIDEST, train: { optimizer: 'adam', learningRate: 1e-3, batchSize: 1, steps: 20000, evalEvery: 1 } },
    },
    stop: { afterMs: 1500, stage: 'teacher' },
  },
  {
    name: 'active distillation: greedy k-center choosing 19,997 of 19,998 pool points',
    config: {
      kind: 'active-distillation',
      data: { ...TOY, dataset: 'gaussians', validationSize: 0, teacherSize: 2, poolSize: 19998 },
      teacher: { model: { type: 'linear' }, train: { batchSize: 2, epochs: 1, evalEvery: 1 } },
      student: { model: { type: 'linear' }, train: { batchSize: 1, steps: 1, evalEvery: 1 } },
      seedSize: 1,
      budgets: [20000],
    },
    stop: { afterMs: 300, stage: 'seed', ended: true },
  },
  {
    name: 'progressive distillation: the widest teacher and five links on 2-D data, measured after every step',
    config: {
      kind: 'progressive-kd',
      data: { ...TOY, trainSize: 15000, labelledSize: 15000 },
      teacher: { model: WIDEST, train: EVERY_STEP },
      chain: Array.from({ length: 5 }, () => ({ model: WIDEST, train: EVERY_STEP })),
    },
    stop: { afterMs: 1500, stage: 'teacher' },
  },
];

/**
 * The largest training step the schema accepts: the widest MLP on a batch of 1,024 MNIST images. One step is a
 * few seconds of wasm on a slow machine and cannot be split without changing the numbers: the run stops after
 * it, and the page shows it stopped before that (src/worker/client.ts).
 */
export const LARGEST_STEP: WorstConfig = {
  name: 'the widest MLP at batch 1,024: one training step is the longest thing that cannot be interrupted',
  config: {
    kind: 'weak-to-strong',
    data: { ...MNIST, validationSize: 0, supervisorSize: 5000, transferSize: 5000 },
    supervisor: { model: WIDEST, train: { ...EVERY_STEP, batchSize: 1024, evalEvery: 10000 } },
    student: { model: WIDEST, train: EVERY_STEP },
  },
  stop: { afterMs: 200, stage: 'weak', measured: true },
};
