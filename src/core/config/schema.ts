/**
 * ExperimentConfig: the one description of everything that decides a result. The union of every kind's schema
 * (experiments/kinds.ts), with the checks that span fields: sizes against the dataset, models against the data,
 * each kind's own checks, and the memory limits. The CLI, the worker, the link codec and the form read it here.
 */
import { z } from 'zod';
import { KIND_SPECS, specOf, type ExperimentKind } from '../experiments/kinds';
import { CUSTOM_DATASET, datasetInfoOf } from './datasets';
import { memoryLimitIssues } from './limits';

/** A tuple of specs to the tuple of their schemas (a generic, so that the mapping keeps the tuple). */
type SchemasOf<Specs extends readonly unknown[]> = { -readonly [I in keyof Specs]: Specs[I] extends { schema: infer S } ? S : never };
type KindSchemas = SchemasOf<typeof KIND_SPECS>;
/** Every kind's schema, in registry order. */
export const KIND_SCHEMAS = KIND_SPECS.map((spec) => spec.schema) as unknown as KindSchemas;

function valueAt(target: unknown, path: PropertyKey[]): unknown {
  return path.reduce<unknown>((node, key) => (node !== null && typeof node === 'object' ? (node as Record<PropertyKey, unknown>)[key] : undefined), target);
}

export const ExperimentConfigSchema = z.discriminatedUnion('kind', KIND_SCHEMAS).superRefine((config, ctx) => {
  const issue = (path: PropertyKey[], message: string) => ctx.addIssue({ code: 'custom', path, message });
  if (config.data.dataset === CUSTOM_DATASET && !config.data.custom) {
    issue(['data', 'dataset'], '"custom" needs data.custom, the description of your file (load a CSV or draw points)');
    return;
  }
  const spec = specOf(config.kind);
  const info = datasetInfoOf(config.data);
  const { needed, parts } = spec.rowsNeeded(config);
  if (info.testCount > 0 && needed > info.trainCount) {
    issue(['data'], `${parts} = ${needed} exceeds the ${info.trainCount} training examples of ${info.name}`);
  }
  if (info.testCount === 0 && needed + config.data.testSize > info.trainCount) {
    issue(
      ['data'],
      `${parts} + testSize = ${needed + config.data.testSize} exceeds the ${info.trainCount} examples of ${info.name} (its test set is carved from them)`,
    );
  }
  if (info.testCount > 0 && config.data.testSize > info.testCount) {
    issue(['data', 'testSize'], `${info.name} has ${info.testCount} test examples; testSize must be at most ${info.testCount}`);
  }
  const models = spec.models(config, info);
  for (const { path, model } of models) {
    if (model.type === 'cnn' && info.kind !== 'image') issue([...path, 'type'], `a CNN needs an image dataset; ${info.name} is ${info.kind}`);
    if (model.type === 'pretrained' && !(info.encoders as readonly string[]).includes(model.encoder)) {
      issue([...path, 'encoder'], `no pretrained encoder ships for ${info.name}; pretrained students are available for MNIST and Fashion-MNIST`);
    }
  }
  spec.check?.(config, info, issue);
  const evaluatedRows = Math.max(config.data.testSize, needed);
  const trainOf = (path: string[]) => valueAt(config, path) as { batchSize: number } | undefined;
  for (const { path, message } of memoryLimitIssues(models, info.featureShape, evaluatedRows, trainOf)) issue(path, message);
});

export type ExperimentConfig = z.output<typeof ExperimentConfigSchema>;
export type ExperimentConfigInput = z.input<typeof ExperimentConfigSchema>;
/** The config of one kind. */
export type KindConfig<K extends ExperimentKind> = Extract<ExperimentConfig, { kind: K }>;
