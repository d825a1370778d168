/**
 * Presets: ready-made experiments, each with the one-line lesson it teaches. The configs are partial:
 * the schema fills every default, so a preset names only what makes it what it is.
 */
import { parseConfig, type ExperimentConfig, type ExperimentConfigInput } from './config';

export interface Preset {
  id: string;
  title: string;
  /** The one line a visitor should take away. */
  lesson: string;
  /** Captions a lecturer clicks through while the run plays. */
  narrative: string[];
  config: ExperimentConfigInput;
}

/** The default experiment; w2s-no-concept changes only the student's encoder. */
const W2S_MNIST = {
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
} satisfies ExperimentConfigInput;

/** Teacher, student and data of kd-mnist, which kd-variants distils in several ways. */
const KD_MNIST = {
  seed: 1,
  data: { dataset: 'mnist', trainSize: 10000, labelledSize: 1000, validationSize: 0, testSize: 2000 },
  teacher: {
    model: { type: 'mlp', width: 512, depth: 2, activation: 'relu', dropout: 0.2 },
    train: { optimizer: 'adam', learningRate: 0.001, batchSize: 64, epochs: 8, evalEvery: 50 },
  },
  student: {
    model: { type: 'mlp', width: 32, depth: 1, activation: 'relu', dropout: 0 },
    train: { optimizer: 'adam', learningRate: 0.003, batchSize: 64, epochs: 10, evalEvery: 50 },
  },
} as const;

