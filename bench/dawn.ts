/**
 * WebGPU in Node through Dawn: the npm package `webgpu` (Dawn's Node bindings, about 130 MB with every platform's
 * binary). It is not a dependency of this project; whoever measures on a GPU machine installs it beside it:
 *   npm i --no-save webgpu@0.6.2        (and, on Linux, a Vulkan driver: apt-get install -y libvulkan1 mesa-vulkan-drivers)
 * Then `npm run bench:node -- --backends webgpu,wasm` and `npm run bench:gpu` use it.
 */

interface Dawn {
  create(options: string[]): { requestAdapter(): Promise<{ info?: Record<string, unknown>; isFallbackAdapter?: boolean } | null> };
  globals: Record<string, unknown>;
}

/** Puts Dawn's WebGPU where tfjs looks for it (navigator.gpu); returns a description of its adapter. */
export async function installDawn(): Promise<string> {
  // A module name in a variable: the package is optional, so neither the type-check nor knip should require it.
  const name = 'webgpu';
  let dawn: Dawn;
  try {
    dawn = (await import(name)) as Dawn;
  } catch {
    throw new Error('WebGPU in Node needs Dawn: npm i --no-save webgpu@0.6.2 (not a dependency of this project)');
  }
  Object.assign(globalThis, dawn.globals);
  const gpu = dawn.create([]);
  Object.defineProperty(globalThis, 'navigator', { value: { gpu, userAgent: 'Node.js (Dawn)', hardwareConcurrency: 1 }, configurable: true });
  const adapter = await gpu.requestAdapter();
  if (!adapter)
    throw new Error(
      "Dawn found no GPU adapter (on Linux it needs a Vulkan driver: libvulkan1 and the GPU vendor's, or mesa-vulkan-drivers for a software one)",
    );
  const info = adapter.info ?? {};
  return `${[info.vendor, info.architecture, info.device, info.description].filter(Boolean).join(' ') || 'unnamed adapter'}${adapter.isFallbackAdapter ? ' (fallback adapter)' : ''}`;
}
