/** Runs the command line as a user would, for the CLI tests. */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';

const execute = promisify(execFile);
const TSX = path.resolve('node_modules/.bin/tsx');

/** Runs `npm run experiment` (or another program of src/cli) with the given arguments. */
export async function cli(
  args: string[],
  program: 'experiment' | 'sweep' = 'experiment',
  timeout = 120_000,
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await execute(TSX, [path.resolve(`src/cli/${program}.ts`), ...args], { timeout });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}
