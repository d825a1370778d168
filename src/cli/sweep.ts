/**
 * Sweeps from the command line: a grid over one or two settings times seeds, run in worker threads, written as one
 * file per machine and merged.
 *
 *   npm run sweep -- --preset w2s-mnist --vary supervisor.model=linear,mlp:16,mlp:64 --vary student.model.head=linear,mlp:64,mlp:256 --seeds 1-3 --workers 2 --out sweep.json
 *   npm run sweep -- --config base.json --vary student.train.learningRate=log:1e-4:1e-2:5 --out lr.json --csv lr
 *   npm run sweep -- ... --shard 2/4 --out part2.json        (this machine's share of the cells)
 *   npm run sweep -- --merge part1.json part2.json part3.json part4.json --out sweep.json
 */
import { readFile, writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { CUSTOM_DATASET } from '../core/config/datasets';
import { parseConfig } from '../core/config/read';
import { PRESETS } from '../core/presets';
import { parseAxisSpec } from '../core/sweep/axes';
import { sweepCellsCsv, sweepSummaryCsv } from '../core/sweep/csv';
import { SweepInputError } from '../core/sweep/errors';
import { mergeSweepFiles, sweepFile, sweepFileJson, type SweepCellRecord, type SweepFile } from '../core/sweep/file';
import { inShard, parseShard, planSweep, type SweepPlan } from '../core/sweep/plan';
import { runSweep } from '../core/sweep/run';
import { parseSeeds } from '../core/sweep/seeds';
import { NODE_BACKENDS, type NodeBackend } from '../node/node-backend';
import { CellPool } from '../node/pool';
import { readBaseConfig, runProgram, UsageError } from './args';
import { formatSweepSummary } from './report';

const USAGE = `usage: npm run sweep -- (--preset ID | --config FILE) --vary PATH=VALUES [--vary PATH=VALUES] [--seeds LIST] [--workers N] [--backend cpu|wasm] [--shard I/N] --out FILE [--csv PREFIX] [--dry-run]
       npm run sweep -- --merge FILE FILE ... --out FILE [--csv PREFIX]
VALUES: 50,100,200 | lin:FROM:TO:COUNT | log:FROM:TO:COUNT | a choice (soft,hard) | a variant (linear,mlp:16,mlp:width=64:depth=2)
LIST: seeds as 1-5 or 1,3,7 (default: the config's seed)`;

/** The most worker threads a sweep may ask for: more threads than cores only share them. */
const MAX_WORKERS = 64;

const percent = (x: unknown) => (typeof x === 'number' && Number.isFinite(x) ? `${(x * 100).toFixed(1)}%` : 'n/a');

function describeCell(plan: SweepPlan, cell: { values: string[]; seed: number }): string {
  return `${plan.axes.map((axis, a) => `${axis.path}=${cell.values[a]}`).join(', ')}, seed ${cell.seed}`;
}

function progressLine(plan: SweepPlan, record: SweepCellRecord, done: number, total: number): string {
  const head = `[${done}/${total}] ${describeCell(plan, record)}`;
  if (record.status !== 'done' || !record.result) return `${head}: ${record.status}${record.reason ? ` (${record.reason})` : ''}`;
  const r = record.result;
  const stages = Object.entries(r.stages).map(([name, stage]) => `${name} ${percent(stage.accuracy)}`);
  const gap = r.pgr.final === null ? 'n/a' : r.pgr.final.toFixed(3);
  return `${head}: ${stages.join(', ')}, gap ${gap} (${r.seconds.toFixed(1)} s)`;
}

async function writeOutputs(file: SweepFile, out: string, csv: string | undefined): Promise<void> {
  await writeFile(out, sweepFileJson(file));
  console.log(`wrote ${out}`);
  if (!csv) return;
  const files: [string, string][] = [[`${csv}-cells.csv`, sweepCellsCsv(file)]];
  if (file.summary) files.unshift([`${csv}-summary.csv`, sweepSummaryCsv(file)]);
  for (const [name, text] of files) {
    await writeFile(name, text);
    console.log(`wrote ${name}`);
  }
}

async function merge(files: string[], out: string, csv: string | undefined): Promise<number> {
  if (files.length === 0) throw new UsageError('--merge needs the files to join: --merge part1.json part2.json ... --out sweep.json');
  const inputs = await Promise.all(
    files.map(async (name) => {
      try {
        return { name, text: await readFile(name, 'utf8') };
      } catch {
        throw new UsageError(`cannot read ${name}`);
      }
    }),
  );
  const merged = mergeSweepFiles(inputs);
  console.log(`${formatSweepSummary(merged)}\n`);
  await writeOutputs(merged, out, csv);
  return merged.cells.some((c) => c.status === 'failed') ? 1 : 0;
}

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      preset: { type: 'string' },
      config: { type: 'string' },
      vary: { type: 'string', multiple: true },
      seeds: { type: 'string' },
      workers: { type: 'string', default: '1' },
      backend: { type: 'string', default: 'wasm' },
      shard: { type: 'string' },
      merge: { type: 'boolean', default: false },
      out: { type: 'string' },
      csv: { type: 'string' },
      'dry-run': { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (values.merge) {
    const extra = (['preset', 'config', 'vary', 'seeds', 'shard'] as const).filter((key) => values[key] !== undefined);
    if (extra.length) throw new UsageError(`--merge joins finished files; ${extra.map((k) => `--${k}`).join(', ')} belong to running a sweep`);
    if (!values.out) throw new UsageError('--merge needs --out FILE for the joined sweep');
    return merge(positionals, values.out, values.csv);
  }
  if (positionals.length) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  if (!values.out && !values['dry-run']) throw new UsageError('--out FILE is required: the sweep is written there');
  if (values.preset && !PRESETS.some((p) => p.id === values.preset)) {
    throw new UsageError(`unknown preset "${values.preset}"; presets: ${PRESETS.map((p) => p.id).join(', ')}`);
  }
  const base = parseConfig(await readBaseConfig(values));
  if (base.data.dataset === CUSTOM_DATASET) throw new UsageError('sweeps over your own CSV are not supported from the command line; sweep it in the page');
  const varied = values.vary ?? [];
  if (varied.length === 0) throw new UsageError('give at least one --vary PATH=VALUES');
  const seeds = values.seeds === undefined ? [base.seed] : parseSeeds(values.seeds);
  const plan = planSweep({ base, axes: varied.map(parseAxisSpec), seeds });
  const problems = [...new Set(plan.axes.flatMap((axis) => axis.values.flatMap((v) => (v.problem ? [v.problem] : []))))];
  if (problems.length) throw new SweepInputError(`values out of their field's range:\n  ${problems.join('\n  ')}`);
  const shard = values.shard === undefined ? null : parseShard(values.shard);
  const workers = Number(values.workers);
  if (!/^\d+$/.test(values.workers) || workers < 1 || workers > MAX_WORKERS) {
    throw new UsageError(
      `--workers must be a whole number from 1 to ${MAX_WORKERS} (this machine has ${availableParallelism()} cores), got "${values.workers}"`,
    );
  }
  if (!(NODE_BACKENDS as readonly string[]).includes(values.backend)) {
    throw new UsageError(`backend "${values.backend}" is not available in Node; use ${NODE_BACKENDS.join(' or ')}`);
  }

  const mine = plan.cells.filter((cell) => inShard(cell, shard));
  const runnable = mine.filter((cell) => cell.config !== null);
  const refused = mine.filter((cell) => cell.config === null);
  console.log(
    `${plan.points.length} points x ${seeds.length} seed${seeds.length === 1 ? '' : 's'} = ${plan.cells.length} cells` +
      `${shard ? `; shard ${shard.index}/${shard.count} holds ${mine.length}` : ''}; ${runnable.length} to run, ${refused.length} refused`,
  );
  for (const cell of refused) console.log(`  refused: ${describeCell(plan, cell)}: ${cell.refused}`);
  if (plan.cells.every((cell) => cell.config === null)) throw new SweepInputError('every cell of the sweep is refused (reasons above): nothing to run');
  if (values['dry-run']) {
    for (const cell of runnable) console.log(`  would run: ${describeCell(plan, cell)}`);
    return 0;
  }

  const threads = Math.max(1, Math.min(workers, runnable.length));
  const started = performance.now();
  const pool = runnable.length ? await CellPool.start(threads, values.backend as NodeBackend) : null;
  let finished = 0;
  let records: SweepCellRecord[];
  try {
    records = await runSweep(
      plan,
      shard,
      (config) => pool!.run(config),
      (record) => record.status !== 'refused' && console.log(progressLine(plan, record, ++finished, runnable.length)),
    );
  } finally {
    await pool?.close();
  }
  const seconds = (performance.now() - started) / 1000;
  console.log(`\n${runnable.length} cells in ${seconds.toFixed(1)} s on ${threads} worker thread${threads === 1 ? '' : 's'} (${values.backend})`);
  for (const [i, stats] of (pool?.stats() ?? []).entries()) {
    const reads = Object.entries(stats.reads);
    const once = reads.every(([, n]) => n === 1);
    console.log(`  thread ${i + 1}: ${stats.cells} cells; read ${reads.length} files from disk${reads.length ? (once ? ', each once' : '') : ''}`);
  }
  const file = sweepFile(plan, shard, values.backend, records);
  if (file.summary) console.log(`\n${formatSweepSummary(file)}`);
  console.log('');
  await writeOutputs(file, values.out!, values.csv);
  const failed = records.filter((r) => r.status === 'failed');
  if (failed.length) console.error(`${failed.length} cell(s) failed: ${failed.map((r) => `cell ${r.index} (${r.reason})`).join('; ')}`);
  return failed.length ? 1 : 0;
}

runProgram(main, USAGE);
