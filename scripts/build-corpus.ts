// Builds the text corpus the language experiments read: public/datasets/austen.txt (UTF-8) and its manifest
// austen.json. Deterministic: the same package gives byte-identical files.
//
// Source: Debian r-cran-janeaustenr, whose six novels are character vectors (one element per line of the
// Project Gutenberg text) in R's lazy-load database data/Rdata.rdb (read by scripts/lib/rds.ts). Each novel is its
// lines joined by "\n" with a final "\n"; novels are separated by one blank line, in publication order (the order
// of janeaustenr::austen_books()).
//
// Usage: npm run build-corpus   (npm run build-datasets builds it too)
//   needs: apt-get update && cd /tmp && apt-get download r-cran-janeaustenr && dpkg -x r-cran-janeaustenr_*.deb /tmp/janeaustenr-deb

import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CorpusBook, CorpusManifest, CorpusPart } from '../src/core/language/corpus';
import { readLazyLoadDatabase } from './lib/rds';
import { MissingSourceError, packagePath, readSource, REPO_ROOT, sourcePackage } from './lib/sources';

/** The novels in publication order, with the object names janeaustenr gives them. */
const BOOKS = [
  { id: 'sensesensibility', title: 'Sense and Sensibility' },
  { id: 'prideprejudice', title: 'Pride and Prejudice' },
  { id: 'mansfieldpark', title: 'Mansfield Park' },
  { id: 'emma', title: 'Emma' },
  { id: 'northangerabbey', title: 'Northanger Abbey' },
  { id: 'persuasion', title: 'Persuasion' },
];

/** Which novels each part holds: the teacher never reads the students' novel or the held-out one. */
const PARTS: { name: CorpusPart['name']; books: string[]; use: string }[] = [
  {
    name: 'teacher',
    books: ['sensesensibility', 'prideprejudice', 'mansfieldpark', 'emma'],
    use: "the shipped teacher's pretraining (scripts/pretrain-lm.ts); no experiment's student reads it",
  },
  { name: 'student', books: ['northangerabbey'], use: "the students' text: each experiment draws its limited text budget from it" },
  { name: 'test', books: ['persuasion'], use: 'held out from every model: bits per character are measured on it' },
];

const LICENSE =
  'MIT, Copyright 2016-2017 Julia Silge, per the Debian package copyright file (/usr/share/doc/r-cran-janeaustenr/copyright); ' +
  "the novels themselves are in the public domain (Project Gutenberg's texts).";

export interface BuiltCorpus {
  text: Uint8Array;
  manifest: CorpusManifest;
}

/** Reads the package and lays out the corpus; throws MissingSourceError (with the install command) without it. */
export function buildCorpus(): BuiltCorpus {
  const objects = readLazyLoadDatabase(readSource('austen', 'Rdata.rdx'), readSource('austen', 'Rdata.rdb'));
  let text = '';
  let characters = 0;
  const books: CorpusBook[] = BOOKS.map(({ id, title }, i) => {
    const lines = objects.get(id);
    if (!lines || lines.type !== 'character') throw new Error(`janeaustenr has no character vector "${id}"`);
    if (lines.value.some((line) => line === null)) throw new Error(`janeaustenr's "${id}" has a missing line`);
    const body = `${i > 0 ? '\n' : ''}${lines.value.join('\n')}\n`;
    const start = characters + (i > 0 ? 1 : 0);
    text += body;
    characters += Array.from(body).length;
    return { id, title, start, end: characters };
  });
  const alphabet = [...new Set(Array.from(text))].sort((a, b) => a.codePointAt(0)! - b.codePointAt(0)!);
  if (alphabet.length > 255) throw new Error(`${alphabet.length} distinct characters do not fit a byte each`);
  const parts: CorpusPart[] = PARTS.map(({ name, books: ids, use }) => {
    const first = books.find((b) => b.id === ids[0])!;
    const last = books.find((b) => b.id === ids[ids.length - 1])!;
    return { name, start: first.start, end: last.end, books: ids, use };
  });
  const bytes = new TextEncoder().encode(text);
  const manifest: CorpusManifest = {
    formatVersion: 1,
    id: 'austen',
    name: "Jane Austen's novels",
    kind: 'text',
    description: `Jane Austen's six completed novels as plain text: ${characters.toLocaleString('en')} characters of ${alphabet.length} kinds.`,
    file: 'austen.txt',
    encoding: 'utf-8',
    byteLength: bytes.byteLength,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    characters,
    alphabet,
    books,
    parts,
    source:
      `${sourcePackage('austen')}: ${packagePath('austen', 'Rdata.rdb')} (the character vectors ${BOOKS.map((b) => b.id).join(', ')}, ` +
      'one element per line, read from the lazy-load database by scripts/lib/rds.ts; lines joined by "\\n", novels separated by a blank line)',
    license: LICENSE,
  };
  return { text: bytes, manifest };
}

export function writeCorpus(corpus: BuiltCorpus): void {
  const dir = join(REPO_ROOT, 'public', 'datasets');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, corpus.manifest.file), corpus.text);
  writeFileSync(join(dir, 'austen.json'), `${JSON.stringify(corpus.manifest, null, 2)}\n`);
  const { characters, alphabet, byteLength, sha256 } = corpus.manifest;
  console.log(`austen         ${characters} characters (${alphabet.length} kinds) ${byteLength} bytes  sha256 ${sha256.slice(0, 12)}`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  try {
    writeCorpus(buildCorpus());
  } catch (error) {
    console.error(error instanceof MissingSourceError ? error.message : error);
    process.exit(1);
  }
}
