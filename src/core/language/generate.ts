/**
 * Writing with a character model: a continuation of a prompt, one character at a time, sampled on the host with the
 * project's RNG (so the same seed gives every model the same random draws), with each character's surprisal under
 * the model; and many continuations at once, for training on a teacher's own text (sequence-level distillation).
 */
import { LoopCheckpoint } from '../cancellation';
import { predictValues } from '../evaluate';
import type { Model } from '../models/model';
import type { Rng } from '../rng';
import { tf } from '../tf';
import { examplesAt } from './text-data';

/** The character the models see before a text's start: a prompt shorter than the context is padded with line breaks. */
export const PAD_CHARACTER = '\n';

/** Index of a character drawn from softmax(logits / temperature) by a uniform draw `u` in [0, 1). */
export function sampleIndex(logits: ArrayLike<number>, temperature: number, u: number): number {
  let max = -Infinity;
  for (let i = 0; i < logits.length; i++) max = Math.max(max, logits[i]);
  const weights = new Float64Array(logits.length);
  let total = 0;
  for (let i = 0; i < logits.length; i++) total += weights[i] = Math.exp((logits[i] - max) / temperature);
  let cumulative = 0;
  for (let i = 0; i < logits.length; i++) {
    cumulative += weights[i] / total;
    if (u < cumulative) return i;
  }
  return logits.length - 1;
}

/** -log2 softmax(logits)[index]. */
export function surprisalBits(logits: ArrayLike<number>, index: number): number {
  let max = -Infinity;
  for (let i = 0; i < logits.length; i++) max = Math.max(max, logits[i]);
  let total = 0;
  for (let i = 0; i < logits.length; i++) total += Math.exp(logits[i] - max);
  return (Math.log(total) - (logits[index] - max)) / Math.LN2;
}

/** Logits of one row per context, read back. */
async function logitsOf(model: Model, rows: Float32Array, context: number): Promise<Float32Array> {
  const logits = tf.tidy(() => model.forward(tf.tensor2d(rows, [rows.length / context, context]), false));
  try {
    return (await logits.data()) as Float32Array;
  } finally {
    logits.dispose();
  }
}

export interface Continuation {
  /** Alphabet indices of what the model wrote. */
  codes: Uint8Array;
  /** Surprisal of each character of prompt + continuation, in bits. */
  bits: number[];
}

/**
 * Continues `prompt` (alphabet indices) by `length` characters sampled at `temperature` with `rng`. The surprisal
 * of every character (prompt included) is under the model's own probabilities, at temperature 1.
 */
export async function continuePrompt(
  model: Model,
  prompt: Uint8Array,
  options: { length: number; temperature: number; vocab: number; context: number; pad: number; rng: Rng; signal?: AbortSignal },
): Promise<Continuation> {
  const { length, temperature, vocab, context, pad, rng, signal } = options;
  const text = new Uint8Array(context + prompt.length + length).fill(pad);
  text.set(prompt, context);
  const bits: number[] = [];
  if (prompt.length > 0) {
    const positions = Int32Array.from({ length: prompt.length }, (_, i) => context + i);
    const logits = await logitsOf(model, examplesAt(text, positions, context).x, context);
    prompt.forEach((code, i) => bits.push(surprisalBits(logits.subarray(i * vocab, (i + 1) * vocab), code)));
  }
  const loop = new LoopCheckpoint(signal);
  for (let k = 0; k < length; k++) {
    await loop.pass();
    const at = context + prompt.length + k;
    const logits = await logitsOf(model, Float32Array.from(text.subarray(at - context, at)), context);
    const code = sampleIndex(logits, temperature, rng.next());
    text[at] = code;
    bits.push(surprisalBits(logits, code));
  }
  return { codes: text.slice(context + prompt.length), bits };
}

/**
 * `length` characters written by `model` after each of `prefixes` (rows of `context` alphabet indices), all
 * continuations a step at a time in one batch, sampled at temperature 1. Returns each prefix followed by its
 * continuation: rows of context + length indices.
 */
export async function writeContinuations(
  model: Model,
  prefixes: Float32Array,
  options: { length: number; vocab: number; context: number; rng: Rng; signal?: AbortSignal },
): Promise<Uint8Array> {
  const { length, vocab, context, rng, signal } = options;
  const rows = prefixes.length / context;
  const width = context + length;
  const out = new Uint8Array(rows * width);
  for (let r = 0; r < rows; r++) for (let j = 0; j < context; j++) out[r * width + j] = prefixes[r * context + j];
  const window = new Float32Array(rows * context);
  const loop = new LoopCheckpoint(signal);
  for (let k = 0; k < length; k++) {
    await loop.pass();
    for (let r = 0; r < rows; r++) for (let j = 0; j < context; j++) window[r * context + j] = out[r * width + k + j];
    // In pieces (predictValues): 20,000 continuations of a large budget are seconds of one forward pass.
    const inputs = tf.tensor2d(window, [rows, context]);
    const values = await predictValues(model, inputs, signal).finally(() => inputs.dispose());
    for (let r = 0; r < rows; r++) out[r * width + context + k] = sampleIndex(values.subarray(r * vocab, (r + 1) * vocab), 1, rng.next());
  }
  return out;
}
