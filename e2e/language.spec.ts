/**
 * The language lab in the page: lm-distill, reduced, runs from a link on wasm, draws its bits-per-character curves
 * and shows what every model wrote; a second page opened from the same link shows the same writing and numbers. A
 * prompt of one's own with characters the models have never seen and more text than they read is named, cut and
 * run. The other two language presets run reduced from links and draw their plots. Screenshots of the lab at
 * 1280x720 and 390x844 go to SCREENSHOT_DIR when it is set.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { encodeLink } from '../src/app/share/url-codec';
import { parseConfig } from '../src/core/config/read';
import type { ExperimentConfig } from '../src/core/config/schema';
import { presetConfig } from '../src/core/presets';
import { collectErrors, waitForStatus, type DistilleryWindow } from './pages';

type Distill = Extract<ExperimentConfig, { kind: 'lm-distill' }>;
const preset = presetConfig('lm-distill') as Distill;
/** 3,000 characters, 30 steps, measured every 10: a few seconds a model on wasm. */
const DISTILL = parseConfig({
  ...preset,
  data: { ...preset.data, textBudget: 3000, testSize: 1000 },
  student: { ...preset.student, train: { ...preset.student.train, epochs: 1, evalEvery: 10 } },
  seqKd: { continuation: 30 },
  sampling: { ...preset.sampling, length: 60 },
}) as Distill;
const STUDENTS = ['xent', 'forward-kl', 'reverse-kl', 'taid', 'seq-kd'];

async function runLink(page: Page, config: ExperimentConfig): Promise<void> {
  await page.goto(`./?backend=wasm${encodeLink(config, { run: true })}`);
  const state = await waitForStatus(page, 'done', { timeout: 150_000 });
  expect(state.error).toBeNull();
}

/** What the finished run shows: each card's figure, each model's last writing, from the page's state and its text. */
async function shown(page: Page) {
  const state = await page.evaluate(() => {
    const { run } = (window as unknown as DistilleryWindow).distillery.getState();
    const bits = Object.fromEntries(Object.entries(run.result!.stages).map(([name, s]) => [name, s.bitsPerCharacter ?? null]));
    const last = new Map(run.samples.map((s) => [s.stage, s]));
    return { bits, writing: Object.fromEntries([...last].map(([name, s]) => [name, { step: s.step, prompt: s.prompt, text: s.text, bits: s.bits }])) };
  });
  const cards = Object.fromEntries(
    await Promise.all(Object.keys(state.bits).map(async (name) => [name, await page.getByTestId(`bits-${name}`).textContent()])),
  );
  const texts = Object.fromEntries(
    await Promise.all(Object.keys(state.bits).map(async (name) => [name, await page.getByTestId(`writing-${name}`).getByTestId('sample-text').textContent()])),
  );
  return { ...state, cards, texts };
}

async function screenshot(page: Page, name: string): Promise<void> {
  const dir = process.env.SCREENSHOT_DIR;
  if (!dir) return;
  mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: path.join(dir, name), fullPage: false });
}

test('lm-distill runs from a link, draws its curves and shows what every model wrote; a second page shows the same', async ({ page, context }) => {
  const errors = collectErrors(page);
  await runLink(page, DISTILL);
  const first = await shown(page);
  expect(Object.keys(first.bits)).toEqual(['teacher', ...STUDENTS]);
  // Every model has held-out bits per character on its card (lower is better: the teacher's is the lowest).
  for (const [name, bits] of Object.entries(first.bits)) {
    expect(bits, name).toBeGreaterThan(1);
    expect(first.cards[name]).toContain(bits!.toFixed(3));
    expect(bits!, `${name} against the teacher`).toBeGreaterThanOrEqual(first.bits.teacher!);
  }
  // The curves: held-out bits per character, one line per model (the teacher's flat and dashed).
  const curves = page.getByTestId('chart-bitsPerCharacter');
  await expect(curves).toBeVisible();
  await expect(curves).toContainText('Held-out bits per character');
  for (const name of ['Teacher', 'Cross-entropy alone', 'Forward KL', 'Reverse KL', 'TAID', 'Sequence-level KD']) await expect(curves).toContainText(name);
  await expect(curves.locator('.recharts-line')).toHaveCount(6);
  // The plot of bits per model.
  await expect(page.getByTestId('research-chart-bits-per-model')).toBeVisible();
  // Writing from every model: the prompt as read, then 60 written characters, each with its surprisal in the page.
  const lab = page.getByTestId('language-lab');
  for (const name of ['teacher', ...STUDENTS]) {
    const writing = first.writing[name];
    expect(writing.step, name).toBe(name === 'teacher' ? 0 : 30);
    expect(Array.from(writing.text)).toHaveLength(60);
    expect(writing.bits).toHaveLength(Array.from(writing.prompt).length + 60);
    expect(first.texts[name]!.replace(/↵/g, '')).toBe(writing.prompt + writing.text);
    await expect(lab.getByTestId(`writing-${name}`)).toContainText('step');
  }
  // An earlier measurement can be chosen: every student then shows what it wrote at that step.
  await lab.getByTestId('writing-step').selectOption('10');
  await expect(lab.getByTestId('writing-xent')).toContainText('step 10');
  await expect(lab.getByTestId('writing-teacher')).toContainText('step 0');
  await lab.getByTestId('writing-step').selectOption('latest');
  await screenshot(page, 'lab-1280x720.png');

  // The same link in a second page: the same writing, character for character, and the same numbers.
  const second = await context.newPage();
  await runLink(second, DISTILL);
  const again = await shown(second);
  expect(again.writing).toEqual(first.writing);
  expect(again.bits).toEqual(first.bits);
  expect(again.cards).toEqual(first.cards);
  expect(again.texts).toEqual(first.texts);
  await second.close();
  expect(errors).toEqual([]);
});

