/**
 * Property-based tests of the two doors through which strangers' data comes in: the link decoder and the config
 * import. Each gets 10,000 generated inputs: random strings and random JSON, valid payloads truncated or
 * bit-flipped, a valid config with one field replaced by something hostile (huge numbers, infinities, NaN,
 * negative sizes, wrong types, markup, very long strings, deep nesting), deeply nested payloads, very long inputs.
 *
 * For every input: nothing throws; each call returns within a time box; a bad input gets a message that says what
 * was wrong (bounded in length, never an echo of a megabyte); and what the page would run next is a valid config
 * (the one read, repaired, or the default experiment).
 */
import fc from 'fast-check';
import LZString from 'lz-string';
import { MAX_PROMPT_LENGTH } from '../../core/language/blocks';
import { describe, expect, it } from 'vitest';
import { parseConfig, safeParseConfig } from '../../core/config/read';
import type { ExperimentConfig } from '../../core/config/schema';
import { DEFAULT_PRESET_ID, PRESETS, presetConfig } from '../../core/presets';
import { importConfig, configJson } from './exports';
import { decodeLink, encodeLink } from './url-codec';

const RUNS = 10_000;
/**
 * No single input may take longer (they take well under a millisecond to a few milliseconds). Measured as CPU time
 * of this process, so that other programs on a busy machine cannot make a fast call look slow.
 */
const TIME_BOX_MS = 500;
/** No message may be longer: a stranger's long value is quoted, not echoed. */
const MAX_MESSAGE = 1_000;

// ---------------------------------------------------------------------------------------------------------
// Generators

/** A valid config: a preset with a few common fields changed within their ranges. */
const validConfig: fc.Arbitrary<ExperimentConfig> = fc
  .record({
    preset: fc.constantFrom(...PRESETS.map((p) => p.id)),
    seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
    learningRate: fc.double({ min: 1e-5, max: 1, noNaN: true }),
    epochs: fc.integer({ min: 1, max: 50 }),
    batchSize: fc.integer({ min: 1, max: 256 }),
  })
  .map(({ preset, seed, ...train }) => {
    const config = structuredClone(presetConfig(preset)) as unknown as Record<string, any>;
    // The student, or where a kind has none by that name, the new model (model updates) or the chain's first student.
    const role = 'student' in config ? config.student : 'new' in config ? config.new : config.chain[0];
    role.train = { ...role.train, ...train };
    return parseConfig({ ...config, seed });
  });

/** A value spliced into JSON text as is: literals JSON.stringify cannot write, or text too deep to build as a value. */
interface Raw {
  raw: string;
  label: string;
}
const raw = (text: string, label: string): Raw => ({ raw: text, label });
const nested = (depth: number, style: 'array' | 'object') =>
  style === 'array'
    ? raw(`${'['.repeat(depth)}${']'.repeat(depth)}`, `array nested ${depth} deep`)
    : raw(`${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`, `object nested ${depth} deep`);

/** Something no field of the schema accepts. */
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(-5, -1, -0.5, -(2 ** 31), 1e308, 2 ** 53 + 2, 1e15, 123456789012),
  fc.constantFrom(raw('1e999', 'Infinity'), raw('-1e999', '-Infinity'), raw('NaN', 'NaN (not JSON)'), raw('Infinity', 'Infinity (not JSON)')),
  fc.constantFrom(null, true, false, 'NaN', '1e999', '<img src=x onerror=alert(1)>', '"><script>alert(1)</script>', '__proto__', ''),
  fc.string({ maxLength: 30 }).map((s) => `${s}\u2603`),
  fc.array(fc.integer(), { maxLength: 3 }),
  fc.integer({ min: 2, max: 1_000 }).map((n) => 'x'.repeat(n * 40)),
  fc.tuple(fc.integer({ min: 33, max: 2_000 }), fc.constantFrom('array' as const, 'object' as const)).map(([d, s]) => nested(d, s)),
  fc.integer({ min: 2, max: 30 }).map((d) => JSON.parse(`${'['.repeat(d)}0${']'.repeat(d)}`) as unknown),
);

/** Every path into a value: objects and arrays, and their leaves. */
function pathsOf(value: unknown, prefix: string[] = []): string[][] {
  if (value === null || typeof value !== 'object') return [prefix];
  return [prefix, ...Object.entries(value).flatMap(([key, child]) => pathsOf(child, [...prefix, key]))].filter((p) => p.length > 0);
}

