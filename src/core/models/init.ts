/** Weight initialisation drawn from the project's RNG, so a seed fixes every weight on every backend. */
import type { Rng } from '../rng';

/** He-uniform for ReLU-like layers, Glorot-uniform otherwise. */
export function initKernel(fanIn: number, fanOut: number, count: number, relu: boolean, rng: Rng): Float32Array {
  const limit = relu ? Math.sqrt(6 / fanIn) : Math.sqrt(6 / (fanIn + fanOut));
  const values = new Float32Array(count);
  for (let i = 0; i < count; i++) values[i] = (2 * rng.next() - 1) * limit;
  return values;
}
