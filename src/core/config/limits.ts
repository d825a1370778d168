/**
 * Memory limits: sizes that each fit their range can still, together, ask a browser tab for gigabytes (a CNN with
 * 64 filters on a batch of 1,024 images holds about 0.7 GB of activations). Such configs are refused before
 * training, naming the limit and what would fit. Each kind says which models it trains (KindSpec.models).
 */
import type { ModelSpec } from './blocks';

/** One model a kind trains: where the config holds it, how it trains, and how many outputs it has. */
export interface ModelUse {
  /** Path of the model spec in the config, e.g. ['supervisor', 'model']. */
  path: string[];
  model: ModelSpec;
  /** Path of the training settings that train this model (null: it never trains). */
  trainPath: string[] | null;
  /** The model's output size (classes, or an output distribution's width). */
  outputs: number;
}

/** Most memory one model's activations may take at once: a training batch (with gradients) or an evaluation chunk. */
export const ACTIVATION_BUDGET_MB = 256;
/** Most rows a model is evaluated on at once (src/core/evaluate.ts; larger models take fewer). */
export const EVALUATION_CHUNK = 2048;

/** Floats one example leaves in memory on a forward pass: every layer's output. */
export function activationsPerExample(model: ModelSpec, featureShape: readonly number[], outputs: number): number {
  switch (model.type) {
    case 'linear':
      return outputs;
    case 'mlp':
      return model.depth * model.width + outputs;
    case 'cnn': {
      const [height = 1, width = 1] = featureShape;
      const half = Math.ceil(height / 2) * Math.ceil(width / 2);
      const quarter = Math.ceil(height / 4) * Math.ceil(width / 4);
      // conv1, its pooling, conv2 (twice the filters), its pooling, the dense layer, the output
      return height * width * model.filters + half * model.filters + half * 2 * model.filters + quarter * 2 * model.filters + model.denseWidth + outputs;
    }
    case 'pretrained':
      return 256 + 64 + (model.head === 'mlp' ? model.headWidth : 0) + outputs;
  }
}

/**
 * Problems with the memory each model needs: a training batch with its gradients, or an evaluation chunk of
 * `evaluatedRows` rows (at most EVALUATION_CHUNK).
 */
export function memoryLimitIssues(
  models: ModelUse[],
  featureShape: readonly number[],
  evaluatedRows: number,
  trainOf: (path: string[]) => { batchSize: number } | undefined,
): { path: PropertyKey[]; message: string }[] {
  const evaluated = Math.min(EVALUATION_CHUNK, evaluatedRows);
  const megabytes = (floats: number) => (floats * 4) / 2 ** 20;
  const issues: { path: PropertyKey[]; message: string }[] = [];
  for (const use of models) {
    const perExample = activationsPerExample(use.model, featureShape, use.outputs);
    const train = use.trainPath ? trainOf(use.trainPath) : undefined;
    const trainingMb = train ? megabytes(2 * perExample * train.batchSize) : 0;
    if (train && use.trainPath && trainingMb > ACTIVATION_BUDGET_MB) {
      const fits = Math.max(1, Math.floor((ACTIVATION_BUDGET_MB * 2 ** 20) / (4 * 2 * perExample)));
      issues.push({
        path: [...use.trainPath, 'batchSize'],
        message: `a batch of ${train.batchSize} on this model needs about ${Math.round(trainingMb)} MB for activations and their gradients, over the limit of ${ACTIVATION_BUDGET_MB} MB; at most ${fits} fits`,
      });
      continue;
    }
    const evaluationMb = megabytes(perExample * evaluated);
    if (evaluationMb > ACTIVATION_BUDGET_MB) {
      issues.push({
        path: use.path,
        message: `evaluating this model on ${evaluated} examples at a time needs about ${Math.round(evaluationMb)} MB of activations, over the limit of ${ACTIVATION_BUDGET_MB} MB; choose a smaller model (fewer filters or units)`,
      });
    }
  }
  return issues;
}
