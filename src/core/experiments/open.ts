/** Opening an experiment: its splits on the device, the models it builds, and one scope that releases them all. */
import type { ExperimentConfig } from '../config/schema';
import type { ModelSpec } from '../config/blocks';
import { buildSplits, type ExperimentData } from '../data/splits';
import { encoderId, loadEncoderWeights } from '../models/encoder-weights';
import { buildModel, type Model } from '../models/model';
import { encodeAll } from '../evaluate';
import { tf, type Tensor1D, type Tensor2D } from '../tf';
import type { RunContext } from './context';
import type { ExperimentStart } from './contract';
import type { DecisionGrid, StageInfo } from './figures';

/** A config whose data is a dataset of labelled examples (not a text corpus). */
export type DatasetConfig = Extract<ExperimentConfig, { data: { noise: number } }>;

/** Tensors of one labelled split. */
export interface SplitTensors {
  x: Tensor2D;
  y: Tensor1D;
  count: number;
}

export function toTensors(set: { x: Float32Array; y: Int32Array; count: number }, featureSize: number): SplitTensors {
  return { x: tf.tensor2d(set.x, [set.count, featureSize]), y: tf.tensor1d(set.y, 'int32'), count: set.count };
}

export function oneHot(labels: Tensor1D, numClasses: number): Tensor2D {
  return tf.tidy(() => tf.cast(tf.oneHot(labels, numClasses), 'float32') as Tensor2D);
}

/**
 * Encoded inputs per (encoding, split), computed once: a frozen encoder's features are shared by every model
 * that uses the same encoder (the ceiling and the student).
 */
export class EncodingCache {
  private readonly entries = new Map<string, Tensor2D>();
  constructor(private readonly signal?: AbortSignal) {}
  async encode(model: Model, split: string, raw: Tensor2D): Promise<Tensor2D> {
    if (model.encodingKey === 'raw') return raw;
    // The tensor's id too: a kind may train on several sets under one split's name (bootstraps, subsets of A).
    const key = `${model.encodingKey}|${split}|${raw.id}`;
    let encoded = this.entries.get(key);
    if (!encoded) {
      encoded = tf.keep(await encodeAll(model, raw, this.signal));
      this.entries.set(key, encoded);
    }
    return encoded;
  }
  dispose(): void {
    this.entries.forEach((t) => t.dispose());
    this.entries.clear();
  }
}

export async function createModel(spec: ModelSpec, data: ExperimentData, ctx: RunContext, initLabel: string): Promise<Model> {
  const encoder = spec.type === 'pretrained' ? await loadEncoderWeights(encoderId(data.datasetId, spec.encoder), ctx.assets) : undefined;
  return buildModel(spec, { featureShape: data.featureShape, numClasses: data.classNames.length, rng: ctx.rng.fork(initLabel), encoder });
}

/**
 * Everything an experiment allocates (tensors, models, encoded inputs), released together in one `finally`.
 */
export class ExperimentScope {
  readonly cache: EncodingCache;
  private readonly tensors: tf.Tensor[] = [];
  private readonly models: { dispose(): void }[] = [];

  constructor(signal?: AbortSignal) {
    this.cache = new EncodingCache(signal);
  }

  own<T extends tf.Tensor>(tensor: T): T {
    this.tensors.push(tensor);
    return tensor;
  }

  split(set: { x: Float32Array; y: Int32Array; count: number }, featureSize: number): SplitTensors {
    const tensors = toTensors(set, featureSize);
    this.own(tensors.x);
    this.own(tensors.y);
    return tensors;
  }

  model<M extends { dispose(): void }>(model: M): M {
    this.models.push(model);
    return model;
  }

  dispose(): void {
    this.models.forEach((m) => m.dispose());
    this.cache.dispose();
    this.tensors.forEach((t) => t.dispose());
  }
}

export interface OpenedExperiment {
  data: ExperimentData;
  numClasses: number;
  scope: ExperimentScope;
  test: SplitTensors;
  /** Decision-grid points for 2-D data. */
  grid: Tensor2D | undefined;
}

/**
 * Builds the splits, announces the experiment, and puts the test set (and grid) on the device. `prepare` may
 * replace the data before it is announced (an oracle that relabels every example); what it allocates goes in
 * `scope`, which is released if it fails.
 */
export async function openExperiment(
  config: DatasetConfig,
  ctx: RunContext,
  parts: { name: string; size: number }[],
  stages: StageInfo[],
  prepare?: (data: ExperimentData, scope: ExperimentScope) => Promise<ExperimentData>,
): Promise<OpenedExperiment> {
  const { dataset, noise, testSize, custom } = config.data;
  const scope = new ExperimentScope(ctx.signal);
  let data = await buildSplits({ dataset, noise, testSize, parts, custom, customRows: ctx.customRows }, ctx.seed, ctx.assets);
  if (prepare) {
    try {
      data = await prepare(data, scope);
    } catch (error) {
      scope.dispose();
      throw error;
    }
  }
  const gridData = decisionGrid(data);
  ctx.onEvent?.(experimentStart(config.kind, data, stages, gridData?.grid ?? null));
  const test = scope.split(data.test, data.featureSize);
  const grid = gridData ? scope.own(tf.tensor2d(gridData.points, [gridData.points.length / 2, 2])) : undefined;
  return { data, numClasses: data.classNames.length, scope, test, grid };
}

const GRID_RESOLUTION = 48;

/** A grid covering the 2-D data with a margin; null for other data. */
export function decisionGrid(data: ExperimentData): { grid: DecisionGrid; points: Float32Array } | null {
  if (data.featureSize !== 2) return null;
  let xMin = Infinity,
    xMax = -Infinity,
    yMin = Infinity,
    yMax = -Infinity;
  for (const set of [data.test, ...Object.values(data.parts)]) {
    for (let i = 0; i < set.count; i++) {
      xMin = Math.min(xMin, set.x[2 * i]);
      xMax = Math.max(xMax, set.x[2 * i]);
      yMin = Math.min(yMin, set.x[2 * i + 1]);
      yMax = Math.max(yMax, set.x[2 * i + 1]);
    }
  }
  const margin = 0.1 * Math.max(xMax - xMin, yMax - yMin);
  const bounds: DecisionGrid['bounds'] = [xMin - margin, xMax + margin, yMin - margin, yMax + margin];
  const n = GRID_RESOLUTION;
  const points = new Float32Array(n * n * 2);
  for (let j = 0; j < n; j++) {
    for (let i = 0; i < n; i++) {
      points[2 * (j * n + i)] = bounds[0] + ((i + 0.5) / n) * (bounds[1] - bounds[0]);
      points[2 * (j * n + i) + 1] = bounds[2] + ((j + 0.5) / n) * (bounds[3] - bounds[2]);
    }
  }
  return { grid: { bounds, resolution: n }, points };
}

/** The experiment-start event: what the UI needs before the first step. */
export function experimentStart(kind: ExperimentConfig['kind'], data: ExperimentData, stages: StageInfo[], grid: DecisionGrid | null): ExperimentStart {
  return {
    type: 'experiment-start',
    kind,
    dataset: data.name,
    datasetKind: data.kind,
    classNames: data.classNames,
    stages,
    test: { features: data.test.x, featureShape: data.featureShape, labels: data.test.y },
    grid,
  };
}
