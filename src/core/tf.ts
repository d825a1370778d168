/**
 * The engine's single entry to TensorFlow.js. `@tensorflow/tfjs` (rather than tfjs-core alone) because it
 * is the one entry that registers the gradients in both module systems: Node loads its CommonJS bundle,
 * Vite its ES modules. The UI never imports this file: only the worker, the CLI and tests do.
 */
import * as tf from '@tensorflow/tfjs';

export { tf };
export type { Tensor, Tensor1D, Tensor2D, Scalar, Variable } from '@tensorflow/tfjs';
