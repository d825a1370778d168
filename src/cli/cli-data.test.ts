/** The command line on a visitor's own CSV: a preset switched to the file, a config that names it, bad files. */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

import { cli } from './test-support';

/** Two noisy, overlapping classes in 2-D with text labels. */
function twoClasses(rows: number): string {
  const lines = ['u,v,kind'];
  for (let i = 0; i < rows; i++) {
    const k = i % 2;
    const t = Math.sin(i * 91.7) * 0.8;
    lines.push(`${(k * 1.2 + t).toFixed(3)},${(Math.cos(i * 7.3) - k * 0.5).toFixed(3)},${k ? 'yes' : 'no'}`);
  }
  return `${lines.join('\n')}\n`;
}

describe('experiment CLI with --data', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'distillery-cli-data-'));
  const csv = path.join(dir, 'points.csv');
  writeFileSync(csv, twoClasses(300));

  it('runs a preset on a CSV, and the config it wrote runs again to the same numbers', async () => {
    const first = path.join(dir, 'first.json');
    const a = await cli(['--preset', 'w2s-copying', '--data', csv, '--label', 'kind', '--backend', 'cpu', '--out', first, '--quiet']);
    expect(a.code).toBe(0);
    expect(a.stdout).toMatch(/^fitted to points\.csv: testSize 1000 -> 60; validationSize 200 -> 30;/m);
    const results = JSON.parse(readFileSync(first, 'utf8'));
    expect(results.dataset).toMatchObject({ id: 'custom', name: 'points.csv', classNames: ['no', 'yes'], testSize: 60 });
    expect(results.config.data.custom).toEqual({
      name: 'points.csv',
      sha256: createHash('sha256').update(readFileSync(csv)).digest('hex'),
      label: 'kind',
      rows: 300,
      features: 2,
      classes: 2,
    });

    const configPath = path.join(dir, 'config.json');
    writeFileSync(configPath, JSON.stringify(results.config));
    const second = path.join(dir, 'second.json');
    const b = await cli(['--config', configPath, '--data', csv, '--backend', 'cpu', '--out', second, '--quiet']);
    expect(b.code).toBe(0);
    const again = JSON.parse(readFileSync(second, 'utf8'));
    for (const stage of ['weak', 'ceiling', 'student']) expect(again.stages[stage].accuracy).toBe(results.stages[stage].accuracy);
    expect(again.predictions).toEqual(results.predictions);

    // The same config with another file is refused by the engine, naming the file it needs.
    const other = path.join(dir, 'other.csv');
    writeFileSync(other, twoClasses(301));
    const c = await cli(['--config', configPath, '--data', other, '--backend', 'cpu', '--quiet']);
    expect(c.code).toBe(1);
    expect(c.stderr).toMatch(/is not the file "points\.csv"/);
  });

  it('names the row and column of a malformed file, and asks for the label column', async () => {
    const bad = path.join(dir, 'bad.csv');
    writeFileSync(bad, twoClasses(30).replace('\n0.', '\nabc0.'));
    const a = await cli(['--preset', 'w2s-copying', '--data', bad, '--label', 'kind']);
    expect(a.code).toBe(2);
    expect(a.stderr).toMatch(/bad\.csv: Row \d+, column 1 \("u"\): "abc0\.\d+" is not a number/);
    const b = await cli(['--preset', 'w2s-copying', '--data', csv]);
    expect(b.code).toBe(2);
    expect(b.stderr).toContain('--data needs --label COLUMN');
  });

  it("--csv writes the page's CSV exports, with labels that look like formulas neutralised", async () => {
    // Labels as a hostile file could carry them; quoted, since one holds a comma.
    const hostile = path.join(dir, 'formulas.csv');
    writeFileSync(hostile, twoClasses(300).replace(/,yes$/gm, ',"=HYPERLINK(""http://evil.example"",""x"")"').replace(/,no$/gm, ',-2+3'));
    const prefix = path.join(dir, 'out');
    const a = await cli(['--preset', 'w2s-copying', '--data', hostile, '--label', 'kind', '--backend', 'cpu', '--csv', prefix, '--quiet']);
    expect(a.code).toBe(0);
    const examples = readFileSync(`${prefix}-examples.csv`, 'utf8').trim().split('\n');
    expect(examples[0]).toBe('index,truth,supervisor,student,category');
    expect(examples).toHaveLength(61);
    for (const line of examples.slice(1)) {
      expect(line).toMatch(/^\d+,("'=HYPERLINK\(""http:\/\/evil\.example"",""x""\)"|'-2\+3),("'=HYPERLINK|'-2\+3)/);
    }
    const curves = readFileSync(`${prefix}-curves.csv`, 'utf8').trim().split('\n');
    expect(curves[0]).toBe('stage,step,epoch,loss,test_accuracy,validation_accuracy,learning_rate');
    // Numbers stay numbers, negative ones included.
    expect(curves.slice(1).every((line) => /^(weak|ceiling|student),\d+,\d+,(-?[\d.e-]+)?,[\d.]+,[\d.]*,[\d.e-]+$/.test(line))).toBe(true);
  });
});
