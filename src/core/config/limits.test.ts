/**
 * Memory limits: sizes that each fit their range but together would ask the browser for gigabytes are refused
 * before training, with a message naming the limit and what would fit. Links and imported files fall back to
 * the defaults for those fields; the CLI refuses them (exit code 2, tested in cli.test.ts for any invalid config).
 */
import { describe, expect, it } from 'vitest';
import { startNodeBackend } from '../../node/node-backend';
import { ACTIVATION_BUDGET_MB, activationsPerExample } from './limits';
import { parseConfig, repairConfig, safeParseConfig } from './read';
import { buildModel } from '../models/model';
import { PRESETS, presetConfig } from '../presets';
import { createRng } from '../rng';
import { tf, type Tensor2D } from '../tf';
import { predict } from '../evaluate';

const base = presetConfig('w2s-mnist') as Extract<ReturnType<typeof presetConfig>, { kind: 'weak-to-strong' }>;
/** The default experiment with a CNN student of `filters` filters and the given batch size. */
const cnnStudent = (filters: number, batchSize: number, extra: Record<string, unknown> = {}) => ({
  ...base,
  ...extra,
  student: { ...base.student, model: { type: 'cnn', filters, denseWidth: 0 }, train: { ...base.student.train, batchSize } },
});

describe('memory limits', () => {
  it('counts activations per example layer by layer (hand-computed)', () => {
    // conv1 28x28x8, pool 14x14x8, conv2 14x14x16, pool 7x7x16, 10 outputs
    expect(activationsPerExample({ type: 'cnn', filters: 8, denseWidth: 0 }, [28, 28, 1], 10)).toBe(6272 + 1568 + 3136 + 784 + 10);
    expect(activationsPerExample({ type: 'mlp', width: 100, depth: 3, activation: 'relu', dropout: 0 }, [784], 10)).toBe(310);
    expect(activationsPerExample({ type: 'linear' }, [2], 3)).toBe(3);
    expect(activationsPerExample({ type: 'pretrained', encoder: 'supervised', mode: 'frozen', head: 'mlp', headWidth: 32 }, [28, 28, 1], 10)).toBe(
      256 + 64 + 32 + 10,
    );
  });

  it('refuses a CNN of 64 filters evaluated 2,048 images at a time, naming the limit', () => {
    const result = safeParseConfig(cnnStudent(64, 64));
    expect(result.ok).toBe(false);
    // 94,090 activations per image x 2,048 images x 4 bytes = 735 MB
    expect(!result.ok && result.problems).toEqual([
      `student.model: evaluating this model on 2048 examples at a time needs about 735 MB of activations, over the limit of ${ACTIVATION_BUDGET_MB} MB; choose a smaller model (fewer filters or units)`,
    ]);
  });

  it('refuses a training batch whose activations and gradients exceed the limit: the largest batch that fits passes, one more does not', () => {
    // Fashion-MNIST 28x28 with a tiny test set: a CNN of 40 filters, 58,810 activations per image.
    const small = { dataset: 'fashion-mnist', supervisorSize: 100, transferSize: 200, validationSize: 100, testSize: 100, noise: 0 };
    const perExample = 784 * 40 + 196 * 40 + 196 * 80 + 49 * 80 + 10;
    const fits = Math.floor((ACTIVATION_BUDGET_MB * 2 ** 20) / (8 * perExample));
    expect(fits).toBe(570);
    expect(safeParseConfig(cnnStudent(40, fits, { data: small })).ok).toBe(true);
    const refused = safeParseConfig(cnnStudent(40, fits + 1, { data: small }));
    expect(!refused.ok && refused.problems[0]).toMatch(/^student\.train\.batchSize: a batch of 571 on this model needs about 256 MB .* at most 570 fits$/);
    expect(() => parseConfig(cnnStudent(40, 1024, { data: small }))).toThrow(/over the limit of 256 MB; at most 570 fits/);
  });

  it('a link or file carrying such a config gets working defaults for those fields, each named', () => {
    const { config, replaced } = repairConfig(cnnStudent(64, 1024));
    expect(config.kind).toBe('weak-to-strong');
    const student = config.kind === 'weak-to-strong' ? config.student : null;
    expect(student?.train.batchSize).toBe(64);
    expect(student?.model).toEqual({ type: 'linear' });
    expect(replaced).toEqual([
      expect.stringMatching(/^student\.train\.batchSize: a batch of 1024 on this model needs about 735 MB/),
      expect.stringMatching(/^student\.model: evaluating this model on 2048 examples at a time needs about 735 MB/),
    ]);
    expect(safeParseConfig(config).ok).toBe(true);
  });

  it('leaves every preset and the largest MLPs in range alone', () => {
    for (const preset of PRESETS) expect(safeParseConfig(presetConfig(preset.id)), preset.id).toEqual({ ok: true, config: presetConfig(preset.id) });
    const widest = {
      ...base,
      student: {
        ...base.student,
        model: { type: 'mlp', width: 1024, depth: 4, activation: 'relu', dropout: 0 },
        train: { ...base.student.train, batchSize: 1024 },
      },
    };
    expect(safeParseConfig(widest).ok).toBe(true);
  });

  it('evaluation holds one chunk of activations at a time, as the limit assumes', async () => {
    await startNodeBackend('cpu');
    const model = buildModel({ type: 'mlp', width: 64, depth: 3, activation: 'relu', dropout: 0 }, { featureShape: [2], numClasses: 2, rng: createRng(1) });
    const inputs = tf.zeros([4 * 2048, 2]) as Tensor2D;
    // Bytes alive as each chunk starts: only the earlier chunks' logits may have been added (3 x 2048 x 2 floats),
    // not their activations (3 x 2048 x 194 floats, about 4.8 MB).
    const atChunkStart: number[] = [];
    const forward = model.forward;
    const probe = { ...model, forward: (x: Tensor2D, training: boolean) => (atChunkStart.push(tf.memory().numBytes), forward(x, training)) };
    const before = tf.memory().numTensors;
    const logits = await predict(probe, inputs, undefined);
    expect(atChunkStart).toHaveLength(4);
    expect(Math.max(...atChunkStart) - atChunkStart[0]).toBeLessThanOrEqual(3 * 2048 * 2 * 4);
    expect(tf.memory().numTensors).toBe(before + 1);
    logits.dispose();
    inputs.dispose();
    model.dispose();
  });
});