const MARKER = '\u0000hostile\u0000';

/** JSON text of `config` (plus `extra` keys) with the value at `path` replaced by `value`. */
function withValue(config: ExperimentConfig, path: string[], value: unknown, extra: Record<string, unknown> = {}): string {
  const copy = structuredClone({ ...config, ...extra }) as Record<string, any>;
  let node = copy;
  for (const key of path.slice(0, -1)) node = node[key];
  const isRaw = value !== null && typeof value === 'object' && 'raw' in (value as object);
  node[path[path.length - 1]] = isRaw ? MARKER : value;
  const text = JSON.stringify(copy);
  return isRaw ? text.replace(JSON.stringify(MARKER), (value as Raw).raw) : text;
}

interface Mutation {
  config: ExperimentConfig;
  path: string[];
  value: unknown;
}

/** A valid config with one field (leaf or section) replaced by a hostile value. */
const mutation: fc.Arbitrary<Mutation> = validConfig
  .chain((config) => fc.record({ config: fc.constant(config), path: fc.constantFrom(...pathsOf(config)), value: hostileValue }))
  // An empty array or object would be a legitimate "use the defaults" for some sections; these are all invalid.
  .filter(({ value }) => !(Array.isArray(value) && value.length === 0))
  // A language model's prompt is free text: any string that fits is a prompt (the models leave out what they cannot read).
  .filter(({ path, value }) => !(path.join('.') === 'sampling.prompt' && typeof value === 'string' && value.length <= MAX_PROMPT_LENGTH));

const packed = (json: string) => LZString.compressToEncodedURIComponent(json);

function flipBits(text: string, flips: [number, number][]): string {
  const chars = text.split('');
  for (const [at, bit] of flips) {
    const i = at % chars.length;
    chars[i] = String.fromCharCode(chars[i].charCodeAt(0) ^ (1 << bit));
  }
  return chars.join('');
}
const flips = fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 6 })), { minLength: 1, maxLength: 4 });

type Case = { kind: string; input: string; mutation?: Mutation; complete?: string };

