/** What the command-line programs share: reading the base config, usage errors, exit codes. */
import { readFile } from 'node:fs/promises';
import { ConfigError, readConfig } from '../core/config/read';
import type { ExperimentConfigInput } from '../core/config/schema';
import { DEFAULT_PRESET_ID, findPreset } from '../core/presets';
import { SweepInputError } from '../core/sweep/errors';

/** Input the program cannot use: exit code 2, the message and the usage. */
export class UsageError extends Error {}

/** The experiment of --preset ID or --config FILE (read as a link is, migrated, but strictly: never repaired). */
export async function readBaseConfig(values: { preset?: string; config?: string }): Promise<ExperimentConfigInput> {
  if (values.preset && values.config) throw new UsageError('give --preset or --config, not both');
  if (!values.config) return structuredClone(findPreset(values.preset ?? DEFAULT_PRESET_ID).config);
  let text: string;
  try {
    text = await readFile(values.config, 'utf8');
  } catch {
    throw new UsageError(`cannot read config file ${values.config}`);
  }
  // A headless run never swaps a value for its default behind the user's back.
  const read = readConfig(text, { mode: 'strict' });
  for (const notice of read.notices) console.error(`${values.config}: ${notice}`);
  return read.config;
}

/** Runs a program's main: exit code 2 for input it cannot use (with the usage for usage errors), 1 for failures. */
export function runProgram(main: () => Promise<number>, usage: string): void {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      if (error instanceof ConfigError || error instanceof UsageError || error instanceof SweepInputError) {
        console.error(error.message);
        if (error instanceof UsageError) console.error(usage);
        process.exit(2);
      }
      console.error(error instanceof Error ? `error: ${error.message}` : error);
      process.exit(1);
    },
  );
}
