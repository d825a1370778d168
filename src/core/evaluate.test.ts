/**
 * Passes over whole sets in pieces: the pieces give exactly the numbers one pass gives (so sizing them by the
 * model's cost changes no result), every preset's models are evaluated in the same pieces as before, and a piece
 * of the largest models stays small enough for a stop to be heard between pieces.
 */
import { describe, expect, it } from 'vitest';
import { nodeAssetSource } from '../node/node-assets';
import { startNodeBackend } from '../node/node-backend';
import type { ModelSpec } from './config/blocks';
import { datasetInfoOf } from './config/datasets';
import { EVALUATION_CHUNK } from './config/limits';
import { specOf } from './experiments/kinds';
import { encodeAll, inPieces, PIECE_MULTIPLY_ADDS, predict, predictClasses, rowsPerPiece } from './evaluate';
import { encoderId, loadEncoderWeights } from './models/encoder-weights';
import { buildModel } from './models/model';
import { PRESETS, presetConfig } from './presets';
import { createRng } from './rng';
import { tf, type Tensor2D } from './tf';

const WIDEST: ModelSpec = { type: 'mlp', width: 1024, depth: 4, activation: 'relu', dropout: 0 };
const LARGEST_CNN: ModelSpec = { type: 'cnn', filters: 22, denseWidth: 256 };
const image = { featureShape: [28, 28, 1], numClasses: 10 };

/** Reads a tensor and releases it. */
async function read(tensor: tf.Tensor): Promise<Float32Array | Int32Array> {
  const values = (await tensor.data()) as Float32Array | Int32Array;
  tensor.dispose();
  return values;
}

describe('passes over a set in pieces', () => {
  it('give the numbers of one pass, bit for bit, on cpu (pieces of 7 rows)', async () => {
    await startNodeBackend('cpu');
    const model = buildModel({ type: 'mlp', width: 64, depth: 2, activation: 'tanh', dropout: 0 }, { ...image, rng: createRng(7) });
    const x = tf.randomUniform([100, 784], 0, 1, 'float32', 3) as Tensor2D;
    const tensors = tf.memory().numTensors;
    const whole = await read(tf.tidy(() => tf.softmax(model.forward(x, false))));
    expect(await read(await inPieces(x, 7, (piece) => tf.softmax(model.forward(piece, false)), undefined))).toEqual(whole);
    expect(tf.memory().numTensors).toBe(tensors);
    x.dispose();
    model.dispose();
  });

  const cases: [ModelSpec, number][] = [
    [WIDEST, 1000],
    [LARGEST_CNN, 700],
  ];
  for (const [spec, rows] of cases) {
    it(`give the numbers of one pass, bit for bit, in the pieces the largest models get: ${spec.type} on wasm`, async () => {
      await startNodeBackend('wasm');
      const model = buildModel(spec, { ...image, rng: createRng(7) });
      expect(rowsPerPiece(model.multiplyAdds.forward, EVALUATION_CHUNK)).toBeLessThan(rows);
      const x = tf.randomUniform([rows, 784], 0, 1, 'float32', 3) as Tensor2D;
      const tensors = tf.memory().numTensors;
      const whole = tf.tidy(() => model.forward(x, false));
      expect(await read(await predict(model, x, undefined))).toEqual(await whole.data());
      expect(await read(await predict(model, x, undefined, (logits) => tf.softmax(logits) as Tensor2D))).toEqual(await read(tf.softmax(whole)));
      expect(await read(await predictClasses(model, x, undefined))).toEqual(await read(tf.argMax(whole, -1)));
      whole.dispose();
      expect(tf.memory().numTensors).toBe(tensors);
      x.dispose();
      model.dispose();
    });
  }

  it("keep every preset's passes as they were: 2,048 rows at a time, a frozen encoder over each whole set", async () => {
    await startNodeBackend('cpu');
    for (const preset of PRESETS) {
      const config = presetConfig(preset.id);
      const info = datasetInfoOf(config.data);
      const kind = specOf(config.kind);
      const largestSet = Math.max(config.data.testSize, kind.rowsNeeded(config).needed);
      for (const { path, model: spec, outputs } of kind.models(config, info)) {
        const encoder = spec.type === 'pretrained' ? await loadEncoderWeights(encoderId(info.id, spec.encoder), nodeAssetSource()) : undefined;
        const model = buildModel(spec, { featureShape: [...info.featureShape], numClasses: outputs, rng: createRng(1), encoder });
        expect(rowsPerPiece(model.multiplyAdds.forward, EVALUATION_CHUNK), `${preset.id} ${path.join('.')}`).toBe(EVALUATION_CHUNK);
        expect(rowsPerPiece(model.multiplyAdds.encode, Infinity), `${preset.id} ${path.join('.')}`).toBeGreaterThanOrEqual(largestSet);
        model.dispose();
      }
    }
  });

  it("cut the largest models into pieces under the budget, and a frozen encoder's set too", async () => {
    await startNodeBackend('wasm');
    for (const spec of [WIDEST, LARGEST_CNN]) {
      const model = buildModel(spec, { ...image, rng: createRng(1) });
      const rows = rowsPerPiece(model.multiplyAdds.forward, EVALUATION_CHUNK);
      expect(rows * model.multiplyAdds.forward).toBeLessThanOrEqual(PIECE_MULTIPLY_ADDS);
      expect(rows).toBeGreaterThan(100);
      model.dispose();
    }
    const encoder = await loadEncoderWeights('mnist-supervised', nodeAssetSource());
    const frozen = buildModel(
      { type: 'pretrained', encoder: 'supervised', mode: 'frozen', head: 'linear', headWidth: 8 },
      { ...image, rng: createRng(1), encoder },
    );
    expect(frozen.multiplyAdds.encode).toBe(784 * 256 + 256 * 64);
    const raw = tf.randomUniform([8000, 784], 0, 1, 'float32', 5) as Tensor2D;
    expect(await read(await encodeAll(frozen, raw, undefined))).toEqual(await read(frozen.encode(raw)));
    raw.dispose();
    frozen.dispose();
  });
});
