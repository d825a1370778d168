/**
 * Distillation variants and teacher hacking in the page: each preset, made small and opened through a share link,
 * runs to completion and shows its characteristic plots in the research panel.
 */
import { expect, test, type Page } from '@playwright/test';
import { encodeLink } from '../src/app/share/url-codec';
import { parseConfig } from '../src/core/config/read';
import type { KdVariantsConfig } from '../src/core/experiments/kd-variants/spec';
import type { TeacherHackingConfig } from '../src/core/experiments/teacher-hacking/spec';
import { presetConfig } from '../src/core/presets';
import { collectErrors, readState, waitForStatus, type DistilleryWindow } from './pages';

const kd = presetConfig('kd-variants') as KdVariantsConfig;
const KD_SMALL = parseConfig({
  ...kd,
  data: { ...kd.data, trainSize: 1000, labelledSize: 100, testSize: 300 },
  teacher: { model: { type: 'mlp', width: 64, depth: 1 }, train: { ...kd.teacher.train, epochs: 2, evalEvery: 16 } },
  student: { ...kd.student, train: { ...kd.student.train, epochs: 3, evalEvery: 16 } },
  temperatureSweep: [1, 4],
});

const hacking = presetConfig('teacher-hacking') as TeacherHackingConfig;
const HACKING_SMALL = parseConfig({
  ...hacking,
  data: { ...hacking.data, testSize: 200 },
  teacher: { ...hacking.teacher, train: { ...hacking.teacher.train, epochs: 50 } },
  student: { ...hacking.student, train: { ...hacking.student.train, epochs: 60 } },
});

/** Points per series of each chart in the finished run's state. */
function chartPoints(page: Page): Promise<Record<string, Record<string, number>>> {
  return page.evaluate(() => {
    const { run } = (window as unknown as DistilleryWindow).distillery.getState();
    return Object.fromEntries(run.charts.map((c) => [c.info.id, Object.fromEntries(Object.entries(c.points).map(([key, points]) => [key, points.length]))]));
  });
}

test("kd-variants, small: runs in the page and draws TAID's t, the temperature sweep and the variants", async ({ page }) => {
  const errors = collectErrors(page);
  await page.goto(`./?backend=wasm${encodeLink(KD_SMALL, { run: true })}`);
  const done = await waitForStatus(page, 'done', { timeout: 60_000 });
  expect(done.result?.kind).toBe('kd-variants');
  expect(done.result?.stages).toEqual(['teacher', 'baseline', 'kd', 'reverse-kl', 'taid', 'kd-T1']);
  const taidPoints = done.stages.find((s) => s.name === 'taid')!.points;

  const points = await chartPoints(page);
  expect(points['temperature-sweep']).toEqual({ student: 2, baseline: 2, teacher: 2 });
  expect(points['taid-t']).toEqual({ t: taidPoints, floor: taidPoints });
  expect(points.variants).toEqual({ accuracy: 5, gap: 3 });

  const sweep = page.getByTestId('research-chart-temperature-sweep');
  await expect(sweep).toBeVisible();
  await expect(sweep).toHaveAttribute('data-points', '6');
  await expect(page.getByTestId('research-chart-taid-t')).toHaveAttribute('data-points', String(2 * taidPoints));
  await expect(page.getByTestId('research-chart-variants')).toHaveAttribute('data-points', '8');
  expect(errors).toEqual([]);
});

test('teacher-hacking, small: runs in the page and draws the proxy and golden distances of both students', async ({ page }) => {
  const errors = collectErrors(page);
  await page.goto(`./?backend=wasm${encodeLink(HACKING_SMALL, { run: true })}`);
  const done = await waitForStatus(page, 'done', { timeout: 60_000 });
  expect(done.result?.kind).toBe('teacher-hacking');
  expect(done.result?.stages).toEqual(['teacher', 'fixed', 'fresh']);
  const measured = (name: string) => done.stages.find((s) => s.name === name)!.points;

  const points = await chartPoints(page);
  expect(points.distances).toEqual({
    'fixed-proxy': measured('fixed'),
    'fixed-golden': measured('fixed'),
    'fresh-proxy': measured('fresh'),
    'fresh-golden': measured('fresh'),
  });
  const chart = page.getByTestId('research-chart-distances');
  await expect(chart).toBeVisible();
  await expect(chart).toHaveAttribute('data-points', String(2 * (measured('fixed') + measured('fresh'))));
  // The matrix still compares a student with its supervisor (the teacher), against the oracle's labels.
  const state = await readState(page);
  const m = state.result!.mistakes;
  expect(m.bothRight + m.beats + m.copies + m.otherWrong + m.regresses).toBe(200);
  expect(errors).toEqual([]);
});
