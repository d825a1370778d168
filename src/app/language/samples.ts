/** Choosing which writing to show: pure functions over the samples a run has streamed (tested without a browser). */
import type { TextSample } from '../../core/experiments/figures';

/** The steps at which some model wrote, ascending, each once. */
export function sampleSteps(samples: readonly TextSample[]): number[] {
  return [...new Set(samples.map((s) => s.step))].sort((a, b) => a - b);
}

/**
 * Each model's writing as it stood at `step`: its latest sample at or before that step (a model measured once, such
 * as the teacher, keeps its only one); the latest of all when `step` is null.
 */
export function samplesAt(samples: readonly TextSample[], step: number | null): Map<string, TextSample> {
  const shown = new Map<string, TextSample>();
  for (const sample of samples) {
    if (step !== null && sample.step > step) continue;
    const current = shown.get(sample.stage);
    if (!current || sample.step >= current.step) shown.set(sample.stage, sample);
  }
  return shown;
}

/** One character of a sample with its surprisal, and whether it belongs to the prompt. */
export interface ShadedCharacter {
  char: string;
  bits: number;
  prompt: boolean;
}

/** The prompt and the writing of a sample, character by character (a sample whose lengths disagree shows NaN bits). */
export function shadedCharacters(sample: TextSample): ShadedCharacter[] {
  const prompt = Array.from(sample.prompt);
  return [...prompt, ...Array.from(sample.text)].map((char, i) => ({ char, bits: sample.bits[i] ?? NaN, prompt: i < prompt.length }));
}
