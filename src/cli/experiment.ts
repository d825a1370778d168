/**
 * Headless runner: the same core as the browser worker, in Node.
 *
 *   npm run experiment -- --preset w2s-mnist [--seed N] [--backend cpu|wasm] [--out results.json]
 *   npm run experiment -- --preset w2s-mnist --seeds 1-3 --out seeds.json    (every seed's results and their summary)
 *   npm run experiment -- --config my-config.json
 *   npm run experiment -- --list
 *   npm run experiment -- --preset w2s-copying --data my.csv --label species   (a preset on your own CSV)
 *   npm run experiment -- --config shared.json --data my.csv                    (a config that names my.csv)
 *   npm run experiment -- --preset w2s-copying --csv out/run    (out/run-curves.csv, -examples.csv, -research-plots.csv)
 */
import { readFile, writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { parseConfig } from '../core/config/read';
import { CUSTOM_DATASET, type CustomData } from '../core/config/datasets';
import type { ExperimentConfig, ExperimentConfigInput } from '../core/config/schema';
import { readCsvRows, type CustomRows } from '../core/data/csv';
import { describeCustomRows, fitConfigToCustomData, sha256Hex } from '../core/data/custom';
import { chartsCsv, curvesCsv, examplesCsv } from '../core/csv-export';
import { runExperiment } from '../core/experiments/registry';
import type { ExperimentEvent, ExperimentResult } from '../core/experiments/contract';
import { PRESETS } from '../core/presets';
import { parseSeeds } from '../core/sweep/seeds';
import { summariseSeeds } from '../core/sweep/summary';
import { seedSummaryCsv } from '../core/sweep/csv';
import { nodeAssetSource } from '../node/node-assets';
import { startNodeBackend, type NodeBackend } from '../node/node-backend';
import { resultToJson } from '../core/experiments/serialize';
import { readBaseConfig, runProgram, UsageError } from './args';
import { formatResultTable, formatSeedSummary } from './report';

const USAGE = `usage: npm run experiment -- [--preset ID | --config FILE] [--data FILE.csv [--label COLUMN]] [--seed N | --seeds LIST] [--backend cpu|wasm] [--out FILE] [--csv PREFIX] [--quiet]
       npm run experiment -- --list
LIST: seeds as 1-5 or 1,3,7; with --seeds, --out writes every seed's results and their summary`;

function progressPrinter(quiet: boolean): (event: ExperimentEvent) => void {
  let lastPercent = -1;
  return (event) => {
    switch (event.type) {
      case 'experiment-start':
        console.log(`${event.kind} on ${event.dataset}: ${event.stages.map((s) => s.label).join(' -> ')}`);
        break;
      case 'stage-start':
        lastPercent = -1;
        console.log(
          `[${event.stage}] ${event.model}, ${event.parameters.toLocaleString('en')} parameters, ${event.trainingExamples} examples, ${event.totalSteps} steps`,
        );
        break;
      case 'step': {
        if (quiet) break;
        const percent = Math.floor((10 * event.step) / event.totalSteps) * 10;
        if (percent > lastPercent && event.step > 0) {
          lastPercent = percent;
          const bits = event.bitsPerCharacter !== undefined ? `  held-out ${event.bitsPerCharacter.toFixed(4)} bits/char` : '';
          console.log(`  step ${event.step}/${event.totalSteps}  loss ${event.loss.toFixed(4)}  test acc ${event.testAccuracy.toFixed(4)}${bits}`);
        }
        break;
      }
      case 'stage-end': {
        const r = event.result;
        const early = r.stoppedEarly ? `, stopped early at step ${r.stepsRun}` : '';
        if (r.bitsPerCharacter !== undefined) {
          console.log(
            `[${event.stage}] done: ${r.bitsPerCharacter.toFixed(4)} bits per character on held-out text (next character right ${r.accuracy.toFixed(4)}) in ${r.seconds.toFixed(1)} s`,
          );
          break;
        }
        console.log(
          `[${event.stage}] done: test accuracy ${r.accuracy.toFixed(4)} (best ${r.bestAccuracy.toFixed(4)} at step ${r.bestStep}${early}) in ${r.seconds.toFixed(1)} s`,
        );
        break;
      }
    }
  };
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      preset: { type: 'string' },
      config: { type: 'string' },
      seed: { type: 'string' },
      seeds: { type: 'string' },
      data: { type: 'string' },
      label: { type: 'string' },
      backend: { type: 'string', default: 'wasm' },
      out: { type: 'string' },
      csv: { type: 'string' },
      list: { type: 'boolean', default: false },
      quiet: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (values.list) {
    for (const preset of PRESETS) console.log(`${preset.id.padEnd(14)} ${preset.title}\n${' '.repeat(15)}${preset.lesson}`);
    return 0;
  }
  let config: ExperimentConfigInput = await readBaseConfig(values);
  if (values.seed !== undefined && values.seeds !== undefined) throw new UsageError('give --seed or --seeds, not both');
  const seeds = values.seeds === undefined ? null : parseSeeds(values.seeds);
  if (values.seed !== undefined) {
    const seed = Number(values.seed);
    if (!Number.isInteger(seed)) throw new UsageError(`--seed must be an integer, got "${values.seed}"`);
    config = { ...config, seed };
  }

  let customRows: CustomRows | undefined;
  if (values.data) ({ config, customRows } = await withCustomData(config, values.data, values.label));
  else if (values.label) throw new UsageError('--label goes with --data');

  await startNodeBackend(values.backend as NodeBackend);
  if (seeds) return runSeeds(parseConfig(config), seeds, { ...values, customRows });
  const result: ExperimentResult = await runExperiment(config, { assets: nodeAssetSource(), onEvent: progressPrinter(values.quiet), customRows });
  console.log(`\n${formatResultTable(result)}`);
  if (values.out) {
    await writeFile(values.out, resultToJson(result));
    console.log(`\nwrote ${values.out}`);
  }
  if (values.csv) await writeFiles(resultCsvFiles(result, values.csv));
  return 0;
}

/** The page's CSV exports of one result, from the same writer. */
function resultCsvFiles(result: ExperimentResult, prefix: string): [string, string][] {
  const test = result.predictions.test;
  return [
    [`${prefix}-curves.csv`, curvesCsv(Object.values(result.stages))],
    [`${prefix}-examples.csv`, examplesCsv(result.dataset.classNames, test.label, test.supervisor, test.student)],
    ...(result.charts.length ? [[`${prefix}-research-plots.csv`, chartsCsv(result.charts)] as [string, string]] : []),
  ];
}

async function writeFiles(files: [string, string][]): Promise<void> {
  for (const [file, text] of files) {
    await writeFile(file, text);
    console.log(`wrote ${file}`);
  }
}

/** One experiment over several seeds, one after another: each seed's results, then their mean and spread. */
async function runSeeds(
  config: ExperimentConfig,
  seeds: number[],
  options: { quiet: boolean; out?: string; csv?: string; customRows?: CustomRows },
): Promise<number> {
  const results: ExperimentResult[] = [];
  for (const seed of seeds) {
    console.log(`\n=== seed ${seed} (${results.length + 1} of ${seeds.length})`);
    const result = await runExperiment(
      { ...config, seed },
      { assets: nodeAssetSource(), onEvent: progressPrinter(options.quiet), customRows: options.customRows },
    );
    console.log(`\n${formatResultTable(result)}`);
    results.push(result);
  }
  const summary = summariseSeeds(results);
  console.log(`\n${formatSeedSummary(summary)}`);
  if (options.out) {
    await writeFile(options.out, resultToJson({ format: 'distillery-seeds', formatVersion: 1, seeds, results, summary }));
    console.log(`\nwrote ${options.out}`);
  }
  if (options.csv) {
    const prefix = options.csv;
    await writeFiles([...results.flatMap((r) => resultCsvFiles(r, `${prefix}-seed${r.config.seed}`)), [`${prefix}-summary.csv`, seedSummaryCsv(summary)]]);
  }
  return 0;
}

/**
 * Reads a CSV for the run. A config that names custom data keeps it (the engine checks the file is the one
 * named); any other config (a preset) is switched to the file, with --label naming its label column.
 */
async function withCustomData(
  config: ExperimentConfigInput,
  file: string,
  label: string | undefined,
): Promise<{ config: ExperimentConfigInput; customRows: CustomRows }> {
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await readFile(file));
  } catch {
    throw new UsageError(`cannot read data file ${file}`);
  }
  const data = (config as { data?: { dataset?: string; custom?: CustomData } }).data;
  const named = data?.dataset === CUSTOM_DATASET ? data.custom : undefined;
  const column = label ?? named?.label;
  if (!column) throw new UsageError('--data needs --label COLUMN, the column that holds the classes');
  const rows = readCsvRows(bytes, column, await sha256Hex(bytes));
  if (!rows.ok) throw new UsageError(`${file}: ${rows.error.message}`);
  if (named && (label === undefined || label === named.label)) return { config, customRows: rows.value };
  const fitted = fitConfigToCustomData(parseConfig(config), describeCustomRows(rows.value, basename(file)));
  if (fitted.changes.length) console.log(`fitted to ${basename(file)}: ${fitted.changes.join('; ')}`);
  return { config: fitted.config, customRows: rows.value };
}

runProgram(main, USAGE);
