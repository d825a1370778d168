/**
 * Never train the same model twice. A stage is decided by its model (spec and initial weights, which carry the
 * seed and the initialisation's RNG label), its training settings and loss, the rows and targets it trains on,
 * the sets it is measured on, the random streams its shuffling and dropout draw from, and the backend. The key is
 * made from exactly those (the tensors by their content), once, here, for every kind: kd-variants' teacher is
 * kd-mnist's when they agree on all of it; a sweep that changes only the student reuses its supervisor; a rerun
 * that changes only the student reuses everything before it.
 *
 * What is kept: the trained weights, the stage's result and every measurement it streamed (so a reused stage's
 * curve is drawn as it was). A reused stage is the same bits as retraining it: training is deterministic given
 * all of the above. Stores hold entries as plain data; what a store gives back is checked before it is used
 * (`readCachedStage`), so a damaged entry is retrained, never trusted.
 */
import { Sha256, toHex } from '../data/sha256';
import type { LossSpec, TrainSpec } from '../config/blocks';
import type { Model } from '../models/model';
import type { Rng } from '../rng';
import { tf, type Tensor } from '../tf';
import type { TrainingSet } from '../train';
import type { StageResult, StepEvent } from './figures';

/** Bump when training arithmetic changes: entries kept in a browser by an earlier version are then never read. */
export const STAGE_CACHE_VERSION = 1;

export interface CachedStage {
  version: typeof STAGE_CACHE_VERSION;
  /** The result as the stage computed it (its name, label and role are the reusing stage's own). */
  result: StageResult;
  /** The model's trainable weights after training, in order. */
  weights: { shape: number[]; values: Float32Array }[];
  /** Every measurement the stage streamed, in order. */
  steps: StepEvent[];
}

/** Where trained stages are kept: memory (the worker, Node), IndexedDB (the page), or both. */
export interface StageStore {
  /** The entry kept under `key`, as stored: unchecked (see readCachedStage). */
  get(key: string): Promise<unknown>;
  put(key: string, entry: CachedStage): Promise<void>;
}

/** Bytes an entry holds (weights and predictions), for a store's budget. */
export function cachedBytes(entry: CachedStage): number {
  const steps = entry.steps.reduce((sum, s) => sum + s.testPredictions.byteLength + (s.probePredictions?.byteLength ?? 0) + 100, 0);
  return entry.weights.reduce((sum, w) => sum + w.values.byteLength, 0) + steps + entry.result.testPredictions.byteLength * 3;
}

/** Entries in memory, the least recently used dropped first once they hold more than `budgetBytes`. */
export class MemoryStageStore implements StageStore {
  private readonly entries = new Map<string, { entry: CachedStage; bytes: number }>();
  private bytes = 0;

  constructor(private readonly budgetBytes = 256 * 2 ** 20) {}

  get(key: string): Promise<unknown> {
    const found = this.entries.get(key);
    if (found) {
      this.entries.delete(key);
      this.entries.set(key, found);
    }
    return Promise.resolve(found?.entry);
  }

  put(key: string, entry: CachedStage): Promise<void> {
    const bytes = cachedBytes(entry);
    const old = this.entries.get(key);
    if (old) this.bytes -= old.bytes;
    this.entries.delete(key);
    if (bytes <= this.budgetBytes) {
      this.entries.set(key, { entry, bytes });
      this.bytes += bytes;
    }
    for (const [oldest, { bytes: size }] of this.entries) {
      if (this.bytes <= this.budgetBytes) break;
      this.entries.delete(oldest);
      this.bytes -= size;
    }
    return Promise.resolve();
  }
}

/** A 64-bit hash of a typed array's bytes (two murmur3-style 32-bit lanes), as 16 hex digits. */
export function contentHash(values: Float32Array | Int32Array | Uint8Array): string {
  const words = new Uint32Array(values.buffer, values.byteOffset, values.byteLength >>> 2);
  let h1 = 0x243f6a88;
  let h2 = 0x85a308d3;
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    let k = Math.imul(w, 0xcc9e2d51);
    k = Math.imul((k << 15) | (k >>> 17), 0x1b873593);
    h1 ^= k;
    h1 = (Math.imul((h1 << 13) | (h1 >>> 19), 5) + 0xe6546b64) | 0;
    let j = Math.imul(w, 0x85ebca6b);
    j = Math.imul((j << 13) | (j >>> 19), 0xc2b2ae35);
    h2 ^= j;
    h2 = (Math.imul((h2 << 17) | (h2 >>> 15), 9) + 0x7feb352d) | 0;
  }
  // The bytes past the last whole word, then the length.
  for (let i = words.length * 4; i < values.byteLength; i++) h1 = Math.imul(h1 ^ (values as Uint8Array)[i], 0x01000193);
  const mix = (h: number) => {
    h ^= values.byteLength;
    h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
    h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
    return (h ^ (h >>> 16)) >>> 0;
  };
  return mix(h1).toString(16).padStart(8, '0') + mix(h2).toString(16).padStart(8, '0');
}

