/**
 * Stop takes effect within a second for the slowest configs the schema accepts (worst-configs.ts): the time from
 * the moment a stop is sent until the run gives up with CancelledError, its tensors released. The stop is a timer,
 * so it is heard only when the run lets the event loop run, as a worker hears a message. On a busy machine every
 * figure stretches by how much of the CPU this process gets; the bound is on the CPU-equivalent figure (the wall
 * time scaled by the process's share of the CPU over the same run), and the wall time is printed too.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { nodeAssetSource } from '../../node/node-assets';
import { startNodeBackend } from '../../node/node-backend';
import { CancelledError } from '../cancellation';
import { parseConfig } from '../config/read';
import { tf } from '../tf';
import { runExperiment } from './registry';
import { WORST_LANGUAGE_CONFIGS } from './worst-language-configs';
import { LARGEST_STEP, WORST_CONFIGS, type WorstConfig } from './worst-configs';

interface Timing {
  wallMs: number;
  /** The wall time scaled by the CPU share this process had from the stop's stage start to the end. */
  cpuEquivalentMs: number;
  error: unknown;
}

async function timeStop(worst: WorstConfig): Promise<Timing> {
  const config = parseConfig(worst.config);
  const controller = new AbortController();
  let due = Infinity;
  let from = { wall: 0, cpu: process.cpuUsage() };
  const scheduleStop = () => {
    from = { wall: performance.now(), cpu: process.cpuUsage() };
    due = performance.now() + worst.stop.afterMs;
    setTimeout(() => controller.abort(), worst.stop.afterMs);
  };
  const error = await runExperiment(config, {
    assets: nodeAssetSource(),
    signal: controller.signal,
    onEvent: (event) => {
      if (due !== Infinity || !('stage' in event) || event.stage !== worst.stop.stage) return;
      const at = worst.stop.ended ? 'stage-end' : worst.stop.measured ? 'step' : 'stage-start';
      if (event.type === at) scheduleStop();
    },
  }).then(
    () => null,
    (e: unknown) => e,
  );
  const end = performance.now();
  const cpu = process.cpuUsage(from.cpu);
  const share = Math.min(1, (cpu.user + cpu.system) / 1000 / (end - from.wall));
  return { wallMs: end - due, cpuEquivalentMs: (end - due) * share, error };
}

describe('Stop on the slowest valid configs (wasm)', () => {
  beforeAll(async () => {
    await startNodeBackend('wasm');
  });

  for (const worst of [...WORST_CONFIGS, ...WORST_LANGUAGE_CONFIGS]) {
    it(`stops within a second: ${worst.name}`, async () => {
      const tensors = tf.memory().numTensors;
      const timing = await timeStop(worst);
      console.log(`stop: ${timing.wallMs.toFixed(0)} ms wall, ${timing.cpuEquivalentMs.toFixed(0)} ms CPU-equivalent: ${worst.name}`);
      expect(timing.error).toBeInstanceOf(CancelledError);
      expect(timing.cpuEquivalentMs).toBeLessThan(1000);
      expect(timing.wallMs).toBeLessThan(10_000);
      expect(tf.memory().numTensors).toBe(tensors);
    });
  }

  it(`stops after the step in progress: ${LARGEST_STEP.name}`, async () => {
    const timing = await timeStop(LARGEST_STEP);
    console.log(`stop: ${timing.wallMs.toFixed(0)} ms wall, ${timing.cpuEquivalentMs.toFixed(0)} ms CPU-equivalent: ${LARGEST_STEP.name}`);
    expect(timing.error).toBeInstanceOf(CancelledError);
    // One step is seconds here (the page shows the run stopped before it ends); it must not train on after it.
    expect(timing.wallMs).toBeLessThan(60_000);
  });
});
