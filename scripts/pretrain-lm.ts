/**
 * Pretrains the language experiments' teacher and writes public/models/austen-teacher.{json,bin}: a character MLP
 * (32 characters of context, 16-dimensional embeddings, two hidden layers of 256) trained with cross-entropy on
 * the corpus's teacher part (four novels), which no experiment's student reads. Each step draws a batch of
 * positions from that text with the seeded RNG. The manifest records every setting, the mean loss and the
 * held-out bits per character after each epoch (1,000 steps), the bits per character on the whole held-out novel,
 * and the weights' sha256.
 *
 * Deterministic: seeded initialisation and batches on the wasm backend, so a rerun writes the same bytes. Reads the
 * corpus from public/datasets (npm run build-corpus), so it needs no Debian package.
 *
 * Usage: npm run pretrain-lm   (about 15 minutes on two cores)
 */
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TrainSpec } from '../src/core/config/blocks';
import { meanCrossEntropyBits } from '../src/core/evaluate';
import { charModelParameters, LANGUAGE_CONTEXT, type CharModelSpec } from '../src/core/language/blocks';
import { buildCharModel, charModelDescription, readCharWeights } from '../src/core/language/char-model';
import { loadCorpus, type Corpus } from '../src/core/language/corpus';
import { TEACHER_ID, type CharTeacherManifest } from '../src/core/language/teacher';
import { examplesAt, positionsOf, samplePositions } from '../src/core/language/text-data';
import { softCrossEntropy } from '../src/core/losses';
import { createOptimizer } from '../src/core/optimizer';
import { createRng } from '../src/core/rng';
import { tf, type Scalar, type Tensor2D } from '../src/core/tf';
import { learningRateAt } from '../src/core/train';
import { nodeAssetSource } from '../src/node/node-assets';
import { startNodeBackend } from '../src/node/node-backend';
import { REPO_ROOT } from './lib/sources';

/** Every setting that decides the weights; written into the manifest. */
export const SETTINGS = {
  id: TEACHER_ID,
  corpus: 'austen',
  backend: 'wasm',
  seed: 20240517,
  model: { embedding: 16, width: 256, depth: 2 } as CharModelSpec,
  context: LANGUAGE_CONTEXT,
  optimizer: 'adam' as const,
  learningRate: 2e-3,
  schedule: 'cosine' as 'cosine' | 'constant',
  batchSize: 128,
  steps: 10000,
  epochSteps: 1000,
  /** Held-out positions measured after each epoch (a fixed sample); the whole held-out part is measured at the end. */
  heldOutSample: 20000,
};
export type PretrainSettings = typeof SETTINGS;

/** Held-out bits per character of `model` on the examples at `positions`, in slices that fit memory. */
async function bitsOn(model: ReturnType<typeof buildCharModel>, corpus: Corpus, positions: Int32Array, context: number): Promise<number> {
  const slice = 50000;
  let weighted = 0;
  for (let start = 0; start < positions.length; start += slice) {
    const part = examplesAt(corpus.codes, positions.subarray(start, start + slice), context);
    const x = tf.tensor2d(part.x, [part.count, context]);
    const y = tf.tensor1d(part.y, 'int32');
    const bits = await meanCrossEntropyBits(model, x, y, undefined);
    weighted += (await bits.data())[0] * part.count;
    [x, y, bits].forEach((t) => t.dispose());
  }
  return weighted / positions.length;
}

