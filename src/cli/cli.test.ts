import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PRESETS } from '../core/presets';

import { cli } from './test-support';

describe('experiment CLI', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'distillery-cli-'));

  it('runs a config file and writes results.json with every documented field', async () => {
    const config = {
      kind: 'weak-to-strong',
      data: { dataset: 'moons', supervisorSize: 100, transferSize: 300, validationSize: 50, testSize: 200 },
      supervisor: { model: { type: 'linear' }, train: { epochs: 5, learningRate: 0.05 } },
      student: { model: { type: 'mlp', width: 16 }, train: { epochs: 5, learningRate: 0.01 } },
    };
    const configPath = path.join(dir, 'config.json');
    const outPath = path.join(dir, 'results.json');
    writeFileSync(configPath, JSON.stringify(config));
    const { code, stdout } = await cli(['--config', configPath, '--seed', '3', '--backend', 'cpu', '--out', outPath, '--quiet']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/\[weak\] done: test accuracy/);
    expect(stdout).toMatch(/PGR: final/);
    const results = JSON.parse(readFileSync(outPath, 'utf8'));
    expect(results.config.seed).toBe(3);
    expect(results.backend).toBe('cpu');
    for (const stage of ['weak', 'ceiling', 'student']) {
      expect(typeof results.stages[stage].accuracy).toBe('number');
      expect(typeof results.stages[stage].bestAccuracy).toBe('number');
    }
    expect(results.pgr).toHaveProperty('final');
    expect(results.pgr).toHaveProperty('best');
    for (const key of ['bothRight', 'beats', 'copies', 'otherWrong', 'regresses']) expect(typeof results.mistakes.test[key]).toBe('number');
    for (const key of ['label', 'supervisor', 'student']) {
      expect(results.predictions.test[key]).toHaveLength(200);
      expect(results.predictions.test[key].every((c: number) => c === 0 || c === 1)).toBe(true);
    }
  });

  it('rejects an invalid config with exit code 2, naming the field and its range', async () => {
    const configPath = path.join(dir, 'bad.json');
    writeFileSync(configPath, JSON.stringify({ kind: 'weak-to-strong', student: { train: { learningRate: 5 } } }));
    const { code, stderr } = await cli(['--config', configPath]);
    expect(code).toBe(2);
    expect(stderr).toContain('student.train.learningRate: must be at most 1 (allowed range 0.00001 to 1)');
  });

  it('names an unknown preset and lists the real ones', async () => {
    const { code, stderr } = await cli(['--preset', 'nope']);
    expect(code).toBe(1);
    expect(stderr).toContain('unknown preset "nope"; presets: ');
    const listed = stderr
      .slice(stderr.indexOf('presets: ') + 'presets: '.length)
      .trim()
      .split(', ');
    expect([...listed].sort()).toEqual(PRESETS.map((p) => p.id).sort());
  });

  it('refuses a backend Node does not have', async () => {
    const { code, stderr } = await cli(['--preset', 'w2s-copying', '--backend', 'webgpu']);
    expect(code).toBe(1);
    expect(stderr).toMatch(/backend "webgpu" is not available in Node; use cpu or wasm/);
  });
});
