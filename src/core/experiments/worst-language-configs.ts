/**
 * For tests: the slowest configs the schema accepts for the language kinds (see worst-configs.ts): the largest
 * character model, the most held-out text and the longest writing at every measurement, and the largest texts a
 * teacher scores or writes. Where a stage before the slow part would take minutes, it is shrunk.
 */
import { EVERY_STEP, QUICK, type WorstConfig } from './worst-configs';

/** The largest character model: 64-wide embeddings of the 32 characters, three hidden layers of 512 units. */
const LARGEST_CHAR = { embedding: 64, width: 512, depth: 3 } as const;
/** The smallest, for models that only have to be got through. */
const SMALLEST_CHAR = { embedding: 2, width: 8, depth: 1 } as const;
/** The most held-out text: 50,000 characters scored at every measurement. */
const MOST_HELD_OUT = { dataset: 'austen', testSize: 50000 } as const;
/** The least, for configs whose slow part is not a measurement. */
const LEAST_HELD_OUT = { dataset: 'austen', testSize: 100 } as const;
/** The longest writing after every measurement, and the shortest. */
const LONGEST_WRITING = { length: 400 } as const;
const SHORTEST_WRITING = { length: 10 } as const;

export const WORST_LANGUAGE_CONFIGS: WorstConfig[] = [
  {
    name: 'lm-distill: the teacher measured on 50,000 held-out characters',
    config: {
      kind: 'lm-distill',
      data: { ...MOST_HELD_OUT, textBudget: 200000 },
      student: { model: LARGEST_CHAR, train: EVERY_STEP },
      sampling: LONGEST_WRITING,
    },
    stop: { afterMs: 300, stage: 'teacher' },
  },
  {
    name: "lm-distill: the teacher's probabilities on a passage of 200,000 characters",
    config: {
      kind: 'lm-distill',
      data: { ...LEAST_HELD_OUT, textBudget: 200000 },
      student: { model: LARGEST_CHAR, train: EVERY_STEP },
      sampling: SHORTEST_WRITING,
    },
    stop: { afterMs: 300, stage: 'teacher', ended: true },
  },
  {
    name: 'lm-distill: the largest student measured on 50,000 held-out characters and writing 400 after every step',
    config: {
      kind: 'lm-distill',
      data: { ...MOST_HELD_OUT, textBudget: 1000 },
      student: { model: LARGEST_CHAR, train: EVERY_STEP },
      sampling: LONGEST_WRITING,
    },
    stop: { afterMs: 1500, stage: 'xent' },
  },
  {
    name: 'lm-distill: the teacher writing 200,000 characters for sequence-level KD, 20,000 continuations at a time',
    config: {
      kind: 'lm-distill',
      data: { ...LEAST_HELD_OUT, textBudget: 200000 },
      student: { model: SMALLEST_CHAR, train: QUICK },
      seqKd: { continuation: 10 },
      sampling: SHORTEST_WRITING,
    },
    stop: { afterMs: 300, stage: 'taid', ended: true },
  },
  {
    name: "lm-teacher-hacking: the oracle's probabilities on 50,000 held-out characters and the proxy's 100,000",
    config: {
      kind: 'lm-teacher-hacking',
      data: { ...MOST_HELD_OUT, teacherText: 100000, transferSize: 20000 },
      teacher: { model: LARGEST_CHAR, train: EVERY_STEP },
      student: { model: LARGEST_CHAR, train: { ...EVERY_STEP, epochs: 16 } },
      sampling: SHORTEST_WRITING,
    },
    stop: { afterMs: 300, stage: 'oracle', ended: true },
  },
  {
    name: 'lm-teacher-hacking: the largest proxy teacher measured on 50,000 held-out characters and writing 400 after every step',
    config: {
      kind: 'lm-teacher-hacking',
      data: { ...MOST_HELD_OUT, teacherText: 500, transferSize: 100 },
      teacher: { model: LARGEST_CHAR, train: EVERY_STEP },
      student: { model: LARGEST_CHAR, train: { ...EVERY_STEP, epochs: 1 } },
      sampling: LONGEST_WRITING,
    },
    stop: { afterMs: 1500, stage: 'teacher' },
  },
  {
    name: 'lm-teacher-hacking: the largest student measured with its proxy and golden distances on 70,000 characters after every step',
    config: {
      kind: 'lm-teacher-hacking',
      data: { ...MOST_HELD_OUT, teacherText: 500, transferSize: 20000 },
      teacher: { model: SMALLEST_CHAR, train: QUICK },
      student: { model: LARGEST_CHAR, train: { ...EVERY_STEP, epochs: 1 } },
      sampling: LONGEST_WRITING,
    },
    stop: { afterMs: 1500, stage: 'fixed' },
  },
  {
    name: 'lm-data-selection: the largest reference model measured on 50,000 held-out characters and writing 400 after every step',
    config: {
      kind: 'lm-data-selection',
      data: { ...MOST_HELD_OUT, referenceText: 100000, candidates: 300000, window: 100, keep: 1 },
      reference: { model: LARGEST_CHAR, train: EVERY_STEP },
      student: { model: LARGEST_CHAR, train: EVERY_STEP },
      sampling: LONGEST_WRITING,
    },
    stop: { afterMs: 1500, stage: 'reference' },
  },
  {
    name: 'lm-data-selection: the teacher and the largest reference model scoring 300,000 candidate characters',
    config: {
      kind: 'lm-data-selection',
      data: { ...LEAST_HELD_OUT, referenceText: 1000, candidates: 300000, window: 16, keep: 1 },
      reference: { model: LARGEST_CHAR, train: QUICK },
      student: { model: LARGEST_CHAR, train: EVERY_STEP },
      sampling: SHORTEST_WRITING,
    },
    stop: { afterMs: 300, stage: 'reference', ended: true },
  },
];