/** Inputs for the link decoder: the text after the page's address. */
const linkCases: fc.Arbitrary<Case> = fc.oneof(
  fc
    .oneof(
      fc.string({ maxLength: 300 }),
      fc.string({ unit: 'binary', maxLength: 300 }),
      fc.string({ maxLength: 300 }).map((s) => `#c=${s}&run=1`),
    )
    .map((input) => ({ kind: 'random string', input })),
  fc
    .string({ unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+-$'.split('')), minLength: 1, maxLength: 2000 })
    .map((s) => ({ kind: 'random lz payload', input: `#c=${s}&run=1` })),
  fc.tuple(validConfig, fc.double({ min: 0, max: 1, noNaN: true })).map(([config, at]) => {
    const link = encodeLink(config, { run: true });
    return { kind: 'truncated link', input: link.slice(0, Math.floor(at * link.length)), complete: link };
  }),
  fc.tuple(validConfig, flips).map(([config, f]) => ({ kind: 'bit-flipped link', input: flipBits(encodeLink(config, { run: true }), f) })),
  mutation.map((m) => ({ kind: 'hostile value', input: `#c=${packed(withValue(m.config, m.path, m.value, { v: 1 }))}&run=1`, mutation: m })),
  // (Compressing is slow, about 1 ms per 1,000 characters: the deepest links here unpack to 20,000 characters.)
  fc
    .tuple(fc.integer({ min: 33, max: 10_000 }), fc.constantFrom('array' as const, 'object' as const))
    .map(([d, s]) => ({ kind: 'deeply nested', input: `#c=${packed(nested(d, s).raw)}&run=1` })),
  fc
    .constantFrom('1e999', '-1e999', 'NaN', '12', '"a string"', 'null', '[]', 'true', '[{"kind":"weak-to-strong"}]')
    .map((json) => ({ kind: 'not an object', input: `#c=${packed(json)}&run=1` })),
  fc.integer({ min: 10_001, max: 300_000 }).map((n) => ({ kind: 'very long', input: `#c=${'A'.repeat(n)}` })),
);

/** Inputs for the config import: the text of a file. */
const fileCases: fc.Arbitrary<Case> = fc.oneof(
  fc.oneof(fc.string({ maxLength: 300 }), fc.string({ unit: 'binary', maxLength: 300 })).map((input) => ({ kind: 'random string', input })),
  fc.json({ maxDepth: 4 }).map((input) => ({ kind: 'random JSON', input })),
  fc
    .record({
      kind: fc.constantFrom('weak-to-strong', 'distillation', 'bootstrap', 'sweep'),
      rest: fc.dictionary(fc.string({ maxLength: 12 }), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 6 }),
    })
    .map(({ kind, rest }) => ({
      kind: 'random object',
      input: JSON.stringify({ ...rest, kind }),
    })),
  fc.tuple(validConfig, fc.double({ min: 0, max: 1, noNaN: true })).map(([config, at]) => {
    const text = configJson(config);
    return { kind: 'truncated file', input: text.slice(0, Math.floor(at * text.length)), complete: text };
  }),
  fc.tuple(validConfig, flips).map(([config, f]) => ({ kind: 'bit-flipped file', input: flipBits(configJson(config), f) })),
  mutation.map((m) => ({ kind: 'hostile value', input: withValue(m.config, m.path, m.value), mutation: m })),
  fc
    .tuple(fc.integer({ min: 33, max: 100_000 }), fc.constantFrom('array' as const, 'object' as const))
    .map(([d, s]) => ({ kind: 'deeply nested', input: nested(d, s).raw })),
  fc.constantFrom('1e999', '-1e999', 'NaN', '12', '"a string"', 'null', '[]', 'true').map((input) => ({ kind: 'not an object', input })),
  fc.integer({ min: 100_000, max: 1_200_000 }).map((n) => ({ kind: 'very long', input: `{"kind":"weak-to-strong","seed":"${'9'.repeat(n)}"}` })),
);

// ---------------------------------------------------------------------------------------------------------
// Checks

function timed<T>(run: () => T): { value: T; ms: number } {
  const started = process.cpuUsage();
  const value = run();
  const used = process.cpuUsage(started);
  return { value, ms: (used.user + used.system) / 1000 };
}

/** A notice line names the mutated field, one of its sections, or a field inside it. */
function namesField(lines: string[], path: string[]): boolean {
  const mutated = path.join('.');
  return lines.some((line) => {
    const named = /^Replaced by its default: ([\w.]+):/.exec(line)?.[1] ?? /not valid \(([\w.]+|\(config\)):/.exec(line)?.[1];
    return named !== undefined && (named === mutated || mutated.startsWith(`${named}.`) || named.startsWith(`${mutated}.`) || named === '(config)');
  });
}

interface Tally {
  counts: Map<string, number>;
  slowest: number;
}
const tally = (): Tally => ({ counts: new Map(), slowest: 0 });
const record = (t: Tally, kind: string, ms: number) => {
  t.counts.set(kind, (t.counts.get(kind) ?? 0) + 1);
  t.slowest = Math.max(t.slowest, ms);
};

describe('hostile input', () => {
  it(`the link decoder: ${RUNS} generated links, none throws or hangs, each bad one says why, the page keeps a working config`, () => {
    const seen = tally();
    fc.assert(
      fc.property(linkCases, ({ kind, input, mutation: m, complete }) => {
        const { value: decoded, ms } = timed(() => decodeLink(input));
        record(seen, kind, ms);
        expect(ms, `${kind} took ${ms.toFixed(0)} ms`).toBeLessThan(TIME_BOX_MS);
        for (const notice of decoded.notices) expect(notice.length).toBeLessThanOrEqual(MAX_MESSAGE);
        // What the page runs next: the link's config, or the default experiment.
        const next = decoded.config ?? presetConfig(DEFAULT_PRESET_ID);
        expect(safeParseConfig(next)).toEqual({ ok: true, config: next });
        // (The page's hash is empty or starts with '#'; a single character is no link.)
        const carriesConfig = input.length > 1 && new URLSearchParams(input.replace(/^#/, '')).get('c') !== null;
        if (carriesConfig && decoded.config === null) {
          expect(decoded.notices.length).toBeGreaterThan(0);
          expect(decoded.run).toBe(false); // an unreadable link never starts a run
        }
        if (input.length > 10_000) expect(decoded.notices[0]).toMatch(/^The link is too long to be an experiment/);
        if (kind === 'deeply nested') expect(decoded.notices[0]).toMatch(/could not be read: it is (nested more than 32 levels deep|too large)/);
        if (kind === 'not an object') expect(decoded.notices[0]).toMatch(/could not be read|does not hold an experiment/);
        if (kind === 'truncated link' && decoded.config !== null && input !== complete) {
          // Only the padding was cut: the same experiment, or a notice says what was replaced.
          expect(decoded.notices.length > 0 || JSON.stringify(decoded.config) === JSON.stringify(decodeLink(complete!).config)).toBe(true);
        }
        // A link's settings version travels in `v`; a `version` field inside it is ignored, whatever it holds.
        if (m && m.path[0] !== 'version') {
          expect(decoded.notices.length, `${m.path.join('.')} = ${JSON.stringify(m.value)?.slice(0, 60)}`).toBeGreaterThan(0);
          if (decoded.config !== null) expect(namesField(decoded.notices, m.path), `${m.path.join('.')}: ${decoded.notices.join(' | ')}`).toBe(true);
        }
      }),
      { numRuns: RUNS },
    );
    const total = [...seen.counts.values()].reduce((a, b) => a + b, 0);
    expect(total).toBeGreaterThanOrEqual(RUNS);
    for (const [kind, count] of seen.counts) expect(count, kind).toBeGreaterThan(RUNS / 20);
    expect(seen.counts.size).toBe(8);
  }, 240_000);

  it(`the config import: ${RUNS} generated files, none throws or hangs, each bad one says why, a good one loads`, () => {
    const seen = tally();
    fc.assert(
      fc.property(fileCases, ({ kind, input, mutation: m, complete }) => {
        const { value: result, ms } = timed(() => importConfig(input));
        record(seen, kind, ms);
        expect(ms, `${kind} took ${ms.toFixed(0)} ms`).toBeLessThan(TIME_BOX_MS);
        if ('error' in result) {
          expect(result.error).toMatch(/^That file (is not JSON \([^]+\)|is not an experiment config: [^]+|is too large to be an experiment config)/);
          expect(result.error.length).toBeLessThanOrEqual(MAX_MESSAGE);
        } else {
          expect(safeParseConfig(result.config)).toEqual({ ok: true, config: result.config });
          for (const notice of result.notices) expect(notice.length).toBeLessThanOrEqual(MAX_MESSAGE);
        }
        if (kind === 'deeply nested') expect('error' in result && result.error).toMatch(/nested more than 32 levels deep|is not an experiment config/);
        if (kind === 'very long' && input.length > 1_000_000) expect('error' in result && result.error).toMatch(/too large/);
        if (kind === 'not an object' || (kind === 'random string' && !/^\s*\{/.test(input))) expect('error' in result).toBe(true);
        if (kind === 'truncated file' && input.length <= complete!.lastIndexOf('}'))
          expect('error' in result && result.error).toMatch(/^That file is not JSON/);
        if (m) {
          if ('error' in result) expect(result.error.length).toBeGreaterThan(0);
          else expect(namesField(result.notices, m.path), `${m.path.join('.')}: ${result.notices.join(' | ')}`).toBe(true);
        }
      }),
      { numRuns: RUNS },
    );
    expect([...seen.counts.values()].reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(RUNS);
    for (const [kind, count] of seen.counts) expect(count, kind).toBeGreaterThan(RUNS / 20);
    expect(seen.counts.size).toBe(9);
  }, 240_000);

  it('the worst cases stay fast: a short link that unpacks to a million characters, a half-million-deep file', () => {
    // lz-string unpacks this 2,300-character link to a million characters (a 10,000-character one, the longest
    // read, to about 12 million, in about 20 ms).
    const bomb = `#c=${packed('['.repeat(1_000_000))}`;
    expect(bomb.length).toBeLessThan(2_500);
    const link = timed(() => decodeLink(bomb));
    expect(link.value.notices[0]).toMatch(/could not be read: it is too large \(1000000 characters; the limit is 100000\)/);
    expect(link.ms).toBeLessThan(2_000);
    const file = timed(() => importConfig(`${'['.repeat(499_000)}${']'.repeat(499_000)}`));
    expect(file.value).toEqual({ error: 'That file is not an experiment config: it is nested more than 32 levels deep.' });
    expect(file.ms).toBeLessThan(2_000);
  });
});
