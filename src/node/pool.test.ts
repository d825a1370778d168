/** The command line's pool of worker threads: the numbers of a cell run alone, datasets read once per thread. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../core/config/read';
import type { ExperimentResult } from '../core/experiments/contract';
import { resultToJson } from '../core/experiments/serialize';
import { startNodeBackend } from './node-backend';
import { CellPool } from './pool';
import { run } from './test-support';

const config = parseConfig({
  kind: 'weak-to-strong',
  data: { dataset: 'digits', supervisorSize: 100, transferSize: 400, validationSize: 100, testSize: 200 },
  supervisor: { model: { type: 'linear' }, train: { epochs: 3, learningRate: 0.05 } },
  student: { model: { type: 'mlp', width: 16 }, train: { epochs: 3, learningRate: 0.01 } },
});

/** Everything a run reports but the times it took. */
const numbers = (result: ExperimentResult) => resultToJson(result).replace(/"seconds": [\d.e-]+/g, '"seconds": 0');

describe('CellPool', () => {
  let pool: CellPool;
  beforeAll(async () => {
    pool = await CellPool.start(2, 'wasm');
  });
  afterAll(() => pool.close());

  it('gives every cell the numbers it gives when run alone, whichever thread ran it and whatever ran there before', async () => {
    const seeds = [1, 2, 3, 4];
    const pooled = await Promise.all(seeds.map((seed) => pool.run({ ...config, seed })));
    // Both threads ran cells (which ran where depends on timing).
    expect(pool.stats().map((s) => s.cells > 0)).toEqual([true, true]);
    expect(pool.stats().reduce((sum, s) => sum + s.cells, 0)).toBe(4);
    await startNodeBackend('wasm');
    for (const [i, seed] of seeds.entries()) {
      const alone = await run({ ...config, seed });
      expect(pooled[i].backend).toBe('wasm');
      expect(numbers(pooled[i])).toBe(numbers(alone));
    }
    // Different seeds, different numbers: the comparison above can fail.
    expect(numbers(pooled[0])).not.toBe(numbers(pooled[1]));
  });

  it('reads each dataset file once per thread, however many cells the thread runs', () => {
    expect(Math.max(...pool.stats().map((s) => s.cells))).toBeGreaterThanOrEqual(2);
    for (const stats of pool.stats()) {
      expect(stats.reads).toEqual({ 'datasets/digits.json': 1, 'datasets/digits.bin': 1 });
    }
  });

  it("fails a cell whose run fails with the engine's message, and runs the next", async () => {
    const custom = parseConfig({
      ...config,
      data: { ...config.data, dataset: 'custom', custom: { name: 'x.csv', sha256: '0'.repeat(64), label: 'y', rows: 2000, features: 4, classes: 2 } },
    });
    await expect(pool.run(custom)).rejects.toThrow(/x\.csv/);
    const after = await pool.run(config);
    expect(numbers(after)).toBe(numbers(await run(config)));
  });
});