export const PRESETS: Preset[] = [
  {
    id: 'w2s-mnist',
    title: 'Weak-to-strong (MNIST)',
    lesson:
      'A student with latent knowledge (an encoder pretrained on 20,000 other digits) trained only on a weak supervisor\'s labels recovers much of the gap to its ceiling: it beats its supervisor instead of copying it.',
    narrative: [
      'The weak supervisor (orange) is a linear model that sees only 100 labelled digits. It tops out near 70%.',
      'It labels 5,000 new digits for the strong student. Its labels are right about 70% of the time, and its mistakes are systematic.',
      'The strong ceiling (blue) is the same strong model trained on the true labels: the best the student could do.',
      'The student (green) learns only from the weak labels, yet it ends well above its supervisor. Watch PGR climb.',
      'Beat or copy: the student corrects about half of its supervisor\'s mistakes and copies about a third. Click "beats" to see them.',
      'Why? Its encoder was pretrained with labels on 20,000 other digits: the concept "digit" is already in its features.',
    ],
    config: W2S_MNIST,
  },
  {
    id: 'w2s-no-concept',
    title: 'Same size, no concept',
    lesson:
      'The same student on an encoder pretrained without labels (an autoencoder of the same 20,000 digits): just as big, but with no concept of digit to fall back on, it recovers almost none of the gap (PGR about 0).',
    narrative: [
      'Same supervisor, same labels, same student size. Only the student\'s encoder differs: it learned the images without labels.',
      'The ceiling is lower: with true labels this encoder still gets about 85%.',
      'Trained on the weak labels, the student lands at its supervisor\'s accuracy: PGR about 0.',
      'Beat or copy: it copies about 70% of its supervisor\'s mistakes. Size alone did not help; latent knowledge did.',
    ],
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
    title: 'From scratch on 2-D: copies',
    lesson:
      'A bigger network trained from scratch on a weak supervisor\'s labels has nothing of its own to go on: it learns the supervisor\'s boundary, mistakes included.',
    narrative: [
      'Two moons: the weak supervisor is a straight line, so it gets the tips of the moons wrong.',
      'The strong ceiling, a two-layer network trained on the truth, bends around the moons: almost 100%.',
      'The same network trained on the weak labels draws the supervisor\'s straight line instead.',
      'Decision regions side by side: supervisor and student agree almost everywhere. Copy rate: 100%.',
      'A network trained from scratch has nothing of its own to go on: it can only imitate.',
    ],
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
    id: 'kd-mnist',
    title: 'Distillation (MNIST)',
    lesson:
      'With ground truth for only 1,000 images, a small student distilled from a teacher over all 10,000 clearly beats the same student trained on its 1,000 labels; given the same labels as the teacher, distillation adds nothing at this scale.',
    narrative: [
      'The teacher (purple), a big network, trains on all 10,000 labelled digits and reaches about 95%.',
      'A small student trained on only 1,000 labels stalls near 85% (grey).',
      'The same student distilled from the teacher over all 10,000 images (green) reaches about 91%.',
      'The teacher\'s soft predictions carry its knowledge to the 9,000 images the student has no labels for.',
      'Given the same labels as the teacher, distillation adds nothing at this scale: its power is reaching unlabelled data.',
    ],
    config: { kind: 'distillation', ...KD_MNIST, student: { ...KD_MNIST.student, loss: { type: 'kd', temperature: 4, alpha: 0.9 } } },
  },
  {
    id: 'w2s-bootstrap',
    title: 'Bootstrapping: a chain of growing students',
    lesson:
      'A big student trained straight on weak labels learns their mistakes; a chain of growing students, each trained on the previous one\'s labels, hands it cleaner labels and recovers about twice as much of the gap.',
    narrative: [
      'The weak supervisor, a linear model that saw 100 labelled digits, labels 5,000 new digits with hard labels. About 70% of them are right.',
      'The final student is big: the pretrained encoder with a 256-unit MLP probe. Trained on the true labels (the ceiling) it reaches about 94%.',
      'Trained straight on the weak labels (direct), it is big enough to learn its supervisor\'s mistakes too: it copies about half of them.',
      'The chain starts small: a linear probe learns the weak labels. It cannot fit their mistakes, so its own labels come out cleaner than the ones it learned from.',
      'A 64-unit probe learns from those labels, then the 256-unit student from the 64-unit probe\'s: each step hands the next one cleaner labels.',
      'The chain plot: accuracy climbs link by link and ends well above the direct line, with about twice its PGR. Growing in small steps, the big model copies far less.',
    ],
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
  {
    id: 'w2s-losses',
    title: 'The student\'s loss: xent, logconf, product',
    lesson:
      'Against a supervisor that is confident in its mistakes, the auxiliary confidence loss (trust your own hardened predictions) copies fewer of them and recovers more of the gap than plain cross-entropy.',
    narrative: [
      'One weak supervisor, one strong ceiling, and three copies of the same strong student: same start, same labels, same data order. Only the loss differs.',
      'The weak labels are sharpened (temperature 0.5): the supervisor sounds sure of itself even where it is wrong.',
      'Cross-entropy (xent) learns the labels as given: it copies about a third of the supervisor\'s mistakes.',
      'The auxiliary confidence loss (logconf) mixes the student\'s own hardened predictions into the target, up to half of it after a 20% warm-up: it copies fewer mistakes and recovers more of the gap.',
      'The product loss weights the labels by the student\'s own belief (target proportional to p times y). With hard labels it would be plain cross-entropy: a one-hot label stays one-hot.',
      'The bar chart puts PGR and copy rate side by side; pick a student in the beat-or-copy matrix to see which mistakes each one copied.',
    ],
    config: {
      kind: 'loss-study',
      seed: 1,
      data: W2S_MNIST.data,
      weakLabels: { kind: 'soft', temperature: 0.5 },
      supervisor: W2S_MNIST.supervisor,
      student: { model: W2S_MNIST.student.model, train: W2S_MNIST.student.train },
      logconf: { aMax: 0.5, warmup: 0.2, schedule: 'paper' },
      product: { a: 1, b: 1 },
    },
  },
  {
    id: 'w2s-flips',
    title: 'Random errors: easy to beat',
    lesson:
      'A supervisor whose mistakes are random (31% of its labels flipped to another digit at random) is easy to beat: the student with latent knowledge sees through the noise and corrects almost 90% of them.',
    narrative: [
      'No trained supervisor this time: the labels are the truth, with 31.4% of them flipped to another digit at random. Its accuracy on test: 68.6%, about the linear supervisor\'s.',
      'The student is the one of the default experiment: a linear probe on an encoder pretrained with labels on other digits.',
      'Random mistakes point every which way: for each digit, most of its labels still say the right thing, and the student follows the majority.',
      'It ends near 88%, close to its ceiling: PGR about 0.8.',
      'Beat or copy: it corrects almost 90% of its supervisor\'s mistakes and copies about 1%. Compare with w2s-systematic: the same error rate, a different kind of error.',
    ],
    config: { ...W2S_MNIST, supervisor: { ...W2S_MNIST.supervisor, source: { type: 'flips', rate: 0.314 } } },
  },
  {
    id: 'w2s-systematic',
    title: 'Systematic errors: copied',
    lesson:
      'A supervisor with the same error rate whose mistakes are systematic (every 0 labelled 1, every 1 labelled 2, every 2 labelled 3) gets copied: the same student learns the rule, mistakes and all, and beats almost none of them.',
    narrative: [
      'Again no trained supervisor: the labels are the truth, except that digits 0, 1 and 2 are always labelled as the next digit. Its accuracy on test: 68.6%, the same as the random flips.',
      'The same student as before, the same data: only the kind of mistake differs.',
      'This time the mistakes are consistent: "a 2 is called 3" is as easy a rule to learn as "a 4 is called 4", and the student has no way to tell them apart.',
      'It learns the rule, mistakes included, and ends below its supervisor: PGR below 0.',
      'Beat or copy: it copies about 96% of its supervisor\'s mistakes and beats almost none. Random errors are easy to beat; systematic ones get copied.',
    ],
    config: { ...W2S_MNIST, supervisor: { ...W2S_MNIST.supervisor, source: { type: 'systematic', classes: 3 } } },
  },
  {
    id: 'w2s-early-stop',
    title: 'Overfitting weak labels: stop early',
    lesson:
      'A student that can memorise, trained long on hard weak labels, learns the truth first and the mistakes later: its test accuracy peaks and falls. A validation split labelled by the supervisor, never the truth, finds the early checkpoint.',
    narrative: [
      'The supervisor of w2s-flips (31.4% of labels flipped at random) labels only 1,000 digits this time.',
      'The student can memorise: the pretrained encoder with a 512-unit MLP probe, trained for 100 epochs at a high learning rate.',
      'Early on it learns what most labels agree on, the true digits: test accuracy climbs to about 90% within the first epochs.',
      'Then it memorises the flipped labels one by one, and test accuracy falls, ending below its supervisor.',
      'Best checkpoint: chosen on 500 validation digits labelled by the same supervisor, never with the truth. The student agrees most with those noisy labels when it is most often right, so the choice lands early.',
      'The checkpoints chart: final, best on the weak-labelled validation split, and the oracle (best on test, grey: no one could choose it in practice). Best is close to the oracle and far above final.',
    ],
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
  {
    id: 'random-teacher',
    title: 'Random teachers are good teachers',
    lesson:
      'A student that imitates a random, never-trained network, without a single label, ends with better features than the network it imitates: a linear probe on its hidden layer beats the same probe on the teacher\'s.',
    narrative: [
      'The teacher is a network that was never trained: 784-128-128, random weights, frozen.',
      'A linear probe, trained on 500 labelled digits, reads the teacher\'s hidden layer: about 72% on test. That is what random features are worth (dashed line).',
      'The student has the same architecture and starts near the teacher (teacher + 0.1 x random weights). It learns, without labels, to match the teacher\'s sharpened output distribution on 5,000 digits.',
      'Every 20 steps the same probe is trained on the student\'s hidden layer. It climbs above the dashed line within the first steps and stays there: about 5 points better.',
      'Imitating noise taught the student something about the data: its features organise the digits better than the random ones it copied.',
      'Try the eps slider: at this width an independent start (eps 0) gains about as much; the paper finds that starting near the teacher amplifies the effect.',
    ],
    config: {
      kind: 'random-teacher',
      seed: 1,
      data: { dataset: 'mnist', trainSize: 5000, probeSize: 500, validationSize: 0, testSize: 2000 },
      teacher: { model: { type: 'mlp', width: 128, depth: 1, activation: 'relu', dropout: 0 } },
      outputDim: 128,
      teacherTemperature: 0.05,
      initNearTeacher: 0.1,
      student: { train: { optimizer: 'adam', learningRate: 0.003, batchSize: 64, epochs: 3 } },
      probe: { optimizer: 'adam', learningRate: 0.01, batchSize: 100, epochs: 30 },
      probeEvery: 20,
    },
  },
  {
    id: 'kd-variants',
    title: 'Distillation variants (MNIST)',
    lesson:
      'With ground truth for only 1,000 images, the same small student distilled from one teacher with forward KL, reverse KL or TAID closes most of the gap to the teacher; how it is distilled matters far less than that it is.',
    narrative: [
      'The teacher (purple), a big network, trains on all 10,000 labelled digits and reaches about 95%.',
      'The student alone, a 784-32-10 network, trains on only 1,000 of them and stalls near 85%.',
      'Forward KL (Hinton KD, T = 4): the same student, same initial weights, learns the teacher\'s softened predictions on all 10,000 images.',
      'Reverse KL(student || teacher) seeks the teacher\'s main mode instead of covering all of its mass.',
      'TAID: the target starts as a mix of the student\'s own predictions and the teacher\'s, and moves towards the teacher as training goes. Its t chart: t starts at 0.4, runs ahead of its linear floor while the loss falls, and reaches 1.',
      'The temperature sweep: the forward-KL student distilled again at T = 1, 2, 4 and 8, against the student alone and the teacher (dashed). At this scale the temperature hardly matters: every point lies within a point or so of 91.5%.',
      'The bars: every variant lands far above the student alone and closes 45-77% of the gap to the teacher; TAID a little more than forward KL, reverse KL a little less. The teacher\'s knowledge reaches the 9,000 images the student has no labels for.',
    ],
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
  {
    id: 'teacher-hacking',
    title: 'Teacher hacking (2-D)',
    lesson:
      'Distilled over and over on one small fixed set, a student keeps getting closer to its imperfect teacher while drifting away from the truth behind it; the same number of steps on fresh points ends about twice as close to the truth.',
    narrative: [
      'The oracle (the truth) is a random network: every point gets a probability for each of 4 classes. Accuracy is measured against its most likely class.',
      'The teacher sees only 100 points, each with a class drawn from the oracle, and learns them by heart: an imperfect copy of the oracle.',
      'A small student learns the teacher\'s probabilities on one fixed set of 64 points, 300 times over (red), or on 64 new points every epoch, 19,200 in all (blue): the same 600 steps.',
      'Distances on 1,000 held-out points: the proxy (dashed) is how far the student is from the teacher, the golden distance (solid) how far it is from the oracle.',
      'Fixed set: the proxy keeps falling, but after the first few dozen steps the golden distance turns and climbs to several times its minimum. The student is learning the teacher\'s quirks, not the truth: teacher hacking.',
      'Fresh points: the student ends nearer the teacher and about twice as near the oracle; it even beats its teacher\'s accuracy (about 65% against 47%). It drifts too, more slowly, as it picks up the teacher\'s own mistakes.',
      'Watching only the proxy, you would never see it. Fresh data (or more of it) is the remedy the paper found.',
    ],
    config: {
      kind: 'teacher-hacking',
      seed: 1,
      oracle: { width: 64, depth: 3, numClasses: 4, temperature: 0.3 },
      data: { dataset: 'gaussians', noise: 0.5, teacherSize: 100, transferSize: 64, validationSize: 0, testSize: 1000 },
      teacher: {
        model: { type: 'mlp', width: 64, depth: 2, activation: 'relu', dropout: 0 },
        train: { optimizer: 'adam', learningRate: 0.01, batchSize: 32, epochs: 200, evalEvery: 50 },
      },
      student: {
        model: { type: 'mlp', width: 16, depth: 1, activation: 'tanh', dropout: 0 },
        train: { optimizer: 'adam', learningRate: 0.01, batchSize: 32, epochs: 300, evalEvery: 20 },
      },
    },
  },
];

export const DEFAULT_PRESET_ID = 'w2s-mnist';

export function findPreset(id: string): Preset {
  const preset = PRESETS.find((p) => p.id === id);
  if (!preset) throw new Error(`unknown preset "${id}"; presets: ${PRESETS.map((p) => p.id).join(', ')}`);
  return preset;
}

/** A preset's config, validated with every default filled in. */
export function presetConfig(id: string): ExperimentConfig {
  return parseConfig(findPreset(id).config);
}
