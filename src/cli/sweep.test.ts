/** `npm run sweep` as a user runs it: bad input refused with exit code 2, shards merged, threads that change no number. */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from './test-support';

const dir = mkdtempSync(path.join(tmpdir(), 'distillery-sweep-'));
const file = (name: string) => path.join(dir, name);
const sweep = (args: string[]) => cli(args, 'sweep', 300_000);

/** A small weak-to-strong experiment on two moons: seconds per cell. */
const base = file('base.json');
writeFileSync(
  base,
  JSON.stringify({
    kind: 'weak-to-strong',
    data: { dataset: 'moons', supervisorSize: 100, transferSize: 300, validationSize: 50, testSize: 200 },
    supervisor: { model: { type: 'linear' }, train: { epochs: 4, learningRate: 0.05 } },
    student: { model: { type: 'mlp', width: 16 }, train: { epochs: 4, learningRate: 0.01 } },
  }),
);
const grid = ['--config', base, '--vary', 'student.model.width=4,16', '--vary', 'weakLabels.kind=soft,hard', '--seeds', '1-2', '--backend', 'wasm'];

/** A sweep file without the times, which differ from run to run. */
const numbers = (name: string) => readFileSync(file(name), 'utf8').replace(/"seconds":[\d.e-]+/g, '"seconds":0');

