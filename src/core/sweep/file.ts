/**
 * A sweep's results file: the definition (base config, axes as typed, seeds), the share it covers, one record per
 * cell (its config, and its result without per-example predictions) and, for a whole sweep, a summary per point.
 * Shards' files are merged into the file the whole sweep would have written; files are read as untrusted data.
 */
import type { ExperimentResult } from '../experiments/contract';
import type { StageResult } from '../experiments/figures';
import { ConfigError, readConfig } from '../config/read';
import type { ExperimentConfig } from '../config/schema';
import { parseUntrustedJson } from '../untrusted-json';
import type { AxisKind, AxisSpec } from './axes';
import { SweepInputError } from './errors';
import { inShard, planSweep, type PlannedCell, type Shard, type SweepDefinition, type SweepPlan } from './plan';
import { summariseSeeds, type SeedSummary } from './summary';

export const SWEEP_FORMAT = 'distillery-sweep';

/** A result as a sweep keeps it: everything but the per-example predictions (open the cell as a run for those). */
export type LeanStage = Omit<StageResult, 'testPredictions' | 'bestTestPredictions' | 'gridPredictions'>;
export type LeanResult = Omit<ExperimentResult, 'predictions' | 'stages'> & { stages: Record<string, LeanStage> };

export function leanResult(result: ExperimentResult | LeanResult): LeanResult {
  const { predictions: _predictions, stages, ...rest } = result as ExperimentResult;
  const lean: Record<string, LeanStage> = {};
  for (const [name, stage] of Object.entries(stages)) {
    const { testPredictions: _test, bestTestPredictions: _best, gridPredictions: _grid, ...kept } = stage;
    lean[name] = kept;
  }
  return { ...rest, stages: lean };
}

export interface SweepCellRecord {
  index: number;
  point: number;
  values: string[];
  seed: number;
  status: 'done' | 'refused' | 'failed';
  /** Why a cell was refused or failed. */
  reason: string | null;
  config: ExperimentConfig | null;
  result: LeanResult | null;
}

/** One point of the grid over its seeds. */
export interface SweepPointSummary {
  point: number;
  values: string[];
  /** Cells of this point by status. */
  done: number;
  refused: number;
  failed: number;
  /** Over the seeds that ran; null when none did. */
  summary: SeedSummary | null;
}

export interface SweepFile {
  format: typeof SWEEP_FORMAT;
  formatVersion: 1;
  definition: SweepDefinition;
  /** Each axis with its values as labelled (for readers; the definition is what counts). */
  axes: { path: string; kind: AxisKind; values: string[] }[];
  /** The share of the cells this file holds; null for the whole sweep. */
  shard: Shard | null;
  backend: string;
  /** Sorted by index. */
  cells: SweepCellRecord[];
  /** Per point, over its seeds: only in a whole sweep's file (null in a shard's). */
  summary: SweepPointSummary[] | null;
}

/** The record of a planned cell, before or after it runs. */
export function cellRecord(cell: PlannedCell, outcome: { result: ExperimentResult | LeanResult } | { error: string } | null): SweepCellRecord {
  const { index, point, values, seed, config } = cell;
  if (cell.refused !== null) return { index, point, values, seed, status: 'refused', reason: cell.refused, config: null, result: null };
  if (outcome && 'result' in outcome) return { index, point, values, seed, status: 'done', reason: null, config, result: leanResult(outcome.result) };
  return { index, point, values, seed, status: 'failed', reason: outcome?.error ?? 'not run', config, result: null };
}

/** Per point of the plan, over the seeds whose cells are done. */
export function summariseSweep(plan: Pick<SweepPlan, 'points'>, cells: readonly SweepCellRecord[]): SweepPointSummary[] {
  return plan.points.map((point) => {
    const mine = cells.filter((c) => c.point === point.index);
    const done = mine.filter((c) => c.status === 'done' && c.result).map((c) => c.result!);
    return {
      point: point.index,
      values: point.values,
      done: done.length,
      refused: mine.filter((c) => c.status === 'refused').length,
      failed: mine.filter((c) => c.status === 'failed').length,
      summary: done.length ? summariseSeeds(done) : null,
    };
  });
}

export function sweepFile(plan: SweepPlan, shard: Shard | null, backend: string, cells: readonly SweepCellRecord[]): SweepFile {
  const sorted = [...cells].sort((a, b) => a.index - b.index);
  return {
    format: SWEEP_FORMAT,
    formatVersion: 1,
    definition: plan.definition,
    axes: plan.axes.map((axis) => ({ path: axis.path, kind: axis.kind, values: axis.values.map((v) => v.label) })),
    shard,
    backend,
    cells: sorted,
    summary: shard === null ? summariseSweep(plan, sorted) : null,
  };
}

