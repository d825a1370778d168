import { describe, expect, it } from 'vitest';
import { nodeAssetSource } from '../../node/node-assets';
import { startNodeBackend, type NodeBackend } from '../../node/node-backend';
import type { ModelSpec } from '../config/blocks';
import { loadDatasetCached } from '../data/splits';
import { createRng } from '../rng';
import { buildCharModel } from '../language/char-model';
import { tf, type Tensor2D } from '../tf';
import { loadEncoderWeights } from './encoder-weights';
import { exportLayersModel } from './export-layers';
import { modelJsonText, type LayersModelFiles } from './layers-format';
import { buildModel, type Model } from './model';

/** Loads the files as a visitor would after downloading them: model.json's text and the weights file's bytes. */
function loadFromFiles(files: LayersModelFiles, weightsFile: string): Promise<tf.LayersModel> {
  const text = modelJsonText(files, weightsFile);
  const bytes = files.weightData.slice(0);
  const handler: tf.io.IOHandler = {
    load: () =>
      tf.io.getModelArtifactsForJSON(JSON.parse(text) as tf.io.ModelJSON, async (manifest) => {
        // The manifest names the weights file the page offers beside model.json.
        expect(manifest.flatMap((group) => group.paths)).toEqual([weightsFile]);
        return [manifest.flatMap((group) => group.weights), bytes];
      }),
  };
  return tf.loadLayersModel(handler);
}

/** Every variable moved off its initial value (biases start at zero), as training would: nothing is left trivial. */
function perturb(model: Model, seed: number): void {
  const rng = createRng(seed);
  for (const v of model.trainable) {
    const noise = tf.tensor(
      Float32Array.from({ length: v.size }, () => 0.1 * rng.normal()),
      v.shape,
    );
    v.assign(tf.add(v, noise));
    noise.dispose();
  }
}

async function compare(model: Model, x: Tensor2D): Promise<{ maxDifference: number; sameClasses: boolean; loaded: tf.LayersModel }> {
  const before = tf.memory().numTensors;
  const files = await exportLayersModel(model, { stage: 'student' });
  // Exporting leaves no tensor behind (the sequential it builds is released).
  expect(tf.memory().numTensors).toBe(before);
  const loaded = await loadFromFiles(files, 'student.weights.bin');
  const ours = tf.tidy(() => model.forward(model.encode(x), false));
  const theirs = loaded.predict(x) as tf.Tensor;
  const [a, b] = await Promise.all([ours.data(), theirs.data()]);
  const argmax = [tf.argMax(ours, -1), tf.argMax(theirs, -1)];
  const [classesA, classesB] = await Promise.all(argmax.map((t) => t.data()));
  argmax.forEach((t) => t.dispose());
  const maxDifference = Array.from(a).reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);
  expect(theirs.shape).toEqual(ours.shape);
  ours.dispose();
  theirs.dispose();
  return { maxDifference, sameClasses: Array.from(classesA).every((c, i) => c === classesB[i]), loaded };
}

const mlp = (activation: 'relu' | 'tanh' | 'sigmoid' | 'elu', depth = 2, dropout = 0): ModelSpec => ({ type: 'mlp', width: 24, depth, activation, dropout });
const pretrained = (mode: 'frozen' | 'finetune', head: 'linear' | 'mlp'): ModelSpec => ({
  type: 'pretrained',
  encoder: 'supervised',
  mode,
  head,
  headWidth: 16,
});

