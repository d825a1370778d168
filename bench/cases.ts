/**
 * What the benchmarks train: the models of every preset, as one training step sees them, plus the reference
 * MLP of issue 6 (784-128-10 at batch 64). Each case also describes its network layer by layer, so the
 * tf.layers twin (model.fit) and the PyTorch reference (bench/torch_reference.py) build the same shapes.
 *
 * Presets are read from PRESETS, so new presets are benchmarked without touching this file.
 */
import { datasetInfoOf } from '../src/core/config/datasets';
import { parseConfig } from '../src/core/config/read';
import type { ExperimentConfig } from '../src/core/config/schema';
import type { ModelSpec, TrainSpec } from '../src/core/config/blocks';
import { specOf } from '../src/core/experiments/kinds';
import { PRESETS } from '../src/core/presets';

/** One layer of the twin networks (tf.layers, PyTorch). */
export type TwinLayer =
  | { type: 'dense'; units: number; activation: 'relu' | 'tanh' | 'sigmoid' | 'elu' | 'linear' }
  | { type: 'dropout'; rate: number }
  /** 3x3 convolution, 'same' padding, stride 1, ReLU, on [height, width, channels] images. */
  | { type: 'conv'; filters: number }
  /** 2x2 max pooling, stride 2, 'same' padding. */
  | { type: 'maxpool' }
  | { type: 'flatten' };

export interface StepCase {
  /** Stable key (also the dedup key). */
  key: string;
  /** What a reader sees, e.g. "MLP 784-128-10 (relu), batch 64, adam". */
  name: string;
  /** Where the case comes from: "issue 6 reference" or "preset role" entries. */
  usedBy: string[];
  /** Shape of one example as the step sees it: [features] or [height, width, channels]. */
  inputShape: number[];
  classes: number;
  /** The model this project builds for the step (a frozen encoder's probe is a model on 64 features). */
  model: ModelSpec;
  /** Encoder the model needs (pretrained, fine-tuned): dataset and kind. */
  encoder?: { dataset: string; kind: string };
  train: Pick<TrainSpec, 'optimizer' | 'learningRate' | 'momentum' | 'batchSize'>;
  /** The same network for tf.layers and PyTorch. */
  layers: TwinLayer[];
}

const ENCODER_SIZES = [256, 64];

function denseStack(hidden: number[], activation: 'relu' | 'tanh' | 'sigmoid' | 'elu', dropout: number, classes: number): TwinLayer[] {
  const layers: TwinLayer[] = [];
  for (const units of hidden) {
    layers.push({ type: 'dense', units, activation });
    if (dropout > 0) layers.push({ type: 'dropout', rate: dropout });
  }
  layers.push({ type: 'dense', units: classes, activation: 'linear' });
  return layers;
}

/** The model a step trains, its input shape, and its twin layers. */
function stepModel(spec: ModelSpec, featureShape: number[], classes: number): { model: ModelSpec; inputShape: number[]; layers: TwinLayer[]; text: string } {
  const flat = featureShape.reduce((a, b) => a * b, 1);
  switch (spec.type) {
    case 'linear':
      return { model: spec, inputShape: [flat], layers: denseStack([], 'relu', 0, classes), text: `linear ${flat}-${classes}` };
    case 'mlp': {
      const hidden = Array<number>(spec.depth).fill(spec.width);
      const dropout = spec.dropout > 0 ? `, dropout ${spec.dropout}` : '';
      return {
        model: spec,
        inputShape: [flat],
        layers: denseStack(hidden, spec.activation, spec.dropout, classes),
        text: `MLP ${[flat, ...hidden, classes].join('-')} (${spec.activation}${dropout})`,
      };
    }
    case 'cnn': {
      const layers: TwinLayer[] = [
        { type: 'conv', filters: spec.filters },
        { type: 'maxpool' },
        { type: 'conv', filters: spec.filters * 2 },
        { type: 'maxpool' },
        { type: 'flatten' },
      ];
      if (spec.denseWidth > 0) layers.push({ type: 'dense', units: spec.denseWidth, activation: 'relu' });
      layers.push({ type: 'dense', units: classes, activation: 'linear' });
      const text = `CNN conv${spec.filters}-conv${spec.filters * 2}${spec.denseWidth > 0 ? `-${spec.denseWidth}` : ''}-${classes} on ${featureShape.join('x')}`;
      return { model: spec, inputShape: featureShape, layers, text };
    }
    case 'pretrained': {
      const features = ENCODER_SIZES[ENCODER_SIZES.length - 1];
      const headHidden = spec.head === 'mlp' ? [spec.headWidth] : [];
      const head = denseStack(headHidden, 'relu', 0, classes);
      if (spec.mode === 'frozen') {
        // The encoder runs once per set (cached); the step trains the probe on the 64 features.
        const model: ModelSpec = spec.head === 'mlp' ? { type: 'mlp', width: spec.headWidth, depth: 1, activation: 'relu', dropout: 0 } : { type: 'linear' };
        return { model, inputShape: [features], layers: head, text: `probe ${[features, ...headHidden, classes].join('-')} on frozen features` };
      }
      const encoder: TwinLayer[] = ENCODER_SIZES.map((units) => ({ type: 'dense', units, activation: 'relu' }));
      return {
        model: spec,
        inputShape: [flat],
        layers: [...encoder, ...head],
        text: `fine-tuned encoder + probe ${[flat, ...ENCODER_SIZES, ...headHidden, classes].join('-')}`,
      };
    }
  }
}

