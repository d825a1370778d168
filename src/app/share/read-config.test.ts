import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import LZString from 'lz-string';
import { ConfigError, readConfig, safeParseConfig } from '../../core/config/read';
import { MIGRATIONS } from '../../core/config/migrations';
import { PRESETS, presetConfig } from '../../core/presets';
import { importConfig } from './exports';
import { decodeLink } from './url-codec';

/** A preset with a few fields set to arbitrary JSON values: some valid, most not. */
const tampered = fc
  .record({
    preset: fc.constantFrom(...PRESETS.map((p) => p.id)),
    path: fc.constantFrom(
      ['seed'],
      ['data', 'testSize'],
      ['student', 'train', 'learningRate'],
      ['student', 'model'],
      ['kind'],
      ['data', 'dataset'],
      ['version'],
      ['data'],
    ),
    value: fc.jsonValue({ maxDepth: 3 }),
  })
  .map(({ preset, path, value }) => {
    const config = structuredClone(presetConfig(preset)) as unknown as Record<string, unknown>;
    // The student, or where a kind has none by that name, the new model (model updates) or the chain's first student.
    const student = 'student' in config ? ['student'] : 'new' in config ? ['new'] : ['chain', '0'];
    const at = path[0] === 'student' ? [...student, ...path.slice(1)] : path;
    let node = config;
    for (const key of at.slice(0, -1)) node = node[key] as Record<string, unknown>;
    node[at[at.length - 1]] = value;
    return config;
  });

/** What a reader gives: the config, or the fact that there is none. */
const outcome = (read: () => { config: unknown } | null) => {
  try {
    return read()?.config ?? null;
  } catch (error) {
    if (error instanceof ConfigError) return null;
    throw error;
  }
};

describe('readConfig: one way in for links, files, saved runs and the command line', () => {
  afterEach(() => {
    delete MIGRATIONS[0];
  });

  it('a link, a file and a stored value of the same settings give the same config and the same notices', () => {
    fc.assert(
      fc.property(tampered, (input) => {
        const fromValue = outcome(() => readConfig(structuredClone(input)));
        // The settings as they are, without the `v` a link made by the page adds.
        const link = decodeLink(`#c=${LZString.compressToEncodedURIComponent(JSON.stringify(input))}`);
        const file = importConfig(JSON.stringify(input));
        expect(link.config).toEqual(fromValue);
        expect('config' in file ? file.config : null).toEqual(fromValue);
        if (fromValue) {
          expect(safeParseConfig(fromValue)).toEqual({ ok: true, config: fromValue });
          const { notices } = readConfig(structuredClone(input));
          expect(link.notices).toEqual(notices);
          expect('notices' in file && file.notices).toEqual(notices);
        }
      }),
      { numRuns: 400 },
    );
  });

  it('migrates a file and a stored value from an older settings version, as it does a link', () => {
    // A stand-in for the first schema change: version 0 called the weak labels "supervisorLabels".
    MIGRATIONS[0] = ({ supervisorLabels, ...rest }) => ({ ...rest, weakLabels: supervisorLabels });
    const { weakLabels: _, ...rest } = presetConfig('w2s-mnist') as Record<string, unknown>;
    const old = { ...rest, version: 0, supervisorLabels: { kind: 'hard', temperature: 2 } };
    for (const read of [readConfig(old), readConfig(JSON.stringify(old)), importConfig(JSON.stringify(old)), readConfig(old, { mode: 'strict' })]) {
      expect('config' in read && read.config.kind === 'weak-to-strong' && read.config.weakLabels).toEqual({ kind: 'hard', temperature: 2 });
      expect('notices' in read && read.notices).toEqual([]);
    }
  });

  it('says when a config comes from a newer version, and refuses a version it cannot migrate', () => {
    const newer = readConfig({ ...presetConfig('w2s-copying'), version: 7, someFutureSetting: 1 });
    expect(newer.config).toEqual(presetConfig('w2s-copying'));
    expect(newer.notices).toEqual([
      'This experiment was made by a newer version of Distillery (settings version 7); settings this version does not know were ignored.',
    ]);
    expect(() => readConfig({ ...presetConfig('w2s-copying'), version: -3 })).toThrow(/no migration from settings version -3/);
    for (const version of ['1', 1.5, 1e308, null]) {
      expect(readConfig({ ...presetConfig('w2s-copying'), version }).notices).toEqual([
        `Replaced by its default: version: not a settings version (got ${JSON.stringify(version)}); read as version 1`,
      ]);
    }
  });

  it('repairs by default and refuses in strict mode, naming the field and its range', () => {
    const input = { ...presetConfig('w2s-copying'), seed: -5 };
    expect(readConfig(input)).toEqual({
      config: presetConfig('w2s-copying'),
      notices: ['Replaced by its default: seed: must be at least 0 (allowed range 0 to 2147483647) (got -5)'],
    });
    expect(() => readConfig(input, { mode: 'strict' })).toThrow(ConfigError);
    expect(() => readConfig(input, { mode: 'strict' })).toThrow(/seed: must be at least 0/);
  });

  it('throws a ConfigError, never anything else, when nothing can be read', () => {
    for (const input of [null, undefined, 7, 'not json', '[1]', [], { kind: 'sweep' }, {}, '['.repeat(100), 'x'.repeat(1_000_001)]) {
      expect(() => readConfig(input), JSON.stringify(input)?.slice(0, 20)).toThrow(ConfigError);
      expect(() => readConfig(input, { mode: 'strict' })).toThrow(ConfigError);
    }
  });

  it('reads a value that refers to itself (IndexedDB keeps cycles) without hanging', () => {
    const input = structuredClone(presetConfig('w2s-copying')) as Record<string, any>;
    input.data.self = input;
    input.student.model = input.student;
    const { config, notices } = readConfig(input);
    expect(config.kind === 'weak-to-strong' && config.student.model).toEqual({ type: 'linear' });
    expect(notices[0]).toMatch(/^Replaced by its default: student\.model/);
  });
});
