/** The registry's promises: every kind is complete, its presets are valid, its roles name its stages. */
import { readdirSync, existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../config/read';
import { PRESETS } from '../presets';
import { GALLERY_SECTIONS } from './kind';
import { KIND_SPECS, specOf } from './kinds';

const here = path.dirname(new URL(import.meta.url).pathname);

describe('the kinds registry', () => {
  it('lists every kind folder, each with a spec, a runner and a line in the runner registry', () => {
    const folders = readdirSync(here, { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && existsSync(path.join(here, entry.name, 'spec.ts')))
      .map((entry) => entry.name)
      .sort();
    expect(folders).toEqual(KIND_SPECS.map((spec) => spec.kind).sort());
    const registry = readFileSync(path.join(here, 'registry.ts'), 'utf8');
    for (const kind of folders) {
      expect(existsSync(path.join(here, kind, 'run.ts')), `${kind}/run.ts`).toBe(true);
      expect(registry, `registry.ts imports ${kind}/run`).toContain(`from './${kind}/run'`);
    }
  });

  it('gives every kind at least one preset, in a gallery section that exists, with a unique id', () => {
    for (const spec of KIND_SPECS) {
      expect(spec.presets.length, spec.kind).toBeGreaterThan(0);
      expect(GALLERY_SECTIONS).toContain(spec.gallery);
    }
    const ids = PRESETS.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('parses every preset under its own kind, and names only stages the kind announces in its roles', () => {
    for (const spec of KIND_SPECS) {
      for (const preset of spec.presets) {
        const config = parseConfig(preset.config);
        expect(config.kind, preset.id).toBe(spec.kind);
        const stages = specOf(config.kind)
          .stages(config)
          .map((s) => s.name);
        const { supervisor, student, lower, upper, students = [] } = spec.roles;
        for (const name of [supervisor, student, lower, upper, ...students]) expect(stages, `${preset.id}: role stage ${name}`).toContain(name);
      }
    }
  });

  it('declares each model with a path that holds it and a training path that holds a batch size', () => {
    for (const preset of PRESETS) {
      const config = parseConfig(preset.config);
      const at = (p: string[]) => p.reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], config);
      const info = { id: 'x', name: 'x', kind: 'image' as const, trainCount: 1, testCount: 1, numClasses: 10, featureShape: [28, 28, 1], encoders: [] };
      for (const use of specOf(config.kind).models(config, info)) {
        expect(at(use.path), `${preset.id}: ${use.path.join('.')}`).toEqual(use.model);
        if (use.trainPath) expect(typeof (at(use.trainPath) as { batchSize: unknown }).batchSize, `${preset.id}: ${use.trainPath.join('.')}`).toBe('number');
      }
    }
  });
});
