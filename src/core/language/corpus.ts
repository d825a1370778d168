/**
 * The text corpus the language experiments read (public/datasets/<id>.txt with its manifest <id>.json, written by
 * scripts/build-corpus.ts), and its characters as class indices. No tfjs, no DOM.
 */
import type { AssetSource } from '../assets';
import { Sha256, toHex } from '../data/sha256';

/** One stretch of the corpus, in characters (Unicode code points, not bytes): [start, end). */
export interface CorpusRange {
  start: number;
  end: number;
}

export interface CorpusBook extends CorpusRange {
  id: string;
  title: string;
}

/** What each part is for: the teacher's pretraining, the students' text, the held-out text every model is scored on. */
export const CORPUS_PARTS = ['teacher', 'student', 'test'] as const;
export type CorpusPartName = (typeof CORPUS_PARTS)[number];

export interface CorpusPart extends CorpusRange {
  name: CorpusPartName;
  /** Ids of the books it holds, in order. */
  books: string[];
  use: string;
}

export interface CorpusManifest {
  formatVersion: 1;
  id: string;
  name: string;
  kind: 'text';
  description: string;
  file: string;
  encoding: 'utf-8';
  byteLength: number;
  sha256: string;
  characters: number;
  /** Every character of the text, sorted by code point: a character's index here is its class. */
  alphabet: string[];
  books: CorpusBook[];
  parts: CorpusPart[];
  source: string;
  license: string;
}

export interface Corpus {
  manifest: CorpusManifest;
  /** Each character of the text as its index in the alphabet. */
  codes: Uint8Array;
  part(name: CorpusPartName): CorpusPart;
}

/** Characters as alphabet indices; throws naming the first character outside the alphabet. */
export function encodeText(text: string, alphabet: readonly string[]): Uint8Array {
  const index = new Map(alphabet.map((c, i) => [c, i]));
  const chars = Array.from(text);
  const codes = new Uint8Array(chars.length);
  chars.forEach((c, i) => {
    const code = index.get(c);
    if (code === undefined) throw new Error(`character ${JSON.stringify(c)} at ${i} is not in the alphabet`);
    codes[i] = code;
  });
  return codes;
}

export function decodeCodes(codes: ArrayLike<number>, alphabet: readonly string[]): string {
  let text = '';
  for (let i = 0; i < codes.length; i++) text += alphabet[codes[i]];
  return text;
}

async function load(id: string, source: AssetSource): Promise<Corpus> {
  const manifest = (await source.json(`datasets/${id}.json`)) as CorpusManifest;
  if (manifest?.formatVersion !== 1 || manifest.id !== id || manifest.kind !== 'text')
    throw new Error(`datasets/${id}.json is not a version-1 text corpus manifest`);
  const bytes = new Uint8Array(await source.binary(`datasets/${manifest.file}`));
  if (bytes.byteLength !== manifest.byteLength)
    throw new Error(`could not load datasets/${manifest.file}: ${bytes.byteLength} bytes, expected ${manifest.byteLength}`);
  // Hashed in the worker or in Node, where the 4 MB take a few tens of milliseconds.
  if (toHex(new Sha256().update(bytes).digest()) !== manifest.sha256)
    throw new Error(`could not load datasets/${manifest.file}: its sha256 is not the manifest's`);
  const codes = encodeText(new TextDecoder('utf-8', { fatal: true }).decode(bytes), manifest.alphabet);
  if (codes.length !== manifest.characters) throw new Error(`datasets/${manifest.file}: ${codes.length} characters, expected ${manifest.characters}`);
  const part = (name: CorpusPartName) => manifest.parts.find((p) => p.name === name) ?? fail(`the corpus ${id} has no ${name} part`);
  return { manifest, codes, part };
}

function fail(message: string): never {
  throw new Error(message);
}

const cache = new Map<string, Promise<Corpus>>();

/** Loads (once per id) a shipped corpus, checked against its manifest's size and sha256. */
export function loadCorpus(id: string, source: AssetSource): Promise<Corpus> {
  let entry = cache.get(id);
  if (!entry) {
    entry = load(id, source);
    entry.catch(() => cache.delete(id));
    cache.set(id, entry);
  }
  return entry;
}
