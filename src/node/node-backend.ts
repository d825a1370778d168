/** Starts a tfjs backend in Node: cpu or wasm (the wasm binaries are found beside the package). */
import { useBackend, type BackendName } from '../core/backend';
import { tf } from '../core/tf';

export const NODE_BACKENDS = ['cpu', 'wasm'] as const;
export type NodeBackend = (typeof NODE_BACKENDS)[number];

export async function startNodeBackend(name: NodeBackend): Promise<void> {
  if (!(NODE_BACKENDS as readonly string[]).includes(name)) {
    throw new Error(`backend "${name}" is not available in Node; use ${NODE_BACKENDS.join(' or ')}`);
  }
  // PROD silences tfjs's one-time "install tfjs-node" banner; it changes no numbers.
  tf.env().set('PROD', true);
  await useBackend(name as BackendName);
}
