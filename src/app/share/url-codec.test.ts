import fc from 'fast-check';
import LZString from 'lz-string';

const { compressToEncodedURIComponent } = LZString;
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig, safeParseConfig } from '../../core/config/read';
import type { ExperimentConfig } from '../../core/config/schema';
import { MIGRATIONS } from '../../core/config/migrations';
import { PRESETS, presetConfig } from '../../core/presets';
import { decodeLink, encodeLink } from './url-codec';

/** Valid configs: a preset with random values in range for the fields people change most. */
const validConfig: fc.Arbitrary<ExperimentConfig> = fc
  .record({
    preset: fc.constantFrom(...PRESETS.map((p) => p.id)),
    seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
    learningRate: fc.double({ min: 1e-5, max: 1, noNaN: true }),
    epochs: fc.integer({ min: 1, max: 500 }),
    batchSize: fc.integer({ min: 1, max: 1024 }),
    weightDecay: fc.double({ min: 0, max: 0.1, noNaN: true }),
    schedule: fc.constantFrom('constant', 'cosine'),
    // A language model's prompt: any text, markup and lone surrogates included.
    prompt: fc.string({ unit: 'binary', maxLength: 300 }),
    model: fc.oneof(
      fc.constant({ type: 'linear' }),
      fc.record({
        type: fc.constant('mlp'),
        width: fc.integer({ min: 1, max: 1024 }),
        depth: fc.integer({ min: 1, max: 4 }),
        activation: fc.constantFrom('relu', 'tanh', 'sigmoid', 'elu'),
        dropout: fc.double({ min: 0, max: 0.8, noNaN: true }),
      }),
    ),
  })
  .map(({ preset, seed, model, prompt, ...train }) => {
    const base = presetConfig(preset) as unknown as Record<string, any>;
    // The model that labels the others: a weak supervisor (weak-to-strong, bootstrap, loss study) or a teacher; the
    // old model a compatible update learns from; the student where labels come from no model (hard-vs-easy's label
    // noise, weak-labelers' labelling functions, a language experiment's student).
    const role = ['supervisor', 'teacher', 'old'].find((r) => r in base) ?? 'student';
    const sampling = 'sampling' in base ? { sampling: { ...base.sampling, prompt } } : {};
    const withModel = (m: unknown) => ({ ...base, seed, ...sampling, [role]: { ...base[role], model: m, train: { ...base[role].train, ...train } } });
    // Some kinds restrict the model (a random teacher's probe and feature distillation read a hidden layer, so they
    // take only MLPs; a language model keeps its character model): where the generated model is not valid there,
    // the preset's own model is kept.
    if ('embedding' in base[role].model) return parseConfig(withModel(base[role].model));
    try {
      return parseConfig(withModel(model));
    } catch {
      return parseConfig(withModel(base[role].model));
    }
  });

