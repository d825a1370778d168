import { describe, expect, it } from 'vitest';
import { parseConfig, safeParseConfig } from '../../config/read';
import type { LabelledSet } from '../../data/types';
import { createRng } from '../../rng';
import { syntheticSupervisor } from './synthetic-supervisor';

/** n examples, labels cycling through the classes, random 2-D points. */
function set(n: number, classes: number): LabelledSet {
  const rng = createRng(7);
  return {
    x: Float32Array.from({ length: 2 * n }, () => rng.normal()),
    y: Int32Array.from({ length: n }, (_, i) => i % classes),
    count: n,
  };
}

const wrong = (labels: Int32Array, truth: Int32Array) => labels.filter((c, i) => c !== truth[i]).length;

describe('synthetic supervisors', () => {
  it('random flips: exactly round(rate x n) labels change, each to another class, differently per split', () => {
    const data = set(1000, 10);
    const rule = syntheticSupervisor({ type: 'flips', rate: 0.314 }, 10, 2, data, createRng(1));
    const onB = rule.label(data, 'B');
    expect(wrong(onB, data.y)).toBe(314);
    expect(onB.every((c) => c >= 0 && c < 10)).toBe(true);
    // Flips spread over the classes: every class keeps most of its labels, none is always wrong.
    for (let c = 0; c < 10; c++) {
      const ofClass = Array.from(data.y.keys()).filter((i) => data.y[i] === c);
      const kept = ofClass.filter((i) => onB[i] === c).length / ofClass.length;
      expect(kept).toBeGreaterThan(0.5);
    }
    // Same seed and split, same labels; another split draws other examples.
    expect(syntheticSupervisor({ type: 'flips', rate: 0.314 }, 10, 2, data, createRng(1)).label(data, 'B')).toEqual(onB);
    expect(rule.label(data, 'V')).not.toEqual(onB);
    expect(wrong(rule.label(data, 'V'), data.y)).toBe(314);
  });

  it('systematic: classes 0 to classes-1 always become the next class, the others stay right', () => {
    const data = set(100, 5);
    const labels = syntheticSupervisor({ type: 'systematic', classes: 2 }, 5, 2, data, createRng(1)).label(data, 'test');
    expect(Array.from(labels.slice(0, 10))).toEqual([1, 2, 2, 3, 4, 1, 2, 2, 3, 4]);
    // The last class wraps round: with all but one class wrong, class 3 becomes 4 and 4 stays.
    const most = syntheticSupervisor({ type: 'systematic', classes: 4 }, 5, 2, data, createRng(1)).label(data, 'test');
    expect(Array.from(most.slice(0, 5))).toEqual([1, 2, 3, 4, 4]);
  });

  it('region: the share of the transfer set beyond a line is mislabelled, and the same line applies to every split', () => {
    const reference = set(500, 2);
    const rule = syntheticSupervisor({ type: 'region', share: 0.3 }, 2, 2, reference, createRng(3));
    const onReference = rule.label(reference, 'B');
    expect(wrong(onReference, reference.y)).toBe(150);
    // Mislabelled points are the next class, and the region is a half-plane: a point is wrong iff it lies
    // beyond the line, so a copy of the set labels the same points wrong, whatever its split.
    onReference.forEach((c, i) => expect(c === reference.y[i] || c === (reference.y[i] + 1) % 2).toBe(true));
    const flipped = { ...reference, y: reference.y.map((y) => 1 - y) };
    const onFlipped = rule.label(flipped, 'test');
    onReference.forEach((c, i) => expect(c !== reference.y[i]).toBe(onFlipped[i] !== flipped.y[i]));
    expect(() => syntheticSupervisor({ type: 'region', share: 0.3 }, 10, 784, set(10, 10), createRng(1))).toThrow(/2-D data/);
  });

  it('the config rejects a region on images and a systematic rule that leaves no class right, naming the field', () => {
    const region = safeParseConfig({ kind: 'weak-to-strong', data: { dataset: 'mnist' }, supervisor: { source: { type: 'region', share: 0.3 } } });
    expect(region).toEqual({ ok: false, problems: ['supervisor.source.type: a region of input space needs 2-D data; MNIST digits has 784 features'] });
    const classes = safeParseConfig({ kind: 'weak-to-strong', data: { dataset: 'moons' }, supervisor: { source: { type: 'systematic', classes: 2 } } });
    expect(classes).toEqual({ ok: false, problems: ['supervisor.source.classes: must be below the 2 classes of Two moons'] });
    // Without a source, the supervisor is trained, as before.
    expect(parseConfig({ kind: 'weak-to-strong' })).toMatchObject({ supervisor: { source: { type: 'trained' } } });
  });
});