describe('npm run sweep', () => {
  it('refuses bad input with exit code 2 and a message naming the problem', async () => {
    const cases: [string[], string][] = [
      [
        ['--preset', 'w2s-mnist', '--vary', 'student.model.width=16', '--out', file('x.json')],
        'axis student.model.width: not a setting of this weak-to-strong experiment: student.model has no field "width" while its type is "pretrained"',
      ],
      [
        ['--preset', 'w2s-mnist', '--vary', 'student.model.head=linear,mlp:600', '--out', file('x.json')],
        "values out of their field's range:\n  student.model.headWidth: must be at most 512 (allowed range 1 to 512; got 600)",
      ],
      [['--preset', 'w2s-mnist', '--vary', 'data.supervisorSize=', '--out', file('x.json')], 'axis data.supervisorSize: no values'],
      [['--preset', 'w2s-mnist', '--vary', 'data.supervisorSize=50', '--shard', '3/2', '--out', file('x.json')], 'shard 3/2: I must be 1 to 2'],
      [
        ['--preset', 'w2s-mnist', '--vary', 'data.supervisorSize=50', '--workers', '0', '--out', file('x.json')],
        '--workers must be a whole number from 1 to 64',
      ],
      [
        ['--preset', 'w2s-mnist', '--vary', 'data.supervisorSize=50', '--seeds', '3-1', '--out', file('x.json')],
        'seeds: the range 3-1 runs backwards; write 1-3',
      ],
      [['--preset', 'w2s-mnist', '--vary', 'data.transferSize=9500', '--out', file('x.json')], 'every cell of the sweep is refused'],
      [['--preset', 'w2s-mnist', '--vary', 'data.supervisorSize=50'], '--out FILE is required'],
      [['--preset', 'w2s-mnist', '--out', file('x.json')], 'give at least one --vary PATH=VALUES'],
      [['--preset', 'nope', '--vary', 'data.supervisorSize=50', '--out', file('x.json')], 'unknown preset "nope"; presets: w2s-mnist'],
      [
        ['--preset', 'w2s-mnist', '--vary', 'data.supervisorSize=50', '--backend', 'webgpu', '--out', file('x.json')],
        'backend "webgpu" is not available in Node; use cpu or wasm',
      ],
      [['--merge', file('missing.json'), '--out', file('x.json')], `cannot read ${file('missing.json')}`],
      [['--merge', base, '--vary', 'data.supervisorSize=50', '--out', file('x.json')], '--merge joins finished files; --vary belong to running a sweep'],
      [['--merge', base, '--out', file('x.json')], `${base}: not a sweep file`],
    ];
    // Four at a time: each is a process of its own.
    const results: Awaited<ReturnType<typeof sweep>>[] = [];
    for (let i = 0; i < cases.length; i += 4) results.push(...(await Promise.all(cases.slice(i, i + 4).map(([args]) => sweep(args)))));
    for (const [i, [args, message]] of cases.entries()) {
      expect({ args, code: results[i].code }).toEqual({ args, code: 2 });
      expect(results[i].stderr).toContain(message);
    }
    // The refused cell's reason is printed before the sweep gives up.
    expect(results[6].stdout).toContain(
      'refused: data.transferSize=9500, seed 1: data: supervisorSize + transferSize + validationSize = 10100 exceeds the 10000 training examples',
    );
  });

  it('--workers 2 gives the numbers of --workers 1, and --shard 1/2 + --shard 2/2 + --merge gives the whole sweep', async () => {
    const [one, two, first, second] = await Promise.all([
      sweep([...grid, '--workers', '1', '--out', file('one.json'), '--csv', file('one')]),
      sweep([...grid, '--workers', '2', '--out', file('two.json')]),
      sweep([...grid, '--workers', '2', '--shard', '1/2', '--out', file('part1.json')]),
      sweep([...grid, '--shard', '2/2', '--out', file('part2.json')]),
    ]);
    for (const run of [one, two, first, second]) expect(run.stderr).toBe('');
    expect([one.code, two.code, first.code, second.code]).toEqual([0, 0, 0, 0]);
    expect(one.stdout).toContain('4 points x 2 seeds = 8 cells; 8 to run, 0 refused');
    expect(two.stdout).toMatch(/8 cells in [\d.]+ s on 2 worker threads \(wasm\)/);
    expect(first.stdout).toContain('shard 1/2 holds 4');

    const merged = await sweep(['--merge', file('part2.json'), file('part1.json'), '--out', file('merged.json')]);
    expect(merged.code).toBe(0);
    expect(numbers('two.json')).toBe(numbers('one.json'));
    expect(numbers('merged.json')).toBe(numbers('one.json'));
    const sweepFile = JSON.parse(readFileSync(file('one.json'), 'utf8'));
    expect(sweepFile.cells).toHaveLength(8);
    expect(sweepFile.summary).toHaveLength(4);
    expect(JSON.parse(readFileSync(file('part1.json'), 'utf8')).summary).toBeNull();

    // The table and the CSV hold the mean over the seeds of what the cells hold.
    const cells = sweepFile.cells.filter((c: { point: number }) => c.point === 3);
    const mean = (cells[0].result.stages.student.accuracy + cells[1].result.stages.student.accuracy) / 2;
    const csv = readFileSync(file('one-summary.csv'), 'utf8').trim().split('\n');
    const header = csv[0].split(',');
    const row = csv[4].split(',');
    expect(row.slice(0, 3)).toEqual(['16', 'hard', '2']);
    expect(Number(row[header.indexOf('student_accuracy_mean')])).toBeCloseTo(mean, 12);
    expect(one.stdout).toMatch(/Final test accuracy per point \(mean ± sd over seeds\):/);

    // A cell opened as a run on its own gives the cell's numbers.
    const cell = sweepFile.cells[5];
    writeFileSync(file('cell.json'), JSON.stringify(cell.config));
    const alone = await cli(['--config', file('cell.json'), '--backend', 'wasm', '--out', file('alone.json'), '--quiet']);
    expect(alone.code).toBe(0);
    const result = JSON.parse(readFileSync(file('alone.json'), 'utf8'));
    for (const stage of ['weak', 'ceiling', 'student']) {
      expect(result.stages[stage].accuracy).toBe(cell.result.stages[stage].accuracy);
      expect(result.stages[stage].history).toEqual(cell.result.stages[stage].history);
    }

    // Files of two different sweeps are not merged.
    const other = await sweep([...grid.slice(0, -4), '--seeds', '1', '--shard', '2/2', '--out', file('other.json')]);
    expect(other.code).toBe(0);
    const refused = await sweep(['--merge', file('part1.json'), file('other.json'), '--out', file('x.json')]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`${file('other.json')} is from a different sweep than ${file('part1.json')}: its seeds differ (1,2 against 1)`);
  }, 900_000);
});