async function tensorHash(t: Tensor | undefined): Promise<string | null> {
  if (!t) return null;
  const values = (await t.data()) as Float32Array | Int32Array;
  return `${t.dtype}[${t.shape.join(',')}]:${contentHash(values)}`;
}

export interface StageKeyParts {
  model: Model;
  train: TrainSpec;
  loss: LossSpec;
  data: TrainingSet;
  test: { inputs: Tensor; labels: Tensor };
  validation?: { inputs: Tensor; labels: Tensor };
  grid?: Tensor;
  /** The run's generator and the stage's shuffle key: train() forks `${shuffleKey}:shuffle` and `:dropout` from it. */
  rng: Rng;
  shuffleKey: string;
  backend: string;
}

/** The key of a stage: a SHA-256 over everything that decides its numbers (see the top of this file). */
export async function stageKey(parts: StageKeyParts): Promise<string> {
  const streams = ['shuffle', 'dropout'].map((name) => {
    const fork = parts.rng.fork(`${parts.shuffleKey}:${name}`);
    return [fork.uint32(), fork.uint32()];
  });
  const description = {
    version: STAGE_CACHE_VERSION,
    tfjs: tf.version.tfjs,
    backend: parts.backend,
    model: parts.model.spec,
    initialWeights: await Promise.all(parts.model.trainable.map(tensorHash)),
    train: parts.train,
    loss: parts.loss,
    data: await Promise.all((['inputs', 'targets', 'teacherLogits', 'labelled'] as const).map((k) => tensorHash(parts.data[k]))),
    test: [await tensorHash(parts.test.inputs), await tensorHash(parts.test.labels)],
    validation: parts.validation ? [await tensorHash(parts.validation.inputs), await tensorHash(parts.validation.labels)] : null,
    grid: await tensorHash(parts.grid),
    streams,
  };
  return toHex(new Sha256().update(new TextEncoder().encode(JSON.stringify(description))).digest());
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isFiniteNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const classIndices = (v: unknown, length: number, classes: number) => v instanceof Int32Array && v.length === length && v.every((c) => c >= 0 && c < classes);

export interface CacheExpectation {
  /** Shapes of the model's trainable weights. */
  shapes: number[][];
  testCount: number;
  classes: number;
  gridCount: number | null;
  totalSteps: number;
}

/**
 * A stored entry checked against the stage that would reuse it: the version, every weight's shape and values
 * (finite float32), each measurement's numbers and predictions, the result's figures. Null for anything else.
 */
export function readCachedStage(value: unknown, expect: CacheExpectation): CachedStage | null {
  if (!isRecord(value) || value.version !== STAGE_CACHE_VERSION) return null;
  const { weights, steps, result } = value;
  if (!Array.isArray(weights) || weights.length !== expect.shapes.length) return null;
  const weightsOk = weights.every(
    (w, i) =>
      isRecord(w) &&
      Array.isArray(w.shape) &&
      w.shape.join() === expect.shapes[i].join() &&
      w.values instanceof Float32Array &&
      w.values.length === expect.shapes[i].reduce((a, b) => a * b, 1) &&
      w.values.every(Number.isFinite),
  );
  if (!weightsOk || !Array.isArray(steps) || steps.length === 0) return null;
  const stepsOk = steps.every(
    (s) =>
      isRecord(s) &&
      ['step', 'epoch', 'testAccuracy', 'learningRate'].every((k) => isFiniteNumber(s[k])) &&
      (isFiniteNumber(s.loss) || Number.isNaN(s.loss)) &&
      (s.validationAccuracy === null || isFiniteNumber(s.validationAccuracy)) &&
      (s.taidT === undefined || isFiniteNumber(s.taidT)) &&
      s.totalSteps === expect.totalSteps &&
      classIndices(s.testPredictions, expect.testCount, expect.classes) &&
      (expect.gridCount === null ? s.probePredictions === undefined : classIndices(s.probePredictions, expect.gridCount, expect.classes)),
  );
  if (!stepsOk || !isRecord(result)) return null;
  const numbersOk =
    ['accuracy', 'bestAccuracy', 'oracleBestAccuracy', 'ece', 'seconds', 'parameters', 'trainingExamples', 'bestStep', 'totalSteps', 'stepsRun'].every((k) =>
      isFiniteNumber(result[k]),
    ) &&
    typeof result.stoppedEarly === 'boolean' &&
    typeof result.model === 'string' &&
    typeof result.bestChosenBy === 'string' &&
    Array.isArray(result.history) &&
    result.history.length === steps.length &&
    classIndices(result.testPredictions, expect.testCount, expect.classes) &&
    classIndices(result.bestTestPredictions, expect.testCount, expect.classes) &&
    (expect.gridCount === null ? result.gridPredictions === undefined : classIndices(result.gridPredictions, expect.gridCount, expect.classes));
  return numbersOk ? (value as unknown as CachedStage) : null;
}
