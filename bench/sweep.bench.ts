/**
 * Sweeps against cores: the same sweep from the CLI with 1, 2, ... worker threads, interleaved round by round (so
 * load on the machine falls on every column alike), with the wall time of each and a check that every run wrote
 * the same numbers. A benchmark: it never fails on a missed target.
 *
 *   npm run bench:sweep -- [--workers 1,2] [--rounds 3] [--preset w2s-mnist]
 *       [--vary supervisor.model=linear,mlp:16] [--vary student.model.head=linear,mlp:64] [--seeds 1-2] [--backend wasm]
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { machineLines, median, rotate, ROOT } from './support';

const { values } = parseArgs({
  options: {
    workers: { type: 'string', default: '1,2' },
    rounds: { type: 'string', default: '3' },
    preset: { type: 'string', default: 'w2s-mnist' },
    vary: { type: 'string', multiple: true, default: ['supervisor.model=linear,mlp:16', 'student.model.head=linear,mlp:64'] },
    seeds: { type: 'string', default: '1-2' },
    backend: { type: 'string', default: 'wasm' },
  },
});

const workerCounts = values.workers.split(',').map(Number);
const rounds = Number(values.rounds);
const dir = mkdtempSync(path.join(os.tmpdir(), 'distillery-bench-sweep-'));
const args = ['--preset', values.preset, ...values.vary.flatMap((v) => ['--vary', v]), '--seeds', values.seeds, '--backend', values.backend];
const log = (text: string) => process.stderr.write(`${text}\n`);

/** A sweep file's numbers without its times, which differ from run to run. */
const numbers = (file: string) => readFileSync(file, 'utf8').replace(/"seconds":[\d.e-]+/g, '"seconds":0');

function runOnce(workers: number, round: number): { seconds: number; file: string } {
  const file = path.join(dir, `w${workers}-r${round}.json`);
  const started = performance.now();
  execFileSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'src/cli/sweep.ts'), ...args, '--workers', String(workers), '--out', file], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return { seconds: (performance.now() - started) / 1000, file };
}

const times = new Map<number, number[]>(workerCounts.map((w) => [w, []]));
const files: string[] = [];
try {
  for (let round = 0; round < rounds; round++) {
    for (const workers of rotate(workerCounts, round)) {
      const { seconds, file } = runOnce(workers, round);
      times.get(workers)!.push(seconds);
      files.push(file);
      log(`round ${round + 1}: ${workers} worker(s) ${seconds.toFixed(1)} s`);
    }
  }
  const reference = numbers(files[0]);
  const same = files.every((f) => numbers(f) === reference);
  const cells = (JSON.parse(readFileSync(files[0], 'utf8')) as { cells: unknown[] }).cells.length;
  const one = median(times.get(workerCounts[0])!);
  console.log(`## Sweeps against cores\n`);
  console.log(`Command: \`npm run bench:sweep -- ${process.argv.slice(2).join(' ')}\``.replace(/ -- `$/, '`'));
  console.log(
    `\n\`npm run sweep -- ${args.join(' ')} --workers N\`: ${cells} cells; wall time of the whole command (median of ${rounds} interleaved rounds).\n`,
  );
  console.log(`| worker threads | seconds | speed-up over ${workerCounts[0]} | per worker |`);
  console.log('|---|---|---|---|');
  for (const workers of workerCounts) {
    const t = median(times.get(workers)!);
    console.log(`| ${workers} | ${t.toFixed(1)} | ${(one / t).toFixed(2)}x | ${(one / t / (workers / workerCounts[0])).toFixed(2)} |`);
  }
  console.log(`\nEvery run wrote the same numbers: ${same ? 'yes' : 'NO'} (${files.length} sweep files compared, times left out).\n`);
  machineLines().forEach((line) => console.log(line));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