describe('share links', () => {
  it('every valid config round-trips exactly, with no notice', () => {
    fc.assert(
      fc.property(validConfig, fc.boolean(), (config, run) => {
        const decoded = decodeLink(encodeLink(config, { run }));
        expect(decoded.config).toEqual(config);
        expect(decoded.notices).toEqual([]);
        expect(decoded.run).toBe(run);
      }),
      { numRuns: 300 },
    );
  });

  it('is compact: the default experiment fits in a short link', () => {
    expect(encodeLink(presetConfig('w2s-mnist'), { run: true }).length).toBeLessThan(700);
  });

  it('never throws on arbitrary strings, and says why when it cannot read a config', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ maxLength: 400 }),
          fc.string({ unit: 'binary', maxLength: 400 }),
          fc.string().map((s) => `#c=${s}`),
        ),
        (text) => {
          const decoded = decodeLink(text);
          if (decoded.config !== null) expect(safeParseConfig(decoded.config).ok).toBe(true);
          if (/[#&]?c=/.test(text) && decoded.config === null) expect(decoded.run).toBe(false);
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('survives truncated and bit-flipped links: a valid config or a notice, never an exception', () => {
    const link = encodeLink(presetConfig('w2s-mnist'), { run: true });
    fc.assert(
      fc.property(fc.integer({ min: 0, max: link.length }), fc.integer({ min: 0, max: link.length - 1 }), fc.integer({ min: 1, max: 127 }), (cut, at, flip) => {
        for (const damaged of [link.slice(0, cut), link.slice(0, at) + String.fromCharCode(link.charCodeAt(at) ^ flip) + link.slice(at + 1)]) {
          const decoded = decodeLink(damaged);
          const carriesConfig = new URLSearchParams(damaged.replace(/^#/, '')).get('c') !== null;
          if (decoded.config) expect(safeParseConfig(decoded.config).ok).toBe(true);
          else if (carriesConfig) expect(decoded.notices.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('replaces invalid values by their defaults and names each one; ignores unknown keys', () => {
    const config = { ...presetConfig('w2s-mnist'), v: 1, seed: -5, surprise: { nested: true } } as Record<string, any>;
    config.student = { ...config.student, train: { ...config.student.train, learningRate: 50 } };
    const decoded = decodeLink(`#c=${compressToEncodedURIComponent(JSON.stringify(config))}&run=1`);
    expect(decoded.config?.seed).toBe(1);
    expect(decoded.config?.kind === 'weak-to-strong' && decoded.config.student.train.learningRate).toBe(0.001);
    expect(decoded.config).not.toHaveProperty('surprise');
    expect(decoded.notices).toEqual([
      'Replaced by its default: seed: must be at least 0 (allowed range 0 to 2147483647) (got -5)',
      'Replaced by its default: student.train.learningRate: must be at most 1 (allowed range 0.00001 to 1) (got 50)',
    ]);
    expect(decoded.run).toBe(true);
  });

  it('falls back to no config, with a notice and without running, for an unreadable experiment', () => {
    const decoded = decodeLink('#c=definitely-not-lz&run=1');
    expect(decoded.config).toBeNull();
    expect(decoded.run).toBe(false);
    expect(decoded.notices[0]).toMatch(/could not be read/);
    expect(decodeLink(`#c=${compressToEncodedURIComponent('{"kind":"sweep"}')}`).notices[0]).toMatch(/not valid \(kind: /);
  });

  it('reads lecture mode and hidden controls, keeping only plausible control names', () => {
    const decoded = decodeLink('#lecture=1&hide=student.loss,supervisor.train,<script>,data');
    expect(decoded.lecture).toBe(true);
    expect(decoded.hide).toEqual(['student.loss', 'supervisor.train', 'data']);
  });

  it('keeps the speed and starts the run only when asked', () => {
    const config = presetConfig('w2s-copying');
    const paced = decodeLink(encodeLink(config, { speed: 10, lecture: true }));
    expect(paced).toMatchObject({ speed: 10, run: false, lecture: true, notices: [] });
    expect(paced.config).toEqual(config);
    expect(decodeLink(encodeLink(config, { run: true })).run).toBe(true);
    expect(decodeLink(encodeLink(config, { speed: null })).speed).toBeNull();
    expect(encodeLink(config, {})).not.toMatch(/run=|speed=/);
    for (const bad of ['0', '-5', '2.5', '1e3', 'fast', '9999999', '']) {
      const decoded = decodeLink(`${encodeLink(config)}&speed=${bad}`);
      expect(decoded.speed, bad).toBeNull();
      expect(decoded.config, bad).toEqual(config);
      expect(decoded.notices.join(' '), bad).toMatch(/speed in this link .* full speed/);
    }
  });

  describe('links made by an older settings version', () => {
    afterEach(() => {
      delete MIGRATIONS[0];
    });

    it('are migrated step by step to the current version', () => {
      // A stand-in for the first schema change: version 0 called the weak labels "supervisorLabels".
      MIGRATIONS[0] = ({ supervisorLabels, ...rest }) => ({ ...rest, weakLabels: supervisorLabels });
      const old = { ...presetConfig('w2s-mnist'), v: 0 } as Record<string, any>;
      old.supervisorLabels = { kind: 'hard', temperature: 2 };
      delete old.weakLabels;
      const decoded = decodeLink(`#c=${compressToEncodedURIComponent(JSON.stringify(old))}`);
      expect(decoded.notices).toEqual([]);
      expect(decoded.config?.kind === 'weak-to-strong' && decoded.config.weakLabels).toEqual({ kind: 'hard', temperature: 2 });
      expect(decoded.config?.version).toBe(1);
    });

    it('from an unknown older version, say so instead of guessing', () => {
      const decoded = decodeLink(`#c=${compressToEncodedURIComponent(JSON.stringify({ ...presetConfig('w2s-mnist'), v: -4 }))}`);
      expect(decoded.config).toBeNull();
      expect(decoded.notices[0]).toMatch(/no migration from settings version -4/);
    });
  });
});
