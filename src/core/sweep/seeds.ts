/** Seed lists as people type them: "1-5", "1,3,7", "1-3, 10". */
import { numericRange } from '../config/introspect';
import { SweepInputError } from './errors';

/** More seeds than this is a typo (1-1000000), not an experiment. */
export const MAX_SEEDS = 1000;

/** The seeds of a list, in the order given; throws SweepInputError naming what is wrong. */
export function parseSeeds(text: string): number[] {
  const [min, max] = numericRange(['seed']) ?? [0, 2 ** 31 - 1];
  const seeds: number[] = [];
  const items = text.split(',').map((item) => item.trim());
  if (items.every((item) => item === '')) throw new SweepInputError('seeds: the list is empty; give seeds as "1-5" or "1,3,7"');
  for (const item of items) {
    const match = /^(\d+)(?:\s*-\s*(\d+))?$/.exec(item);
    if (!match)
      throw new SweepInputError(`seeds: "${shorten(item)}" is not a seed or a range (give seeds as "1-5" or "1,3,7", whole numbers from ${min} to ${max})`);
    const first = Number(match[1]);
    const last = match[2] === undefined ? first : Number(match[2]);
    for (const seed of [first, last]) {
      if (seed < min || seed > max) throw new SweepInputError(`seeds: ${match[0]} is out of range (seeds are whole numbers from ${min} to ${max})`);
    }
    if (last < first) throw new SweepInputError(`seeds: the range ${item} runs backwards; write ${last}-${first}`);
    if (seeds.length + (last - first + 1) > MAX_SEEDS) throw new SweepInputError(`seeds: more than ${MAX_SEEDS} seeds`);
    for (let seed = first; seed <= last; seed++) {
      if (seeds.includes(seed)) throw new SweepInputError(`seeds: seed ${seed} is given twice (a repeated seed repeats its numbers and shrinks the spread)`);
      seeds.push(seed);
    }
  }
  return seeds;
}

/** An input as a message may quote it. */
export function shorten(text: string, limit = 40): string {
  return text.length > limit ? `${text.slice(0, limit - 3)}...` : text;
}
