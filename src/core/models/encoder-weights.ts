/** Pretrained encoder weights as shipped in public/models/<id>.json + .bin (written by scripts/pretrain-encoder.ts). */
import type { AssetSource } from '../assets';

export interface DenseLayerWeights {
  name: string;
  inputSize: number;
  outputSize: number;
  activation: 'relu' | 'linear';
  kernelOffset: number;
  biasOffset: number;
}

export interface EncoderManifest {
  formatVersion: 1;
  id: string;
  dataset: string;
  kind: 'supervised' | 'autoencoder';
  description: string;
  file: string;
  byteLength: number;
  sha256: string;
  inputSize: number;
  outputSize: number;
  layers: DenseLayerWeights[];
  pretraining: Record<string, unknown>;
}

export interface EncoderWeights {
  manifest: EncoderManifest;
  /** Per layer: kernel (inputSize x outputSize, row-major) and bias. */
  layers: { spec: DenseLayerWeights; kernel: Float32Array; bias: Float32Array }[];
}

const cache = new Map<string, Promise<EncoderWeights>>();

export function encoderId(dataset: string, kind: string): string {
  return `${dataset}-${kind}`;
}

async function load(id: string, source: AssetSource): Promise<EncoderWeights> {
  const manifest = (await source.json(`models/${id}.json`)) as EncoderManifest;
  if (manifest?.formatVersion !== 1 || manifest.id !== id) throw new Error(`models/${id}.json is not a version-1 encoder manifest`);
  const buffer = await source.binary(`models/${manifest.file}`);
  if (buffer.byteLength !== manifest.byteLength) {
    throw new Error(`models/${manifest.file}: expected ${manifest.byteLength} bytes, got ${buffer.byteLength}`);
  }
  const layers = manifest.layers.map((spec) => ({
    spec,
    kernel: new Float32Array(buffer, spec.kernelOffset, spec.inputSize * spec.outputSize),
    bias: new Float32Array(buffer, spec.biasOffset, spec.outputSize),
  }));
  return { manifest, layers };
}

export function loadEncoderWeights(id: string, source: AssetSource): Promise<EncoderWeights> {
  let entry = cache.get(id);
  if (!entry) {
    entry = load(id, source);
    entry.catch(() => cache.delete(id));
    cache.set(id, entry);
  }
  return entry;
}
