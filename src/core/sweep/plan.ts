/**
 * Planning a sweep: the grid of axis values times seeds, every cell a config read the way every config is read
 * (readConfig, strictly) and checked before anything runs. A cell that does not validate (a model over the memory
 * limit, a value out of range, sizes the dataset cannot supply) is refused with the reason; the others run.
 */
import { ConfigError, readConfig } from '../config/read';
import type { ExperimentConfig } from '../config/schema';
import { applyAxisValues, resolveAxis, writtenPaths, type Axis, type AxisSpec } from './axes';
import { SweepInputError } from './errors';
import { parseSeeds } from './seeds';

/** What a sweep is, as it is written in its files and compared when shards are merged. */
export interface SweepDefinition {
  base: ExperimentConfig;
  /** One or two axes, as typed. */
  axes: AxisSpec[];
  seeds: number[];
}

export interface PlannedCell {
  /** Position in the sweep: points in order (the first axis outermost), seeds innermost. */
  index: number;
  /** Which point of the grid (one value per axis). */
  point: number;
  /** The value of each axis, as labelled. */
  values: string[];
  seed: number;
  /** The config that runs, exactly as opening the cell as a run uses it; null when refused. */
  config: ExperimentConfig | null;
  refused: string | null;
}

export interface SweepPlan {
  definition: SweepDefinition;
  axes: Axis[];
  /** Every combination of axis values, in order. */
  points: { index: number; values: string[] }[];
  cells: PlannedCell[];
}

export const MAX_AXES = 2;
/** More cells than this is not something to start by accident. */
export const MAX_CELLS = 10_000;

/** Plans every cell and checks each; throws SweepInputError for axes that cannot be read or a grid that is too large. */
export function planSweep(definition: SweepDefinition): SweepPlan {
  const { base, seeds } = definition;
  if (definition.axes.length === 0) throw new SweepInputError('a sweep needs at least one axis (PATH=VALUES)');
  if (definition.axes.length > MAX_AXES) throw new SweepInputError(`a sweep has at most ${MAX_AXES} axes (got ${definition.axes.length})`);
  if (seeds.length === 0) throw new SweepInputError('a sweep needs at least one seed');
  parseSeeds(seeds.join(','));
  const axes = definition.axes.map((spec) => resolveAxis(base, spec));
  checkDisjoint(axes);
  const pointCount = axes.reduce((count, axis) => count * axis.values.length, 1);
  if (pointCount * seeds.length > MAX_CELLS) {
    throw new SweepInputError(`the sweep has ${pointCount} points x ${seeds.length} seeds = ${pointCount * seeds.length} cells; at most ${MAX_CELLS}`);
  }
  const points = Array.from({ length: pointCount }, (_, index) => {
    let rest = index;
    const chosen = new Array<number>(axes.length);
    for (let a = axes.length - 1; a >= 0; a--) {
      chosen[a] = rest % axes[a].values.length;
      rest = Math.floor(rest / axes[a].values.length);
    }
    return { index, chosen };
  });
  const cells: PlannedCell[] = [];
  for (const point of points) {
    const values = point.chosen.map((v, a) => axes[a].values[v]);
    const candidate = applyAxisValues(base, values);
    for (const seed of seeds) {
      const planned = { index: cells.length, point: point.index, values: values.map((v) => v.label), seed };
      // A value out of its field's range is refused here too, with the schema's message beside any other.
      cells.push({ ...planned, ...checkCell({ ...candidate, seed }) });
    }
  }
  return { definition, axes, points: points.map((p) => ({ index: p.index, values: p.chosen.map((v, a) => axes[a].values[v].label) })), cells };
}

/** A cell's config read as every config is: through readConfig, strictly. */
function checkCell(candidate: unknown): { config: ExperimentConfig; refused: null } | { config: null; refused: string } {
  try {
    return { config: readConfig(candidate, { mode: 'strict' }).config, refused: null };
  } catch (error) {
    return { config: null, refused: error instanceof ConfigError ? error.problems.join('; ') : error instanceof Error ? error.message : String(error) };
  }
}

/** Two axes that write the same setting (student.model and student.model.head) would overwrite each other. */
function checkDisjoint(axes: Axis[]): void {
  for (let a = 0; a < axes.length; a++) {
    for (let b = a + 1; b < axes.length; b++) {
      for (const first of writtenPaths(axes[a])) {
        for (const second of writtenPaths(axes[b])) {
          if (first === second || first.startsWith(`${second}.`) || second.startsWith(`${first}.`)) {
            throw new SweepInputError(`axes ${axes[a].path} and ${axes[b].path} both set ${first.length < second.length ? first : second}: sweep one of them`);
          }
        }
      }
    }
  }
}

/** A share of a sweep for one machine: shard I of N. */
export interface Shard {
  index: number;
  count: number;
}

/** Reads "I/N" (1 <= I <= N). */
export function parseShard(text: string): Shard {
  const match = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  if (!match) throw new SweepInputError(`shard "${text.slice(0, 20)}": write I/N, e.g. 1/4 for the first of four shares`);
  const [index, count] = [Number(match[1]), Number(match[2])];
  if (count < 1 || count > MAX_CELLS) throw new SweepInputError(`shard ${index}/${count}: N must be 1 to ${MAX_CELLS}`);
  if (index < 1 || index > count) throw new SweepInputError(`shard ${index}/${count}: I must be 1 to ${count}`);
  return { index, count };
}

/** Whether a cell belongs to a shard: cells are dealt out in turn, so every shard gets some of each point. */
export function inShard(cell: { index: number }, shard: Shard | null): boolean {
  return shard === null || cell.index % shard.count === shard.index - 1;
}
