/** The shipped encoder weights are exactly what their manifests describe. */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PUBLIC_DIR } from '../../node/node-assets';
import type { EncoderManifest } from './encoder-weights';

const dir = path.join(PUBLIC_DIR, 'models');
// The encoders; public/models also holds the language experiments' teacher (src/core/language/teacher-file.test.ts).
const manifests = readdirSync(dir).filter((f) => f.endsWith('-supervised.json') || f.endsWith('-autoencoder.json'));

describe('pretrained encoders in public/models', () => {
  it('ships a supervised and an autoencoder encoder for MNIST and Fashion-MNIST', () => {
    expect(manifests.sort()).toEqual(['fashion-mnist-autoencoder.json', 'fashion-mnist-supervised.json', 'mnist-autoencoder.json', 'mnist-supervised.json']);
  });

  it.each(manifests)('%s: sha256, size, 784-256-64 layers inside the file, finite weights', (file) => {
    const manifest = JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as EncoderManifest;
    const bytes = readFileSync(path.join(dir, manifest.file));
    expect(bytes.byteLength).toBe(manifest.byteLength);
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(manifest.sha256);
    expect(manifest.layers.map((l) => [l.inputSize, l.outputSize])).toEqual([
      [784, 256],
      [256, 64],
    ]);
    const weights = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
    expect(weights.every(Number.isFinite)).toBe(true);
    for (const layer of manifest.layers) {
      expect(layer.kernelOffset % 4).toBe(0);
      expect(layer.biasOffset).toBe(layer.kernelOffset + layer.inputSize * layer.outputSize * 4);
      expect(layer.biasOffset + layer.outputSize * 4).toBeLessThanOrEqual(bytes.byteLength);
    }
    expect(manifest.pretraining.source).toMatch(/rows 10000-29999/);
  });
});
