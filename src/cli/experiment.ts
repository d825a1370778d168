/**
 * Headless runner: the same core as the browser worker, in Node.
 *
 *   npm run experiment -- --preset w2s-mnist [--seed N] [--backend cpu|wasm] [--out results.json]
 *   npm run experiment -- --config my-config.json
 *   npm run experiment -- --list
 *   npm run experiment -- --preset w2s-copying --data my.csv --label species   (a preset on your own CSV)
 *   npm run experiment -- --config shared.json --data my.csv                    (a config that names my.csv)
 *   npm run experiment -- --preset w2s-copying --csv out/run    (out/run-curves.csv, -examples.csv, -research-plots.csv)
 */
import { readFile, writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError, parseConfig } from '../core/config/read';
import { CUSTOM_DATASET, type CustomData } from '../core/config/datasets';
import type { ExperimentConfigInput } from '../core/config/schema';
import { readCsvRows, type CustomRows } from '../core/data/csv';
import { describeCustomRows, fitConfigToCustomData, sha256Hex } from '../core/data/custom';
import { chartsCsv, curvesCsv, examplesCsv } from '../core/csv-export';
import { readConfig } from '../core/config/read';
import { runExperiment } from '../core/experiments/registry';
import type { ExperimentEvent, ExperimentResult } from '../core/experiments/contract';
import { findPreset, PRESETS, DEFAULT_PRESET_ID } from '../core/presets';
import { nodeAssetSource } from '../node/node-assets';
import { startNodeBackend, type NodeBackend } from '../node/node-backend';
import { resultToJson } from '../core/experiments/serialize';
import { formatResultTable } from './report';

const USAGE = `usage: npm run experiment -- [--preset ID | --config FILE] [--data FILE.csv [--label COLUMN]] [--seed N] [--backend cpu|wasm] [--out FILE] [--csv PREFIX] [--quiet]
       npm run experiment -- --list`;

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
  if (values.preset && values.config) throw new UsageError('give --preset or --config, not both');

  let config: ExperimentConfigInput;
  if (values.config) {
    let text: string;
    try {
      text = await readFile(values.config, 'utf8');
    } catch {
      throw new UsageError(`cannot read config file ${values.config}`);
    }
    // Read as a link or an imported file is (migrated from older settings versions), but strictly: a headless
    // run never swaps a value for its default behind the user's back.
    const read = readConfig(text, { mode: 'strict' });
    for (const notice of read.notices) console.error(`${values.config}: ${notice}`);
    config = read.config;
  } else {
    config = structuredClone(findPreset(values.preset ?? DEFAULT_PRESET_ID).config);
  }
  if (values.seed !== undefined) {
    const seed = Number(values.seed);
    if (!Number.isInteger(seed)) throw new UsageError(`--seed must be an integer, got "${values.seed}"`);
    config = { ...config, seed };
  }

  let customRows: CustomRows | undefined;
  if (values.data) ({ config, customRows } = await withCustomData(config, values.data, values.label));
  else if (values.label) throw new UsageError('--label goes with --data');

  await startNodeBackend(values.backend as NodeBackend);
  const result: ExperimentResult = await runExperiment(config, { assets: nodeAssetSource(), onEvent: progressPrinter(values.quiet), customRows });
  console.log(`\n${formatResultTable(result)}`);
  if (values.out) {
    await writeFile(values.out, resultToJson(result));
    console.log(`\nwrote ${values.out}`);
  }
  if (values.csv) {
    // The page's CSV exports, from the same writer.
    const test = result.predictions.test;
    const files: [string, string][] = [
      [`${values.csv}-curves.csv`, curvesCsv(Object.values(result.stages))],
      [`${values.csv}-examples.csv`, examplesCsv(result.dataset.classNames, test.label, test.supervisor, test.student)],
      ...(result.charts.length ? [[`${values.csv}-research-plots.csv`, chartsCsv(result.charts)] as [string, string]] : []),
    ];
    for (const [file, text] of files) {
      await writeFile(file, text);
      console.log(`wrote ${file}`);
    }
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

class UsageError extends Error {}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof ConfigError || error instanceof UsageError) {
      console.error(error.message);
      if (error instanceof UsageError) console.error(USAGE);
      process.exit(2);
    }
    console.error(error instanceof Error ? `error: ${error.message}` : error);
    process.exit(1);
  },
);
