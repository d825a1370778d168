/**
 * Ensembles of weak supervisors, weak-to-strong deception, hard-versus-easy supervision and weak labelling
 * functions in the page: each
 * preset, reduced through a share link, runs to completion on wasm and draws its characteristic plots.
 */
import { expect, test, type Page } from '@playwright/test';
import { encodeLink } from '../src/app/share/url-codec';
import { parseConfig } from '../src/core/config/read';
import type { ExperimentConfig } from '../src/core/config/schema';
import { presetConfig } from '../src/core/presets';
import { collectErrors, displayedAccuracy, openPlayground, readState, waitForStatus, type DistilleryWindow } from './pages';

type Settings = Record<string, unknown>;

/** A preset with some settings replaced (nested objects merged, lists replaced), read like any config. */
function reducedPreset(id: string, overrides: Settings): ExperimentConfig {
  const merge = (base: Settings, extra: Settings): Settings => {
    const out: Settings = { ...base };
    for (const [key, value] of Object.entries(extra))
      out[key] = value && typeof value === 'object' && !Array.isArray(value) && base[key] ? merge(base[key] as Settings, value as Settings) : value;
    return out;
  };
  return parseConfig(merge(structuredClone(presetConfig(id)) as unknown as Settings, overrides));
}

/** 1,000 digits, two rates of two kinds of error: 10 students of a few seconds each. */
const HARD_VS_EASY = reducedPreset('hard-vs-easy', {
  data: { trainSize: 1000, testSize: 1000 },
  errorRates: [0.5, 0.9],
  errorKinds: ['random', 'systematic'],
});
const ENSEMBLE = reducedPreset('w2s-ensemble', {
  data: { transferSize: 1000, validationSize: 200, testSize: 1000 },
  members: { count: 3 },
  student: { train: { epochs: 6 } },
});
const DECEPTION = reducedPreset('w2s-deception', {
  data: { transferSize: 1000, validationSize: 200, testSize: 1000 },
  supervisorSizes: [25, 400],
  student: { train: { epochs: 6 } },
  intermediate: { train: { epochs: 6 } },
});

/** The preset's ten functions, their label models and the probe on 1,000 unlabelled and 1,000 test digits. */
const WEAK_LABELERS = reducedPreset('weak-labelers', { data: { unlabelledSize: 1000, testSize: 1000 } });

async function runLink(page: Page, config: ExperimentConfig): Promise<void> {
  await page.goto(`./?backend=wasm${encodeLink(config, { run: true })}`);
  const state = await waitForStatus(page, 'done', { timeout: 150_000 });
  expect(state.error).toBeNull();
}

/** The finished run's stage accuracies and its charts' point counts, read from the page's state. */
function finished(page: Page) {
  return page.evaluate(() => {
    const { run } = (window as unknown as DistilleryWindow).distillery.getState();
    return {
      accuracy: Object.fromEntries(Object.entries(run.result!.stages).map(([name, s]) => [name, s.accuracy])),
      charts: Object.fromEntries(run.charts.map((c) => [c.info.id, Object.values(c.points).reduce((n, p) => n + p.length, 0)])),
    };
  });
}

async function expectChart(page: Page, id: string, points: number, text: string): Promise<void> {
  const chart = page.getByTestId(`research-chart-${id}`);
  await expect(chart).toBeVisible();
  await expect(chart).toHaveAttribute('data-points', String(points));
  await expect(chart).toContainText(text);
}

test('hard versus easy supervision runs from a link: noisy hard labels at 50% random beat clean easy ones, drawn against the rate', async ({ page }) => {
  test.setTimeout(240_000);
  await runLink(page, HARD_VS_EASY);
  const run = await finished(page);
  expect(Object.keys(run.accuracy)).toHaveLength(10);
  expect(run.accuracy['random-0.5']).toBeGreaterThan(run.accuracy.easy);
  expect(run.accuracy['random-0.5']).toBeGreaterThan(run.accuracy['systematic-0.5']);
  // Two rates for each of two kinds, and the clean and easy references at both rates; each noisy student alone and combined.
  expect(run.charts).toEqual({ supervision: 8, combined: 8 });
  await expectChart(page, 'supervision', 8, 'systematic errors');
  await expectChart(page, 'combined', 8, 'With the clean coarse labels');
  expect(await displayedAccuracy(page, 'clean')).toBeCloseTo(run.accuracy.clean, 3);
});