/** Trains the teacher from `settings` on the corpus; returns the weights file and its manifest. */
export async function pretrainTeacher(
  settings: PretrainSettings,
  corpus: Corpus,
  log = (line: string) => console.log(line),
): Promise<{ bytes: Uint8Array; manifest: CharTeacherManifest }> {
  const { context, batchSize, steps, epochSteps } = settings;
  const vocab = corpus.manifest.alphabet.length;
  const shape = { vocab, context };
  const rng = createRng(settings.seed);
  const model = buildCharModel(settings.model, shape, rng.fork('init'));
  const train: TrainSpec = {
    optimizer: settings.optimizer,
    learningRate: settings.learningRate,
    schedule: settings.schedule,
    weightDecay: 0,
    momentum: 0.9,
    batchSize,
    epochs: 1,
    evalEvery: epochSteps,
    patience: 0,
  };
  const optimizer = createOptimizer(train, model.trainable);
  const teacherPart = corpus.part('teacher');
  const testPart = corpus.part('test');
  const batches = rng.fork('batches');
  const monitored = samplePositions(testPart, Math.min(settings.heldOutSample, testPart.end - testPart.start - context), context, rng.fork('held-out'));
  const epochs: CharTeacherManifest['pretraining']['epochs'] = [];
  const round = (x: number) => Number(x.toFixed(5));
  try {
    let total: Scalar = tf.scalar(0);
    for (let step = 0; step < steps; step++) {
      // Drawn with replacement: a permutation of three million positions per step would cost more than the step.
      const positions = Int32Array.from({ length: batchSize }, () => teacherPart.start + context + batches.int(teacherPart.end - teacherPart.start - context));
      const batch = examplesAt(corpus.codes, positions, context);
      optimizer.setLearningRate(learningRateAt(train, step, steps));
      const cost = tf.tidy(() => {
        const x = tf.tensor2d(batch.x, [batchSize, context]);
        const target = tf.oneHot(tf.tensor1d(batch.y, 'int32'), vocab).asType('float32') as Tensor2D;
        return optimizer.minimize(() => softCrossEntropy(model.forward(x, true), target));
      });
      const next = tf.add(total, cost) as Scalar;
      [total, cost].forEach((t) => t.dispose());
      total = next;
      if ((step + 1) % epochSteps === 0 || step + 1 === steps) {
        const done = (step % epochSteps) + 1;
        const loss = (await total.data())[0] / done;
        total.dispose();
        total = tf.scalar(0);
        const heldOut = await bitsOn(model, corpus, monitored, context);
        epochs.push({ epoch: epochs.length + 1, steps: step + 1, loss: round(loss), heldOutBitsPerCharacter: round(heldOut) });
        log(`${settings.id}: step ${step + 1}/${steps} loss ${loss.toFixed(4)} nats, held-out ${heldOut.toFixed(4)} bits per character`);
      }
    }
    total.dispose();
    const testPositions = positionsOf({ start: testPart.start + context, end: testPart.end });
    const heldOutBits = await bitsOn(model, corpus, testPositions, context);
    log(`${settings.id}: ${heldOutBits.toFixed(4)} bits per character on all ${testPositions.length} held-out characters`);

    const weights = await readCharWeights(model);
    const arrays = [weights.embedding, ...weights.layers.flatMap((l) => [l.kernel, l.bias])];
    const sizes = [context * settings.model.embedding, ...Array<number>(settings.model.depth).fill(settings.model.width), vocab];
    const shapes = [[vocab, settings.model.embedding], ...sizes.slice(1).flatMap((size, i) => [[sizes[i], size], [size]])];
    const names = ['embedding', ...sizes.slice(1).flatMap((_, i) => [`dense${i + 1}.kernel`, `dense${i + 1}.bias`])];
    let offset = 0;
    const tensors = arrays.map((values, i) => {
      const entry = { name: names[i], shape: shapes[i], offset };
      offset += values.byteLength;
      return entry;
    });
    // float32 little-endian, written explicitly rather than in the host's byte order.
    const bytes = new Uint8Array(offset);
    const view = new DataView(bytes.buffer);
    let at = 0;
    for (const values of arrays) for (const v of values) view.setFloat32((at += 4) - 4, v, true);
    const manifest: CharTeacherManifest = {
      formatVersion: 1,
      id: settings.id,
      description: `The language experiments' teacher: a ${charModelDescription(settings.model, shape)} trained on four of Austen's novels.`,
      corpus: corpus.manifest.id,
      alphabet: corpus.manifest.alphabet,
      context,
      model: settings.model,
      parameters: charModelParameters(settings.model, vocab, context),
      file: `${settings.id}.bin`,
      byteLength: bytes.byteLength,
      sha256: createHash('sha256').update(bytes).digest('hex'),
      tensors,
      pretraining: {
        script: 'scripts/pretrain-lm.ts',
        text: { start: teacherPart.start, end: teacherPart.end, books: teacherPart.books },
        settings: { ...settings },
        epochs,
        heldOut: { start: testPart.start, end: testPart.end, characters: testPositions.length, bitsPerCharacter: round(heldOutBits) },
      },
    };
    return { bytes, manifest };
  } finally {
    model.dispose();
    optimizer.dispose();
  }
}

async function main(): Promise<void> {
  const started = performance.now();
  await startNodeBackend(SETTINGS.backend as 'wasm');
  const corpus = await loadCorpus(SETTINGS.corpus, nodeAssetSource());
  const { bytes, manifest } = await pretrainTeacher(SETTINGS, corpus);
  const out = path.join(REPO_ROOT, 'public', 'models');
  mkdirSync(out, { recursive: true });
  writeFileSync(path.join(out, manifest.file), bytes);
  writeFileSync(path.join(out, `${manifest.id}.json`), `${JSON.stringify(manifest, null, 2)}\n`);
  console.log(
    `${manifest.id}: wrote ${bytes.byteLength} bytes (sha256 ${manifest.sha256.slice(0, 12)}) in ${((performance.now() - started) / 1000).toFixed(0)} s`,
  );
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
