/**
 * Passes of a model over a whole set (test and validation measurements, label passes, decision grids, a frozen
 * encoder's features), in pieces. Each piece's intermediate tensors are released before the next one runs (the
 * memory limits in config.ts count on it), and between pieces a stopped run stops (cancellation.ts). Every row is
 * computed on its own, so splitting a set changes no number.
 */
import { checkpoint, LoopCheckpoint, untilCancelled } from './cancellation';
import { EVALUATION_CHUNK } from './config/limits';
import type { Model } from './models/model';
import { tf, type Scalar, type Tensor, type Tensor1D, type Tensor2D } from './tf';

/**
 * Multiply-adds one piece may take: about half a second on wasm on a slow, busy machine. The largest model of any
 * preset's models (a 784-512-512-10 MLP, 0.67 million per example, was kd-mnist's first teacher) still evaluates 2,048
 * rows at once; only larger models get smaller pieces.
 */
export const PIECE_MULTIPLY_ADDS = 1.5e9;

/** Rows per piece for a pass costing `multiplyAddsPerRow`, never more than `maxRows`. */
export function rowsPerPiece(multiplyAddsPerRow: number, maxRows: number): number {
  return Math.max(1, Math.min(maxRows, Math.floor(PIECE_MULTIPLY_ADDS / Math.max(1, multiplyAddsPerRow))));
}

/**
 * `compute` on the rows of `inputs`, `rows` at a time, concatenated (one piece when they all fit). Throws
 * CancelledError between pieces once `signal` aborts, releasing what it made.
 */
export async function inPieces<T extends Tensor>(inputs: Tensor2D, rows: number, compute: (piece: Tensor2D) => T, signal: AbortSignal | undefined): Promise<T> {
  const total = inputs.shape[0];
  await checkpoint(signal);
  if (total <= rows) return tf.tidy(() => compute(inputs));
  const loop = new LoopCheckpoint(signal, 1);
  const parts: T[] = [];
  try {
    for (let start = 0; start < total; start += rows) {
      const part = tf.tidy(() => compute(tf.slice(inputs, [start, 0], [Math.min(rows, total - start), -1])));
      parts.push(part);
      await loop.pass(part);
    }
    return tf.concat(parts, 0) as T;
  } finally {
    parts.forEach((part) => part.dispose());
  }
}

/** Logits of a model on encoded inputs, or `then` of them (a function of each row alone: softmax, argmax...). */
export function predict<T extends Tensor = Tensor2D>(
  model: Model,
  inputs: Tensor2D,
  signal: AbortSignal | undefined,
  then?: (logits: Tensor2D) => T,
): Promise<T> {
  const rows = rowsPerPiece(model.multiplyAdds.forward, EVALUATION_CHUNK);
  return inPieces(
    inputs,
    rows,
    (piece) => {
      const logits = model.forward(piece, false);
      return then ? then(logits) : (logits as unknown as T);
    },
    signal,
  );
}

/** `predict`, read back and released. */
export async function predictValues(
  model: Model,
  inputs: Tensor2D,
  signal: AbortSignal | undefined,
  then?: (logits: Tensor2D) => Tensor2D,
): Promise<Float32Array> {
  const values = await predict(model, inputs, signal, then);
  return (await untilCancelled(values.data(), signal).finally(() => values.dispose())) as Float32Array;
}

/** The predicted class (int32) of every row. */
export function predictClasses(model: Model, inputs: Tensor2D, signal: AbortSignal | undefined): Promise<Tensor1D> {
  return predict(model, inputs, signal, (logits) => tf.argMax(logits, -1) as Tensor1D);
}

/** A frozen encoder's output for a whole set (the input itself for models without one). */
export function encodeAll(model: Model, raw: Tensor2D, signal: AbortSignal | undefined): Promise<Tensor2D> {
  return inPieces(raw, rowsPerPiece(model.multiplyAdds.encode, Infinity), (piece) => model.encode(piece), signal);
}

/** The last hidden layer of a model (see Model.features) for a whole set. */
export function featuresOf(model: Model, inputs: Tensor2D, signal: AbortSignal | undefined): Promise<Tensor2D> {
  const features = model.features?.bind(model);
  if (!features) throw new Error(`${model.description} has no hidden layer to read`);
  return inPieces(inputs, rowsPerPiece(model.multiplyAdds.forward, Infinity), features, signal);
}

/**
 * Mean cross-entropy of `labels` (one class per row) under the model, in bits: the held-out bits per character of a
 * language model. Summed piece by piece (a large set never holds all its probabilities at once); a scalar on the
 * device, so a caller can read it back with other figures.
 */
export async function meanCrossEntropyBits(model: Model, inputs: Tensor2D, labels: Tensor1D, signal: AbortSignal | undefined): Promise<Scalar> {
  const total = inputs.shape[0];
  const rows = rowsPerPiece(model.multiplyAdds.forward, EVALUATION_CHUNK);
  const loop = new LoopCheckpoint(signal, 1);
  let sum: Scalar = tf.scalar(0);
  try {
    for (let start = 0; start < total; start += rows) {
      const size = Math.min(rows, total - start);
      const next = tf.tidy(() => {
        const logProbabilities = tf.logSoftmax(model.forward(tf.slice(inputs, [start, 0], [size, -1]), false));
        const truth = tf.oneHot(tf.cast(tf.slice(labels, [start], [size]), 'int32'), logProbabilities.shape[1]);
        return tf.add(sum, tf.sum(tf.mul(logProbabilities, truth))) as Scalar;
      });
      sum.dispose();
      sum = next;
      await loop.pass(sum);
    }
    return tf.tidy(() => tf.div(tf.neg(sum), total * Math.LN2) as Scalar);
  } finally {
    sum.dispose();
  }
}
