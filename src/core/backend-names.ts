/** Backend names in automatic-choice order (no tfjs import: the page uses this list). */
export const BACKENDS = ['webgpu', 'wasm', 'webgl', 'cpu'] as const;
export type BackendName = (typeof BACKENDS)[number];
