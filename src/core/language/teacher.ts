/**
 * The shipped language-model teacher: public/models/<id>.json (settings, pretraining record, sha256) and <id>.bin
 * (float32 little-endian weights, in CharModelWeights order), written by scripts/pretrain-lm.ts.
 */
import type { AssetSource } from '../assets';
import { Sha256, toHex } from '../data/sha256';
import type { CharModelSpec } from './blocks';
import type { CharModelWeights } from './char-model';
import type { CorpusRange } from './corpus';

export const TEACHER_ID = 'austen-teacher';

export interface CharTeacherManifest {
  formatVersion: 1;
  id: string;
  description: string;
  /** The corpus whose alphabet it reads and writes. */
  corpus: string;
  alphabet: string[];
  context: number;
  model: CharModelSpec;
  parameters: number;
  file: string;
  byteLength: number;
  sha256: string;
  /** Each weight tensor's place in the file (byte offset), in CharModelWeights order. */
  tensors: { name: string; shape: number[]; offset: number }[];
  pretraining: {
    script: string;
    /** The text it learned from: the corpus's teacher part, which no experiment's student reads. */
    text: CorpusRange & { books: string[] };
    settings: Record<string, unknown>;
    /** Mean training loss (nats per character) and held-out bits per character after each epoch of steps. */
    epochs: { epoch: number; steps: number; loss: number; heldOutBitsPerCharacter: number }[];
    /** Bits per character on the whole held-out part, at the end. */
    heldOut: CorpusRange & { characters: number; bitsPerCharacter: number };
  };
}

export interface CharTeacher {
  manifest: CharTeacherManifest;
  weights: CharModelWeights;
}

/** Splits a weights file into CharModelWeights by the manifest's tensor table. */
export function weightsFromBytes(manifest: CharTeacherManifest, buffer: ArrayBuffer): CharModelWeights {
  const tensors = manifest.tensors.map(({ name, shape, offset }) => {
    const count = shape.reduce((a, b) => a * b, 1);
    if (offset % 4 !== 0 || offset + 4 * count > buffer.byteLength) throw new Error(`models/${manifest.file}: tensor ${name} lies outside the file`);
    return new Float32Array(buffer, offset, count);
  });
  const [embedding, ...rest] = tensors;
  if (!embedding || rest.length % 2 !== 0) throw new Error(`models/${manifest.id}.json: the tensor table is not an embedding and layer pairs`);
  return { embedding, layers: Array.from({ length: rest.length / 2 }, (_, i) => ({ kernel: rest[2 * i], bias: rest[2 * i + 1] })) };
}

async function load(id: string, source: AssetSource): Promise<CharTeacher> {
  const manifest = (await source.json(`models/${id}.json`)) as CharTeacherManifest;
  if (manifest?.formatVersion !== 1 || manifest.id !== id) throw new Error(`could not load models/${id}.json: not a version-1 language model manifest`);
  const buffer = await source.binary(`models/${manifest.file}`);
  if (buffer.byteLength !== manifest.byteLength)
    throw new Error(`could not load models/${manifest.file}: ${buffer.byteLength} bytes, expected ${manifest.byteLength}`);
  if (toHex(new Sha256().update(new Uint8Array(buffer)).digest()) !== manifest.sha256) {
    throw new Error(`could not load models/${manifest.file}: its sha256 is not the manifest's`);
  }
  return { manifest, weights: weightsFromBytes(manifest, buffer) };
}

const cache = new Map<string, Promise<CharTeacher>>();

/** Loads (once per id) the shipped teacher, checked against its manifest's size and sha256. */
export function loadCharTeacher(id: string, source: AssetSource): Promise<CharTeacher> {
  let entry = cache.get(id);
  if (!entry) {
    entry = load(id, source);
    entry.catch(() => cache.delete(id));
    cache.set(id, entry);
  }
  return entry;
}
