/**
 * Runs every preset on seeds 1-3 and prints the README's table of figures (markdown).
 * Usage: npm run preset-report -- [--backend wasm|cpu] [--seeds 1,2,3]
 */
import { parseArgs } from 'node:util';
import { nodeAssetSource } from '../src/node/node-assets';
import { startNodeBackend, type NodeBackend } from '../src/node/node-backend';
import { runExperiment } from '../src/core/experiments/registry';
import { MemoryStageStore } from '../src/core/experiments/stage-cache';
import type { ExperimentResult } from '../src/core/experiments/contract';
import { PRESETS } from '../src/core/presets';

const { values } = parseArgs({
  options: { backend: { type: 'string', default: 'wasm' }, seeds: { type: 'string', default: '1,2,3' }, preset: { type: 'string' } },
});
const seeds = values.seeds.split(',').map(Number);
await startNodeBackend(values.backend as NodeBackend);

// Presets that share a stage (kd-variants' teacher is kd-mnist's) train it once per seed.
const stageCache = new MemoryStageStore();
const pct = (x: number) => (x * 100).toFixed(1);
const fmt = (x: number | null) => (x === null ? 'n/a' : x.toFixed(2));
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

console.log(`| preset | seed | ${'stage accuracies (test)'} | PGR / gap closed (final, best) | beat rate | copy rate | seconds |`);
console.log('|---|---|---|---|---|---|---|');
for (const preset of PRESETS.filter((p) => !values.preset || p.id === values.preset)) {
  const results: ExperimentResult[] = [];
  for (const seed of seeds) {
    const result = await runExperiment({ ...preset.config, seed }, { assets: nodeAssetSource(), stageCache });
    results.push(result);
    const stages = Object.values(result.stages)
      .map((s) => `${s.name} ${pct(s.accuracy)}`)
      .join(', ');
    const m = result.mistakes.test;
    console.log(
      `| ${preset.id} | ${seed} | ${stages} | ${fmt(result.pgr.final)}, ${fmt(result.pgr.best)} | ${m.beatRate === null ? 'n/a' : pct(m.beatRate)}% | ${m.copyRate === null ? 'n/a' : pct(m.copyRate)}% | ${result.seconds.toFixed(1)} |`,
    );
  }
  const finals = results.map((r) => r.pgr.final).filter((x): x is number => x !== null);
  const copy = results.map((r) => r.mistakes.test.copyRate ?? NaN);
  console.log(`| ${preset.id} | mean | | ${finals.length ? mean(finals).toFixed(2) : 'n/a'} | | ${pct(mean(copy))}% | |`);
}
