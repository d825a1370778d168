import { describe, expect, it } from 'vitest';
import { MAX_SEEDS, parseSeeds } from './seeds';

describe('seed lists', () => {
  it('reads ranges, lists and both, in the order given', () => {
    expect(parseSeeds('1-5')).toEqual([1, 2, 3, 4, 5]);
    expect(parseSeeds('1,3,7')).toEqual([1, 3, 7]);
    expect(parseSeeds(' 7, 1 - 3 ,10')).toEqual([7, 1, 2, 3, 10]);
    expect(parseSeeds('0')).toEqual([0]);
    expect(parseSeeds('4-4')).toEqual([4]);
    expect(parseSeeds(`1-${MAX_SEEDS}`)).toHaveLength(MAX_SEEDS);
  });

  it.each([
    ['', 'seeds: the list is empty'],
    [' , ', 'seeds: the list is empty'],
    ['1,,2', 'seeds: "" is not a seed or a range'],
    ['abc', 'seeds: "abc" is not a seed or a range'],
    ['1.5', 'seeds: "1.5" is not a seed or a range'],
    ['-1', 'seeds: "-1" is not a seed or a range'],
    ['1e3', 'seeds: "1e3" is not a seed or a range'],
    ['5-1', 'seeds: the range 5-1 runs backwards; write 1-5'],
    ['1,1', 'seeds: seed 1 is given twice'],
    ['1-3,2', 'seeds: seed 2 is given twice'],
    ['3000000000', 'seeds: 3000000000 is out of range (seeds are whole numbers from 0 to 2147483647)'],
    [`1-${MAX_SEEDS + 1}`, `seeds: more than ${MAX_SEEDS} seeds`],
    ['1-2000000000', `seeds: more than ${MAX_SEEDS} seeds`],
  ])('refuses %j, saying why', (text, message) => {
    expect(() => parseSeeds(text)).toThrow(message);
  });
});
