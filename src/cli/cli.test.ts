import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PRESETS } from '../core/presets';

import { cli } from './test-support';

describe('experiment CLI', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'distillery-cli-'));

  const moons = {
    kind: 'weak-to-strong',
    data: { dataset: 'moons', supervisorSize: 100, transferSize: 300, validationSize: 50, testSize: 200 },
    supervisor: { model: { type: 'linear' }, train: { epochs: 5, learningRate: 0.05 } },
    student: { model: { type: 'mlp', width: 16 }, train: { epochs: 5, learningRate: 0.01 } },
  };

  it('runs a config file and writes results.json with every documented field', async () => {
    const config = moons;
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

  it('--seeds runs every seed and writes their results and summary; each seed gives what --seed gives', async () => {
    const configPath = path.join(dir, 'seeds-config.json');
    const outPath = path.join(dir, 'seeds.json');
    writeFileSync(configPath, JSON.stringify(moons));
    const { code, stdout } = await cli([
      '--config',
      configPath,
      '--seeds',
      '2,5',
      '--backend',
      'cpu',
      '--out',
      outPath,
      '--csv',
      path.join(dir, 'seeds'),
      '--quiet',
    ]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/Over 2 seeds \(mean ± sample standard deviation\):/);
    const file = JSON.parse(readFileSync(outPath, 'utf8'));
    expect(file).toMatchObject({ format: 'distillery-seeds', formatVersion: 1, seeds: [2, 5] });
    expect(file.results.map((r: { config: { seed: number } }) => r.config.seed)).toEqual([2, 5]);
    const [a, b] = file.results.map((r: { stages: { student: { accuracy: number } } }) => r.stages.student.accuracy);
    expect(file.summary.stages.student.accuracy.values).toEqual([a, b]);
    expect(file.summary.stages.student.accuracy.mean).toBeCloseTo((a + b) / 2, 12);
    expect(file.summary.stages.student.accuracy.sd).toBeCloseTo(Math.abs(a - b) / Math.SQRT2, 12);
    expect(file.summary.pgr.final.values).toEqual(file.results.map((r: { pgr: { final: number | null } }) => r.pgr.final));
    expect(readFileSync(path.join(dir, 'seeds-summary.csv'), 'utf8')).toMatch(/^metric,n,mean,sd,seed 2,seed 5\nweak accuracy,2,/);
    expect(readFileSync(path.join(dir, 'seeds-seed5-curves.csv'), 'utf8')).toMatch(/^stage,step,/);

    const single = path.join(dir, 'seed5.json');
    expect((await cli(['--config', configPath, '--seed', '5', '--backend', 'cpu', '--out', single, '--quiet'])).code).toBe(0);
    const alone = JSON.parse(readFileSync(single, 'utf8'));
    expect(file.results[1].stages.student.history).toEqual(alone.stages.student.history);
    expect(file.results[1].predictions).toEqual(alone.predictions);

    const both = await cli(['--config', configPath, '--seed', '1', '--seeds', '1-2']);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('give --seed or --seeds, not both');
    const bad = await cli(['--config', configPath, '--seeds', '1,x']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('seeds: "x" is not a seed or a range');
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