describe('export in TensorFlow.js layers format', () => {
  const cases: [string, ModelSpec, number[]][] = [
    ['linear', { type: 'linear' }, [28, 28, 1]],
    ['mlp relu, dropout left out at inference', mlp('relu', 2, 0.3), [28, 28, 1]],
    ['mlp tanh', mlp('tanh', 1), [28, 28, 1]],
    ['mlp sigmoid', mlp('sigmoid', 3), [28, 28, 1]],
    ['mlp elu', mlp('elu', 1), [28, 28, 1]],
    ['cnn without a dense layer', { type: 'cnn', filters: 4, denseWidth: 0 }, [28, 28, 1]],
    ['cnn with a dense layer', { type: 'cnn', filters: 3, denseWidth: 12 }, [28, 28, 1]],
    ['pretrained frozen, linear head', pretrained('frozen', 'linear'), [28, 28, 1]],
    ['pretrained frozen, mlp head', pretrained('frozen', 'mlp'), [28, 28, 1]],
    ['pretrained fine-tuned, linear head', pretrained('finetune', 'linear'), [28, 28, 1]],
    ['pretrained fine-tuned, mlp head', pretrained('finetune', 'mlp'), [28, 28, 1]],
  ];

  for (const [name, spec, featureShape] of cases) {
    it(`${name}: tf.loadLayersModel reads the files and predicts what the model's forward function does on MNIST test images`, async () => {
      await startNodeBackend('cpu');
      const encoder = spec.type === 'pretrained' ? await loadEncoderWeights('mnist-supervised', nodeAssetSource()) : undefined;
      const mnist = await loadDatasetCached('mnist', nodeAssetSource());
      const rows = 300;
      const x = tf.tensor2d(mnist.test!.x.subarray(0, rows * 784), [rows, 784]);
      const model = buildModel(spec, { featureShape, numClasses: 10, rng: createRng(3), encoder });
      perturb(model, 7);
      const { maxDifference, sameClasses, loaded } = await compare(model, x);
      expect(maxDifference).toBeLessThan(1e-4);
      expect(sameClasses).toBe(true);
      // The exported network is the whole model: a pretrained encoder's layers come with it, frozen or not.
      const parameters = loaded.countParams();
      expect(parameters).toBe(model.parameterCount());
      loaded.dispose();
      x.dispose();
      model.dispose();
    });
  }

  for (const [backend, featureShape] of [
    ['cpu', [5, 7, 2]],
    ['wasm', [8, 8, 1]],
    ['wasm', [28, 28, 1]],
  ] as [NodeBackend, number[]][]) {
    it(`a CNN on ${featureShape.join('x')} images (uneven pooling) on ${backend} gives the same logits once reloaded`, async () => {
      await startNodeBackend(backend);
      const size = featureShape.reduce((a, b) => a * b);
      const rng = createRng(11);
      const x = tf.tensor2d(
        Float32Array.from({ length: 40 * size }, () => rng.next()),
        [40, size],
      );
      const model = buildModel({ type: 'cnn', filters: 3, denseWidth: 8 }, { featureShape, numClasses: 4, rng: createRng(5) });
      perturb(model, 9);
      const { maxDifference, sameClasses, loaded } = await compare(model, x);
      expect(maxDifference).toBeLessThan(1e-4);
      expect(sameClasses).toBe(true);
      loaded.dispose();
      x.dispose();
      model.dispose();
    });
  }

  it('a character language model (embedding, flatten, dense) gives the same logits once reloaded', async () => {
    await startNodeBackend('wasm');
    const [vocab, context] = [81, 32];
    const rng = createRng(13);
    const x = tf.tensor2d(
      Float32Array.from({ length: 30 * context }, () => rng.int(vocab)),
      [30, context],
    );
    const model = buildCharModel({ embedding: 4, width: 16, depth: 2 }, { vocab, context }, createRng(3));
    perturb(model, 21);
    const { maxDifference, sameClasses, loaded } = await compare(model, x);
    expect(maxDifference).toBeLessThan(1e-4);
    expect(sameClasses).toBe(true);
    expect(loaded.layers.map((l) => l.getClassName())).toEqual(['Embedding', 'Flatten', 'Dense', 'Dense', 'Dense']);
    loaded.dispose();
    x.dispose();
    model.dispose();
  });

  it('writes the same files for the same weights (fixed layer names), float32 weights in order, metadata in model.json', async () => {
    await startNodeBackend('cpu');
    const model = buildModel(mlp('relu', 1), { featureShape: [2], numClasses: 3, rng: createRng(1) });
    const first = await exportLayersModel(model, { note: 'a' });
    const second = await exportLayersModel(model, { note: 'a' });
    expect(modelJsonText(second, 'w.bin')).toBe(modelJsonText(first, 'w.bin'));
    expect(new Uint8Array(second.weightData)).toEqual(new Uint8Array(first.weightData));
    expect(first.weightSpecs).toEqual([
      { name: 'dense_1/kernel', shape: [2, 24], dtype: 'float32' },
      { name: 'dense_1/bias', shape: [24], dtype: 'float32' },
      { name: 'dense_2/kernel', shape: [24, 3], dtype: 'float32' },
      { name: 'dense_2/bias', shape: [3], dtype: 'float32' },
    ]);
    expect(first.weightData.byteLength).toBe(4 * (2 * 24 + 24 + 24 * 3 + 3));
    // The first kernel's bytes are the model's own first kernel.
    const kernel = await model.trainable[0].data();
    expect(Array.from(new Float32Array(first.weightData, 0, 48))).toEqual(Array.from(kernel));
    const loaded = await loadFromFiles(first, 'w.bin');
    expect(loaded.getUserDefinedMetadata()).toEqual({ note: 'a' });
    loaded.dispose();
    model.dispose();
  });
});
