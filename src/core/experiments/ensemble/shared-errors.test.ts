import { describe, expect, it } from 'vitest';
import { sharedErrorCopies } from './shared-errors';

describe('shared and unshared errors of an ensemble', () => {
  it('splits the examples some member gets wrong by whether most do, and counts the student repeating a wrong member', () => {
    // Three members; truth 0 everywhere.
    const labels = [0, 0, 0, 0, 0, 0];
    const members = [
      [0, 1, 1, 2, 0, 3], // example 0: all right (left out); 1: all wrong (shared)
      [0, 1, 2, 2, 0, 0], // 2: all wrong, different classes (shared); 3: two wrong with 2 (shared)
      [0, 1, 3, 0, 4, 0], // 4: one wrong (unshared); 5: one wrong (unshared)
    ];
    const student = [0, 1, 3, 0, 5, 3];
    // shared: 1 (copies 1), 2 (copies 3, one member's class), 3 (right: no copy) -> 2 of 3
    // unshared: 4 (wrong with 5, no member said 5), 5 (copies member 0's 3) -> 1 of 2
    expect(sharedErrorCopies(labels, members, student)).toEqual({
      shared: { count: 3, copies: 2, rate: 2 / 3 },
      unshared: { count: 2, copies: 1, rate: 1 / 2 },
    });
  });

  it('calls an even split unshared (most means more than half) and reports an empty group as null', () => {
    const result = sharedErrorCopies(
      [1, 1],
      [
        [2, 1],
        [1, 1],
      ],
      [2, 1],
    );
    expect(result.unshared).toEqual({ count: 1, copies: 1, rate: 1 });
    expect(result.shared).toEqual({ count: 0, copies: 0, rate: null });
  });

  it('refuses predictions of another length', () => {
    expect(() => sharedErrorCopies([0, 1], [[0]], [0, 1])).toThrow(/differ in length/);
  });
});