/** A sweep file as JSON text: one line per cell, so that a diff or `grep` finds a cell. */
export function sweepFileJson(file: SweepFile): string {
  const { cells, summary, ...head } = file;
  const lines = cells.map((cell) => `    ${JSON.stringify(cell)}`);
  const headText = JSON.stringify(head, null, 2).slice(0, -2);
  return `${headText},\n  "cells": [\n${lines.join(',\n')}\n  ],\n  "summary": ${JSON.stringify(summary)}\n}\n`;
}

/** Files over this are not sweeps this program wrote (10,000 cells of a few tens of kB each). */
export const MAX_SWEEP_FILE = 512 * 2 ** 20;

const isObject = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);

/**
 * Reads a sweep file from untrusted text: its definition is planned again (the base config read strictly), and
 * every cell must be a cell of that plan and of the file's shard, with the planned config.
 */
export function readSweepFile(name: string, text: string): { file: SweepFile; plan: SweepPlan } {
  const parsed = parseUntrustedJson(text, MAX_SWEEP_FILE);
  if (!parsed.ok) throw new SweepInputError(`${name}: it is ${parsed.problem}`);
  const value = parsed.value;
  if (!isObject(value) || value.format !== SWEEP_FORMAT) throw new SweepInputError(`${name}: not a sweep file (no "format": "${SWEEP_FORMAT}")`);
  if (value.formatVersion !== 1)
    throw new SweepInputError(`${name}: sweep format version ${JSON.stringify(value.formatVersion)} is not one this program reads (1)`);
  const definition = value.definition;
  if (!isObject(definition) || !Array.isArray(definition.axes) || !Array.isArray(definition.seeds)) throw new SweepInputError(`${name}: no sweep definition`);
  let base: ExperimentConfig;
  try {
    base = readConfig(definition.base, { mode: 'strict' }).config;
  } catch (error) {
    throw new SweepInputError(`${name}: its base config does not validate: ${error instanceof ConfigError ? error.problems.join('; ') : String(error)}`);
  }
  const axes = definition.axes.map((axis): AxisSpec => {
    if (!isObject(axis) || typeof axis.path !== 'string' || typeof axis.values !== 'string')
      throw new SweepInputError(`${name}: an axis is not {path, values}`);
    return { path: axis.path, values: axis.values };
  });
  const seeds = definition.seeds.map((seed) => {
    if (typeof seed !== 'number') throw new SweepInputError(`${name}: a seed is not a number`);
    return seed;
  });
  let plan: SweepPlan;
  try {
    plan = planSweep({ base, axes, seeds });
  } catch (error) {
    throw new SweepInputError(`${name}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const shard = readShard(name, value.shard);
  if (typeof value.backend !== 'string') throw new SweepInputError(`${name}: no backend`);
  if (!Array.isArray(value.cells)) throw new SweepInputError(`${name}: no cells`);
  const seen = new Set<number>();
  const cells = value.cells.map((cell) => {
    const record = readCell(name, cell, plan, shard);
    if (seen.has(record.index)) throw new SweepInputError(`${name}: cell ${record.index} appears twice`);
    seen.add(record.index);
    return record;
  });
  const missing = plan.cells.filter((c) => inShard(c, shard) && !seen.has(c.index));
  if (missing.length) throw new SweepInputError(`${name}: ${missing.length} cell(s) of its share are missing (first: cell ${missing[0].index})`);
  return { file: sweepFile(plan, shard, value.backend, cells), plan };
}

function readShard(name: string, shard: unknown): Shard | null {
  if (shard === null) return null;
  if (isObject(shard) && Number.isInteger(shard.index) && Number.isInteger(shard.count)) {
    const [index, count] = [shard.index as number, shard.count as number];
    if (count >= 1 && index >= 1 && index <= count) return { index, count };
  }
  throw new SweepInputError(`${name}: its shard is not {index, count} with 1 <= index <= count`);
}

function readCell(name: string, cell: unknown, plan: SweepPlan, shard: Shard | null): SweepCellRecord {
  if (!isObject(cell) || !Number.isInteger(cell.index)) throw new SweepInputError(`${name}: a cell has no index`);
  const planned = plan.cells[cell.index as number];
  const where = `${name}: cell ${String(cell.index)}`;
  if (!planned) throw new SweepInputError(`${where} is not a cell of its sweep (${plan.cells.length} cells)`);
  if (!inShard(planned, shard)) throw new SweepInputError(`${where} does not belong to shard ${shard?.index}/${shard?.count}`);
  if (planned.refused !== null) {
    if (cell.status !== 'refused') throw new SweepInputError(`${where} was refused when planned (${planned.refused}) but is marked ${String(cell.status)}`);
    return cellRecord(planned, null);
  }
  if (JSON.stringify(cell.config) !== JSON.stringify(planned.config)) throw new SweepInputError(`${where}: its config is not the one its sweep plans`);
  if (cell.status === 'failed') return cellRecord(planned, { error: typeof cell.reason === 'string' ? cell.reason : 'failed' });
  if (cell.status !== 'done') throw new SweepInputError(`${where}: status ${JSON.stringify(cell.status)} is not done, refused or failed`);
  const result = cell.result;
  if (!isObject(result) || !isObject(result.stages) || !isObject(result.pgr) || !isObject(result.mistakes) || !isObject(result.mistakes.test)) {
    throw new SweepInputError(`${where}: its result is not an experiment result`);
  }
  if (result.kind !== planned.config!.kind || JSON.stringify(result.config) !== JSON.stringify(planned.config)) {
    throw new SweepInputError(`${where}: its result is of another config`);
  }
  for (const [stage, value] of Object.entries(result.stages)) {
    if (!isObject(value) || !Array.isArray(value.history)) throw new SweepInputError(`${where}: stage ${stage} of its result has no history`);
  }
  return cellRecord(planned, { result: result as unknown as LeanResult });
}

/** The first difference between two definitions, in words. */
function definitionDifference(a: SweepDefinition, b: SweepDefinition): string | null {
  if (JSON.stringify(a.axes) !== JSON.stringify(b.axes)) return `its axes differ (${describeAxes(a.axes)} against ${describeAxes(b.axes)})`;
  if (JSON.stringify(a.seeds) !== JSON.stringify(b.seeds)) return `its seeds differ (${a.seeds.join(',')} against ${b.seeds.join(',')})`;
  const path = firstDifference(a.base, b.base, []);
  return path === null ? null : `its base config differs at ${path || '(config)'}`;
}

const describeAxes = (axes: AxisSpec[]) => axes.map((axis) => `${axis.path}=${axis.values}`).join(' ');

function firstDifference(a: unknown, b: unknown, path: string[]): string | null {
  if (isObject(a) && isObject(b)) {
    for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
      const found = firstDifference(a[key], b[key], [...path, key]);
      if (found !== null) return found;
    }
    return null;
  }
  return JSON.stringify(a) === JSON.stringify(b) ? null : path.join('.');
}

/** Joins the files of every shard of one sweep into the file the whole sweep writes; refuses, naming why, files that do not fit together. */
export function mergeSweepFiles(inputs: readonly { name: string; text: string }[]): SweepFile {
  if (inputs.length === 0) throw new SweepInputError('nothing to merge');
  const read = inputs.map((input) => ({ name: input.name, ...readSweepFile(input.name, input.text) }));
  const [first] = read;
  for (const other of read.slice(1)) {
    const difference = definitionDifference(first.file.definition, other.file.definition);
    if (difference) throw new SweepInputError(`${other.name} is from a different sweep than ${first.name}: ${difference}`);
    if (other.file.backend !== first.file.backend) {
      throw new SweepInputError(`${other.name} ran on ${other.file.backend} and ${first.name} on ${first.file.backend}: backends give different numbers`);
    }
  }
  const whole = read.find((r) => r.file.shard === null);
  if (whole && read.length > 1) throw new SweepInputError(`${whole.name} already holds the whole sweep; merge only the shards' files`);
  if (!whole) {
    const count = first.file.shard!.count;
    const byIndex = new Map<number, string>();
    for (const r of read) {
      const shard = r.file.shard!;
      if (shard.count !== count) throw new SweepInputError(`${r.name} is shard ${shard.index}/${shard.count} and ${first.name} is one of ${count}`);
      const taken = byIndex.get(shard.index);
      if (taken) throw new SweepInputError(`${r.name} and ${taken} are both shard ${shard.index}/${count}`);
      byIndex.set(shard.index, r.name);
    }
    const missing = Array.from({ length: count }, (_, i) => i + 1).filter((i) => !byIndex.has(i));
    if (missing.length) throw new SweepInputError(`shard(s) ${missing.map((i) => `${i}/${count}`).join(', ')} missing: give every shard's file`);
  }
  return sweepFile(
    first.plan,
    null,
    first.file.backend,
    read.flatMap((r) => r.file.cells),
  );
}