type StepTrain = StepCase['train'];

/** Every trained role of a config, as its kind declares them: [role name, model, train spec, outputs]. */
function rolesOf(config: ExperimentConfig): { role: string; model: ModelSpec; train: StepTrain; classes: number }[] {
  const info = datasetInfoOf(config.data);
  return specOf(config.kind)
    .models(config, info)
    .flatMap(({ model, trainPath, outputs }) => {
      if (!trainPath) return [];
      const train = trainPath.reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], config) as StepTrain;
      return [{ role: trainPath.slice(0, -1).join('.'), model, train, classes: outputs }];
    });
}

export function describeCase(
  model: ModelSpec,
  featureShape: number[],
  classes: number,
  train: StepCase['train'],
  encoderDataset: string,
  usedBy: string,
): StepCase {
  const step = stepModel(model, featureShape, classes);
  const optimizer = train.optimizer === 'adam' ? 'adam' : `sgd momentum ${train.momentum}`;
  const name = `${step.text}, batch ${train.batchSize}, ${optimizer}`;
  const key = JSON.stringify([step.model, step.inputShape, classes, train.optimizer, train.optimizer === 'sgd' ? train.momentum : 0, train.batchSize]);
  return {
    key,
    name,
    usedBy: [usedBy],
    inputShape: step.inputShape,
    classes,
    model: step.model,
    ...(step.model.type === 'pretrained' ? { encoder: { dataset: encoderDataset, kind: step.model.encoder } } : {}),
    train: { optimizer: train.optimizer, learningRate: train.learningRate, momentum: train.momentum, batchSize: train.batchSize },
    layers: step.layers,
  };
}

/** The reference of issue 6: a 784-128-10 ReLU MLP at batch 64 with Adam. */
export const REFERENCE_CASE: StepCase = describeCase(
  { type: 'mlp', width: 128, depth: 1, activation: 'relu', dropout: 0 },
  [784],
  10,
  { optimizer: 'adam', learningRate: 0.001, momentum: 0.9, batchSize: 64 },
  'mnist',
  'issue 6 reference',
);

/**
 * The teacher of issue 18's step target: 784-512-512-10 with dropout 0.2 at batch 64 with Adam, kd-mnist's and
 * kd-variants' teacher until they took a smaller one; kept so that the step is compared with the same model.
 */
export const TEACHER_REFERENCE_CASE: StepCase = describeCase(
  { type: 'mlp', width: 512, depth: 2, activation: 'relu', dropout: 0.2 },
  [784],
  10,
  { optimizer: 'adam', learningRate: 0.001, momentum: 0.9, batchSize: 64 },
  'mnist',
  'issue 18 reference teacher',
);

/** The reference cases, then every preset's trained roles, identical steps merged. */
export function stepCases(presetIds?: string[]): StepCase[] {
  const cases = new Map<string, StepCase>([REFERENCE_CASE, TEACHER_REFERENCE_CASE].map((c): [string, StepCase] => [c.key, { ...c, usedBy: [...c.usedBy] }]));
  for (const preset of PRESETS) {
    if (presetIds && !presetIds.includes(preset.id)) continue;
    const config = parseConfig(preset.config);
    const info = datasetInfoOf(config.data);
    for (const { role, model, train, classes } of rolesOf(config)) {
      const c = describeCase(model, [...info.featureShape], classes, train, info.id, `${preset.id} ${role}`);
      const existing = cases.get(c.key);
      if (existing) existing.usedBy.push(...c.usedBy);
      else cases.set(c.key, c);
    }
  }
  return [...cases.values()];
}
