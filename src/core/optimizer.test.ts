import { beforeAll, describe, expect, it } from 'vitest';
import { startNodeBackend } from '../node/node-backend';
import { FlatAdam, KernelAdam } from './optimizer';
import { createRng } from './rng';
import { tf, type Variable } from './tf';

/** Variables of the given shapes, drawn from a seeded RNG. */
function variables(shapes: number[][], seed: number): Variable[] {
  const rng = createRng(seed);
  return shapes.map((shape) =>
    tf.variable(
      tf.tensor(
        Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng.normal()),
        shape,
      ),
    ),
  );
}

/** A loss that touches every variable differently, so every gradient element differs. */
const lossOf = (vars: Variable[]) => () =>
  tf.addN(
    vars.map((v, i) => tf.sum(tf.mul(tf.square(tf.sub(v, 0.1 * (i + 1))), tf.cast(tf.add(tf.range(0, v.size), 1), 'float32').reshape(v.shape)))),
  ) as tf.Scalar;

async function valuesOf(vars: Variable[]): Promise<number[][]> {
  return Promise.all(vars.map(async (v) => Array.from(await v.data())));
}

describe('FlatAdam', () => {
  for (const backend of ['cpu', 'wasm'] as const) {
    describe(backend, () => {
      beforeAll(async () => {
        await startNodeBackend(backend);
      });

      // [shapes, group limit]: all in one flat group, none grouped, and a large variable on its own beside a group.
      const cases: [string, number[][], number][] = [
        ['every variable in one flat group', [[7, 5], [5], [5, 3], [3]], 1_000],
        ['no group', [[7, 5], [5], [5, 3], [3]], 0],
        ['a large variable alone, the small ones grouped', [[40, 30], [30], [30, 2], [2]], 100],
      ];
      for (const [name, shapes, limit] of cases) {
        it(`updates exactly as tf.train.adam (${name}), also after learning-rate changes`, async () => {
          const ours = variables(shapes, 1);
          const theirs = variables(shapes, 1);
          const flat = new FlatAdam(ours, 0.01, limit);
          const adam = tf.train.adam(0.01);
          for (let step = 0; step < 25; step++) {
            if (step === 10) {
              flat.setLearningRate(0.003);
              (adam as unknown as { learningRate: number }).learningRate = 0.003;
            }
            const a = flat.minimize(lossOf(ours));
            const b = adam.minimize(lossOf(theirs), true, theirs) as tf.Scalar;
            expect(await a.data()).toEqual(await b.data());
            tf.dispose([a, b]);
          }
          expect(await valuesOf(ours)).toEqual(await valuesOf(theirs));
          // Training moved the weights: the comparison is not between two untouched copies.
          expect(await valuesOf(ours)).not.toEqual(await valuesOf(variables(shapes, 1)));
          flat.dispose();
          adam.dispose();
          [...ours, ...theirs].forEach((v) => v.dispose());
        });
      }

      if (backend === 'wasm') {
        it('the one-kernel Adam of the wasm backend updates exactly as tf.train.adam, also after learning-rate changes', async () => {
          const shapes = [[40, 30], [30], [30, 3], [3], [1]];
          const ours = variables(shapes, 3);
          const theirs = variables(shapes, 3);
          const fused = new KernelAdam(ours, 0.01);
          const adam = tf.train.adam(0.01);
          for (let step = 0; step < 25; step++) {
            if (step === 10) {
              fused.setLearningRate(0.003);
              (adam as unknown as { learningRate: number }).learningRate = 0.003;
            }
            const a = fused.minimize(lossOf(ours));
            const b = adam.minimize(lossOf(theirs), true, theirs) as tf.Scalar;
            expect(await a.data()).toEqual(await b.data());
            tf.dispose([a, b]);
          }
          expect(await valuesOf(ours)).toEqual(await valuesOf(theirs));
          expect(await valuesOf(ours)).not.toEqual(await valuesOf(variables(shapes, 3)));
          const before = tf.memory().numTensors;
          tf.dispose(fused.minimize(lossOf(ours)));
          expect(tf.memory().numTensors).toBe(before);
          fused.dispose();
          adam.dispose();
          [...ours, ...theirs].forEach((v) => v.dispose());
        });
      }

      it('releases everything it allocates', () => {
        const vars = variables([[4, 3], [3], [300, 300]], 2);
        const before = tf.memory().numTensors;
        const flat = new FlatAdam(vars, 0.01, 100);
        for (let step = 0; step < 5; step++) tf.dispose(flat.minimize(lossOf(vars)));
        flat.setLearningRate(0.001);
        flat.dispose();
        expect(tf.memory().numTensors).toBe(before);
        vars.forEach((v) => v.dispose());
      });
    });
  }
});
