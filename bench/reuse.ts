/**
 * The rerun the stage cache is for: the same experiment with only the student changed (its learning rate times
 * 0.9), so that every stage the student does not depend on (a teacher, a supervisor, a ceiling) can be reused.
 * "The student" is the config's `student`; in a kind without one, the last of its trained models: the last link of
 * a distillation chain, the updated model of a model update.
 */
import { parseConfig } from '../src/core/config/read';
import type { ExperimentConfig } from '../src/core/config/schema';

interface Trained {
  train: { learningRate: number };
}

const isTrained = (value: unknown): value is Trained =>
  typeof value === 'object' && value !== null && typeof (value as Partial<Trained>).train?.learningRate === 'number';

/** The path of the model to change: `student`, else the last trained model found in the config's own order. */
function studentPath(config: ExperimentConfig): (string | number)[] {
  if (isTrained((config as { student?: unknown }).student)) return ['student'];
  const found: (string | number)[][] = [];
  const walk = (value: unknown, path: (string | number)[]) => {
    if (isTrained(value)) found.push(path);
    if (Array.isArray(value)) value.forEach((item, i) => walk(item, [...path, i]));
    else if (typeof value === 'object' && value !== null) for (const [key, item] of Object.entries(value)) if (key !== 'train') walk(item, [...path, key]);
  };
  walk(config, []);
  const last = found.filter((path) => path[0] !== 'teacher' && path[0] !== 'supervisor').pop();
  if (!last) throw new Error(`${config.kind}: no student to change`);
  return last;
}

export function withStudentChanged(config: ExperimentConfig): ExperimentConfig {
  const copy = structuredClone(config) as unknown as Record<string | number, unknown>;
  const target = studentPath(config).reduce<Record<string | number, unknown>>(
    (node, key) => node[key] as Record<string | number, unknown>,
    copy,
  ) as unknown as Trained;
  target.train.learningRate = Number((target.train.learningRate * 0.9).toPrecision(6));
  return parseConfig(copy);
}
