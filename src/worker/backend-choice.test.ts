/**
 * Backend faults, without a browser: WebGPU missing, an adapter request that yields nothing or throws, a
 * backend that fails to start, and a device lost mid-run. The run always lands on a backend that works, and
 * the report says what was passed over and why.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

const broken = new Set<string>();
const attempts: string[] = [];

vi.mock('../core/backend', () => ({
  BACKENDS: ['webgpu', 'wasm', 'webgl', 'cpu'],
  useBackend: async (name: string) => {
    attempts.push(name);
    if (broken.has(name)) throw new Error(`the ${name} backend failed to initialise`);
  },
  // Thread counts are reported only on a real wasm backend.
  wasmThreads: async () => null,
}));

const { chooseBackend, fallbackAfterDeviceLoss } = await import('./backend-choice');

function gpu(adapter: (() => Promise<unknown>) | undefined) {
  vi.stubGlobal('navigator', adapter ? { gpu: { requestAdapter: adapter } } : {});
}

beforeEach(() => {
  broken.clear();
  attempts.length = 0;
});
afterEach(() => {
  vi.unstubAllGlobals();
});

describe('backend choice when things go wrong', () => {
  it('no navigator.gpu: automatic choice takes wasm and says why', async () => {
    gpu(undefined);
    const report = await chooseBackend('auto', {});
    expect(report).toEqual({ name: 'wasm', reason: 'WebAssembly: this browser has no WebGPU', skipped: ['webgpu: this browser has no WebGPU'] });
    expect(attempts).toEqual(['wasm']);
  });

  it('requestAdapter() returns null, with WebGPU chosen: WebGPU fails, wasm takes over, both reasons reported', async () => {
    gpu(async () => null);
    broken.add('webgpu');
    const report = await chooseBackend('webgpu', {});
    expect(report.name).toBe('wasm');
    expect(report.reason).toBe('webgpu could not start; WebAssembly: no WebGPU adapter is available');
    expect(report.skipped).toEqual(['webgpu failed to start (the webgpu backend failed to initialise)', 'webgpu: no WebGPU adapter is available']);
  });

  it('requestAdapter() throws: treated as no adapter', async () => {
    gpu(async () => {
      throw new Error('GPU process crashed');
    });
    const report = await chooseBackend('auto', {});
    expect(report.name).toBe('wasm');
    expect(report.reason).toMatch(/WebGPU adapter request failed \(GPU process crashed\)/);
  });

  it('a real adapter whose backend fails, and wasm failing too: WebGL, then plain JavaScript', async () => {
    gpu(async () => ({ info: { vendor: 'acme', isFallbackAdapter: false } }));
    broken.add('webgpu').add('wasm');
    expect((await chooseBackend('auto', {})).name).toBe('webgl');
    broken.add('webgl');
    const report = await chooseBackend('auto', {});
    expect(report.name).toBe('cpu');
    expect(report.reason).toMatch(/^fallback: webgpu failed to start .*wasm failed to start .*webgl failed to start/);
  });

  it('nothing starts at all: a clear error, not a silent hang', async () => {
    gpu(undefined);
    for (const name of ['webgpu', 'wasm', 'webgl', 'cpu']) broken.add(name);
    await expect(chooseBackend('auto', {})).rejects.toThrow(/^no backend could start: webgpu: this browser has no WebGPU; wasm failed to start/);
  });

  it('a WebGPU device lost mid-run: the next backend after WebGPU takes over, and the report says so', async () => {
    const previous = { name: 'webgpu' as const, reason: 'WebGPU on acme', skipped: [] };
    const report = await fallbackAfterDeviceLoss(previous, 'Device was destroyed.', {});
    expect(report).toEqual({
      name: 'wasm',
      reason: 'the WebGPU device was lost mid-run (Device was destroyed.); the run started again on wasm',
      skipped: ['webgpu: the WebGPU device was lost mid-run (Device was destroyed.)'],
    });
    expect(attempts).toEqual(['wasm']);
    broken.add('wasm');
    attempts.length = 0;
    expect((await fallbackAfterDeviceLoss(previous, 'gone', {})).name).toBe('webgl');
    expect(attempts).toEqual(['wasm', 'webgl']); // never WebGPU again in the same run
  });
});
