import { beforeAll, describe, expect, it } from 'vitest';
import { nodeAssetSource } from '../../node/node-assets';
import { startNodeBackend } from '../../node/node-backend';
import { reduced } from '../../node/test-support';
import type { ExperimentConfigInput } from '../config/schema';
import { tf } from '../tf';
import type { ExperimentEvent, ExperimentResult } from './contract';
import { runExperiment } from './registry';
import { contentHash, MemoryStageStore, type CachedStage, type StageStore } from './stage-cache';

/** Everything a run reports but its timings and the reuse marks: curves, predictions, accuracies, charts. */
function numbers(result: ExperimentResult): unknown {
  return JSON.parse(
    JSON.stringify(result, (key, value) =>
      key === 'seconds' || key === 'reused' ? undefined : ArrayBuffer.isView(value) ? Array.from(value as Int32Array) : value,
    ),
  );
}

/** The step events of a run, by stage, as the page receives them. */
function stepsOf(events: ExperimentEvent[]): unknown {
  return JSON.parse(
    JSON.stringify(
      events.filter((e) => e.type === 'step'),
      (_key, value) => (ArrayBuffer.isView(value) ? Array.from(value as Int32Array) : value),
    ),
  );
}

async function run(config: ExperimentConfigInput, stageCache?: StageStore) {
  const events: ExperimentEvent[] = [];
  const result = await runExperiment(config, { assets: nodeAssetSource(), onEvent: (e) => events.push(e), stageCache });
  const reused = Object.entries(result.stages)
    .filter(([, s]) => s.reused)
    .map(([name]) => name);
  return { result, events, reused };
}

const smallKd = reduced('kd-mnist', {
  data: { trainSize: 1200, labelledSize: 200, testSize: 400 },
  teacher: { model: { width: 64 }, train: { epochs: 2, evalEvery: 10 } },
  student: { train: { epochs: 2, evalEvery: 10 } },
});

/** A store that hands back damaged copies of what it keeps. */
class DamagingStore implements StageStore {
  readonly inner = new MemoryStageStore();
  constructor(private readonly damage: (entry: CachedStage) => unknown) {}
  async get(key: string) {
    const entry = (await this.inner.get(key)) as CachedStage | undefined;
    return entry ? this.damage(structuredClone(entry)) : undefined;
  }
  put(key: string, entry: CachedStage) {
    return this.inner.put(key, entry);
  }
}