test('an ensemble of weak supervisors runs from a link and draws its supervisors and the copied shared errors', async ({ page }) => {
  test.setTimeout(240_000);
  await runLink(page, ENSEMBLE);
  const run = await finished(page);
  for (const stage of ['member-1', 'member-2', 'member-3', 'ensemble', 'control', 'student', 'control-student'])
    expect(run.accuracy[stage]).toBeGreaterThan(0.1);
  // Three members, their ensemble and the control.
  expect(run.charts.supervisors).toBe(5);
  await expectChart(page, 'supervisors', 5, 'Test accuracy');
  const shared = page.getByTestId('research-chart-shared-errors');
  await expect(shared).toBeVisible();
  expect(Number(await shared.getAttribute('data-points'))).toBe(run.charts['shared-errors']);
  expect(run.charts['shared-errors']).toBeGreaterThanOrEqual(2);
});

test('weak-to-strong deception runs from a link and draws where the violations fall against the gap', async ({ page }) => {
  test.setTimeout(240_000);
  await runLink(page, DECEPTION);
  const run = await finished(page);
  expect(run.charts.violations).toBeGreaterThanOrEqual(2);
  expect(run.charts.deception).toBeGreaterThanOrEqual(2);
  await expectChart(page, 'violations', run.charts.violations, 'it cannot tell');
  await expectChart(page, 'deception', run.charts.deception, 'capability gap');
});

test('weak labelling functions run from a link: both weightings beat the plain vote, drawn beside each function and the probe', async ({ page }) => {
  test.setTimeout(240_000);
  await runLink(page, WEAK_LABELERS);
  const run = await finished(page);
  expect(run.accuracy['dawid-skene']).toBeGreaterThan(run.accuracy.vote);
  expect(run.accuracy.weighted).toBeGreaterThan(run.accuracy.vote);
  // Each of 10 functions on test, as Dawid-Skene estimates it and as the labels measure it; the best function, the
  // vote, the two label models and the probe.
  expect(run.charts).toEqual({ functions: 30, methods: 5 });
  await expectChart(page, 'functions', 30, 'Estimated by Dawid-Skene, without labels');
  await expectChart(page, 'methods', 5, 'Test accuracy');
  expect(await displayedAccuracy(page, 'probe')).toBeCloseTo(run.accuracy.probe, 3);
});

test('the gallery lists each in its section, and a card starts its preset with its plot declared', async ({ page }) => {
  const errors = collectErrors(page);
  await openPlayground(page, { backend: 'wasm' });
  for (const [id, kind, section, chart] of [
    ['w2s-ensemble', 'ensemble', 'Weak-to-strong generalization', 'supervisors'],
    ['w2s-deception', 'deception', 'Weak-to-strong generalization', 'violations'],
    ['hard-vs-easy', 'hard-vs-easy', 'Weak supervision', 'supervision'],
    ['weak-labelers', 'weak-labelers', 'Weak supervision', 'functions'],
  ] as const) {
    await page.getByTestId('open-gallery').click();
    const card = page.getByRole('region', { name: section }).getByTestId(`gallery-${id}`);
    await expect(card).toBeVisible();
    const before = (await readState(page)).runId;
    await card.click();
    await page.waitForFunction(
      ({ kind, chart, before }) => {
        const { run, draft } = (window as unknown as DistilleryWindow).distillery.getState();
        return run.runId > before && run.status === 'running' && run.start?.kind === kind && draft.kind === kind && run.charts.some((c) => c.info.id === chart);
      },
      { kind, chart, before },
      { timeout: 60_000 },
    );
    await page.getByTestId('stop-button').click();
    await waitForStatus(page, 'cancelled', { timeout: 10_000 });
  }
  expect(errors).toEqual([]);
});
