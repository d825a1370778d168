/** The sweep picker's list of settings: read from the schema, following the config's own variants. */
import { describe, expect, it } from 'vitest';
import { PRESETS, presetConfig } from '../presets';
import type { ExperimentConfig } from './schema';
import { resolveAxis } from '../sweep/axes';
import { sweepableFields } from './introspect';

describe('sweepableFields', () => {
  it('offers the numbers, choices and variants of a weak-to-strong config, following its pretrained student', () => {
    const config = presetConfig('w2s-mnist') as Extract<ExperimentConfig, { kind: 'weak-to-strong' }>;
    const fields = sweepableFields(config);
    const byPath = new Map(fields.map((f) => [f.path, f]));
    expect(byPath.get('data.supervisorSize')).toMatchObject({ kind: 'integer', current: String(config.data.supervisorSize) });
    expect(byPath.get('data.supervisorSize')?.range?.[0]).toBeGreaterThanOrEqual(1);
    expect(byPath.get('data.dataset')).toMatchObject({ kind: 'enum' });
    expect(byPath.get('data.dataset')?.options).toContain('mnist');
    expect(byPath.get('supervisor.model')).toMatchObject({ kind: 'variant', current: config.supervisor.model.type });
    expect(byPath.get('supervisor.model')?.options).toEqual(expect.arrayContaining(['linear', 'mlp']));
    // The student is pretrained: its head is offered, an MLP's width is not.
    expect(config.student.model.type).toBe('pretrained');
    expect(byPath.get('student.model.head')).toMatchObject({ kind: 'enum' });
    expect(byPath.has('student.model.width')).toBe(false);
    expect(byPath.has('seed')).toBe(false);
    expect(byPath.has('kind')).toBe(false);
    expect(fields.every((f) => f.description.length > 0 || f.kind === 'variant')).toBe(true);
  });

  it("offers only paths a sweep axis accepts, with the config's own value as a value it reads, in every preset", () => {
    for (const preset of PRESETS) {
      const config = presetConfig(preset.id);
      const fields = sweepableFields(config);
      expect(fields.length, preset.id).toBeGreaterThan(5);
      for (const field of fields) {
        const axis = resolveAxis(config, { path: field.path, values: field.current });
        expect(axis.values[0].label, `${preset.id} ${field.path}`).toBe(field.current);
      }
    }
  });
});