describe('stage cache (wasm)', () => {
  let fresh: Awaited<ReturnType<typeof run>>;
  beforeAll(async () => {
    await startNodeBackend('wasm');
    fresh = await run(smallKd);
  });

  it('a rerun with the cache reuses every stage and gives the numbers and the streamed curves of a run without it', async () => {
    const store = new MemoryStageStore();
    const first = await run(smallKd, store);
    expect(first.reused).toEqual([]);
    const before = tf.memory().numTensors;
    const second = await run(smallKd, store);
    expect(tf.memory().numTensors).toBe(before);
    expect(second.reused.sort()).toEqual(['baseline', 'student', 'teacher']);
    for (const r of [first, second]) {
      expect(numbers(r.result)).toEqual(numbers(fresh.result));
      expect(stepsOf(r.events)).toEqual(stepsOf(fresh.events));
    }
    // The reused stage says how long it took to train the first time.
    expect(second.result.stages.teacher.reused!.seconds).toBe(first.result.stages.teacher.seconds);
  });

  it('a rerun that changes only the student reuses the teacher and retrains the rest', async () => {
    const store = new MemoryStageStore();
    await run(smallKd, store);
    const changed = reduced('kd-mnist', {
      ...smallKd,
      student: { ...(smallKd as { student: object }).student, loss: { type: 'kd', temperature: 2, alpha: 0.9 } },
    });
    const withCache = await run(changed, store);
    expect(withCache.reused).toEqual(['teacher', 'baseline']);
    expect(numbers(withCache.result)).toEqual(numbers((await run(changed)).result));
  });

  it("kd-variants reuses kd-mnist's teacher and baseline when config, data and seed agree", async () => {
    const store = new MemoryStageStore();
    await run(smallKd, store);
    const { kind: _kind, student, ...shared } = smallKd as Record<string, unknown> & { student: Record<string, unknown> };
    void _kind;
    const variants = reduced('kd-variants', { ...shared, student: { model: student.model, train: student.train }, temperatureSweep: [] });
    const withCache = await run(variants, store);
    expect(withCache.reused).toContain('teacher');
    expect(withCache.reused).toContain('baseline');
    expect(numbers(withCache.result)).toEqual(numbers((await run(variants)).result));
  });

  it('another seed reuses nothing', async () => {
    const store = new MemoryStageStore();
    await run(smallKd, store);
    expect((await run({ ...smallKd, seed: 2 } as ExperimentConfigInput, store)).reused).toEqual([]);
  });

  const damages: [string, (e: CachedStage) => unknown][] = [
    ['a weight set to NaN', (e) => ((e.weights[0].values[3] = NaN), e)],
    ['a weight of the wrong shape', (e) => ((e.weights[0] = { shape: [1, 1], values: new Float32Array(1) }), e)],
    ['a weight array of numbers', (e) => ({ ...e, weights: e.weights.map((w) => ({ ...w, values: Array.from(w.values) })) })],
    ['a prediction out of range', (e) => ((e.steps[0].testPredictions[0] = 99), e)],
    ['a measurement missing', (e) => ({ ...e, steps: e.steps.slice(1) })],
    ['an accuracy as text', (e) => ({ ...e, result: { ...e.result, accuracy: '0.9' } })],
    ['another version', (e) => ({ ...e, version: 2 })],
    ['null', () => null],
    ['a string', () => 'teacher'],
  ];
  for (const [name, damage] of damages) {
    it(`an entry read back with ${name} is retrained, not used`, async () => {
      const store = new DamagingStore(damage);
      await run(smallKd, store);
      const second = await run(smallKd, store);
      expect(second.reused).toEqual([]);
      expect(numbers(second.result)).toEqual(numbers(fresh.result));
    });
  }

  it('stages that measure something of their own while they train are not kept (random teacher)', async () => {
    const store = new MemoryStageStore();
    const config = reduced('random-teacher', { data: { trainSize: 600, testSize: 300 }, student: { train: { epochs: 1 } } });
    await run(config, store);
    expect((await run(config, store)).reused).toEqual([]);
  });

  it('the content hash changes with any one value', () => {
    const values = Float32Array.from({ length: 1001 }, (_, i) => i / 7);
    const hash = contentHash(values);
    expect(contentHash(values.slice())).toBe(hash);
    for (const at of [0, 500, 1000]) {
      const changed = values.slice();
      new Uint32Array(changed.buffer)[at] ^= 1; // one bit of one value
      expect(contentHash(changed)).not.toBe(hash);
    }
    expect(contentHash(values.subarray(0, 1000))).not.toBe(hash);
  });

  it('the memory store drops the least recently used entries beyond its budget', async () => {
    const entry = (bytes: number) =>
      ({
        weights: [{ shape: [bytes / 4], values: new Float32Array(bytes / 4) }],
        steps: [],
        result: { testPredictions: new Int32Array(0) },
      }) as unknown as CachedStage;
    const store = new MemoryStageStore(1000);
    await store.put('a', entry(400));
    await store.put('b', entry(400));
    await store.get('a');
    await store.put('c', entry(400));
    expect(await store.get('b')).toBeUndefined();
    expect(await store.get('a')).toBeDefined();
    expect(await store.get('c')).toBeDefined();
    await store.put('huge', entry(2000));
    expect(await store.get('huge')).toBeUndefined();
  });
});