test('a prompt of your own: unseen characters are named and left out, a long prompt is cut to the context, and the run goes on', async ({ page }) => {
  const errors = collectErrors(page);
  await page.setViewportSize({ width: 390, height: 844 });
  const quick = parseConfig({ ...DISTILL, data: { ...DISTILL.data, textBudget: 1000 }, sampling: { ...DISTILL.sampling, length: 20 } }) as Distill;
  await page.goto(`./?backend=wasm${encodeLink(quick, { run: false })}`);
  const input = page.getByTestId('prompt-input');
  await expect(input).toBeVisible();
  const typed = `Ça va? 😀 Tab\there, and then a long, long sentence that goes on well past what the models read. The end`;
  await input.fill(typed);
  const notes = page.getByTestId('prompt-note');
  await expect(notes.first()).toContainText('never seen');
  for (const named of ['"Ç" (U+00C7)', '"😀" (U+1F600)', 'a tab']) await expect(page.getByTestId('language-lab')).toContainText(named);
  await expect(page.getByTestId('language-lab')).toContainText('only the last 32 characters');
  const read = 't what the models read. The end';
  await expect(page.getByTestId('prompt-read')).toContainText(read);
  await page.getByTestId('run-button').click();
  await waitForStatus(page, 'done', { timeout: 150_000 });
  const result = await page.evaluate(() => (window as unknown as DistilleryWindow).distillery.getState().run.result!.language!);
  expect(result.prompt.asked).toBe(typed);
  expect(Array.from(result.prompt.used)).toHaveLength(32);
  expect(result.prompt.used.endsWith(read)).toBe(true);
  expect(result.prompt.notes.join(' ')).toMatch(/never seen.*"Ç"/);
  for (const sample of result.samples) expect(sample.prompt).toBe(result.prompt.used);
  await page.getByTestId('language-lab').scrollIntoViewIfNeeded();
  await screenshot(page, 'lab-390x844.png');
  // An empty prompt runs too: the models start as if at the top of a page.
  await input.fill('');
  await expect(page.getByTestId('language-lab')).toContainText('The prompt is empty');
  expect(errors).toEqual([]);
});

test('teacher hacking and data selection with language models run from links and draw their plots', async ({ page }) => {
  const hacking = presetConfig('lm-teacher-hacking') as Extract<ExperimentConfig, { kind: 'lm-teacher-hacking' }>;
  await runLink(
    page,
    parseConfig({
      ...hacking,
      data: { ...hacking.data, teacherText: 2000, transferSize: 200, testSize: 500 },
      teacher: { ...hacking.teacher, train: { ...hacking.teacher.train, epochs: 1, evalEvery: 10 } },
      student: { ...hacking.student, train: { ...hacking.student.train, epochs: 4, evalEvery: 4 } },
      sampling: { ...hacking.sampling, length: 20 },
    }),
  );
  await expect(page.getByTestId('research-chart-distances')).toBeVisible();
  for (const name of ['oracle', 'teacher', 'fixed', 'fresh']) await expect(page.getByTestId(`writing-${name}`).getByTestId('sample-text')).not.toBeEmpty();

  const selection = presetConfig('lm-data-selection') as Extract<ExperimentConfig, { kind: 'lm-data-selection' }>;
  await runLink(
    page,
    parseConfig({
      ...selection,
      data: { ...selection.data, referenceText: 2000, candidates: 8000, testSize: 500 },
      reference: { ...selection.reference, train: { ...selection.reference.train, epochs: 1, evalEvery: 10 } },
      student: { ...selection.student, train: { ...selection.student.train, epochs: 1, evalEvery: 10 } },
      sampling: { ...selection.sampling, length: 20 },
    }),
  );
  await expect(page.getByTestId('research-chart-window-scores')).toBeVisible();
  for (const name of ['teacher', 'reference', 'random', 'selected']) await expect(page.getByTestId(`bits-${name}`)).not.toHaveText('–');
  // No beat/copy matrix for language models: the lab takes its place.
  await expect(page.getByTestId('matrix-panel')).toHaveCount(0);
});
