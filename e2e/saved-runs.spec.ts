/**
 * Runs kept in IndexedDB are read as untrusted data. Entries are damaged the way another version, an extension or
 * the developer tools could leave them (written straight into IndexedDB from the page), then the Runs panel is
 * opened: the damaged ones are named in a notice, the others are listed and work, and nothing blanks the page.
 * Long saved runs overlay without freezing the page.
 */
import { expect, test, type Page } from '@playwright/test';
import { encodeLink } from '../src/app/share/url-codec';
import { parseConfig } from '../src/core/config/read';
import type { ExperimentConfig } from '../src/core/config/schema';
import { presetConfig } from '../src/core/presets';
import { collectErrors, waitForStatus, type DistilleryWindow } from './pages';

const copying = presetConfig('w2s-copying') as Extract<ExperimentConfig, { kind: 'weak-to-strong' }>;
const QUICK: ExperimentConfig = parseConfig({
  ...copying,
  supervisor: { ...copying.supervisor, train: { ...copying.supervisor.train, epochs: 3 } },
  student: { ...copying.student, train: { ...copying.student.train, epochs: 2 } },
});

/** In the page: read and write the runs kept in IndexedDB directly, as an extension or the developer tools could. */
interface ArchiveAccess {
  __archive: { read(): Promise<[IDBValidKey, any][]>; write(put: [IDBValidKey, unknown][], remove?: IDBValidKey[]): Promise<void> };
}

function installArchiveAccess(): void {
  const open = () =>
    new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open('distillery');
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
  const done = <T>(request: IDBRequest<T>) =>
    new Promise<T>((resolve, reject) => ((request.onsuccess = () => resolve(request.result)), (request.onerror = () => reject(request.error))));
  (window as unknown as ArchiveAccess).__archive = {
    async read() {
      const db = await open();
      const store = db.transaction('runs', 'readonly').objectStore('runs');
      const [keys, values] = await Promise.all([done(store.getAllKeys()), done(store.getAll())]);
      db.close();
      return keys.map((key, i) => [key, values[i]]);
    },
    async write(put, remove = []) {
      const db = await open();
      const tx = db.transaction('runs', 'readwrite');
      for (const key of remove) tx.objectStore('runs').delete(key);
      for (const [key, value] of put) tx.objectStore('runs').put(value, key);
      await new Promise((resolve, reject) => ((tx.oncomplete = resolve), (tx.onerror = () => reject(tx.error))));
      db.close();
    },
  };
}

const savedRunCount = (page: Page) => page.evaluate(() => (window as unknown as DistilleryWindow).distillery.getState().savedRuns.length);

async function finishQuickRun(page: Page): Promise<void> {
  await page.goto(`./?backend=wasm${encodeLink(QUICK, { run: true })}`);
  await waitForStatus(page, 'done');
  await expect.poll(() => savedRunCount(page)).toBe(1);
  await page.evaluate(installArchiveAccess);
}

test('damaged runs in IndexedDB are skipped with a notice naming each; the others are listed, load and run', async ({ page }) => {
  const errors = collectErrors(page);
  await finishQuickRun(page);
  await page.evaluate(async () => {
    const archive = (window as unknown as ArchiveAccess).__archive;
    const [[, good]] = await archive.read();
    const copy = (title: string, change: (run: any) => void) => {
      const run = structuredClone(good);
      run.title = title;
      change(run);
      return run;
    };
    await archive.write([
      ['a-null', null],
      ['b-no-stages', copy('no stages', (r) => delete r.stages)],
      ['c-unknown-kind', copy('unknown kind', (r) => (r.config.kind = 'quantum-distillation'))],
      [
        'd-older-shape',
        copy('older shape', (r) => {
          delete r.config.version;
          delete r.config.supervisor.source;
          delete r.config.weakLabels;
          r.config.student.train = { epochs: 2, learningRate: 0.01 };
        }),
      ],
      [
        'e-out-of-range',
        copy('out of range', (r) =>
          Object.assign(r.config, {
            seed: -3,
            data: { ...r.config.data, testSize: 1e9 },
            student: { ...r.config.student, train: { ...r.config.student.train, learningRate: 50 } },
          }),
        ),
      ],
      ['f-from-the-future', copy('from the future', (r) => (r.savedAt = Date.now() + 10 * 365 * 86400000))],
      ['g-plain-arrays', copy('plain arrays', (r) => (r.result.predictions.test.label = Array.from(r.result.predictions.test.label)))],
      [
        'h-cycle',
        copy('refers to itself', (r) => {
          r.config.loop = r;
          r.result.self = r.result;
        }),
      ],
      ['i-nan-curve', copy('bad curve', (r) => (r.stages[0].history[0].step = NaN))],
    ]);
  });

  await page.goto('./?autorun=0');
  await expect.poll(() => savedRunCount(page)).toBe(6);
  await page.getByTestId('open-runs').click();
  const panel = page.getByTestId('runs-panel');
  await expect(panel.getByTestId('saved-run')).toHaveCount(6);
  for (const id of ['d-older-shape', 'e-out-of-range', 'f-from-the-future', 'g-plain-arrays', 'h-cycle'])
    await expect(panel.locator(`[data-run-id="${id}"]`)).toHaveCount(1);
  const notices = panel.getByTestId('runs-notices');
  await expect(notices).toContainText('Saved run "a-null" could not be read and was skipped: it is empty (null).');
  await expect(notices).toContainText('Saved run "no stages" ("b-no-stages") could not be read and was skipped: stages is missing.');
  await expect(notices).toContainText('Saved run "unknown kind" ("c-unknown-kind") could not be read and was skipped: its config cannot be read (kind: ');
  await expect(notices).toContainText(
    'Saved run "bad curve" ("i-nan-curve") could not be read and was skipped: stages[0].history[0].step is not a step number.',
  );
  await expect(notices).toContainText(
    'Saved run "plain arrays" ("g-plain-arrays"): its per-example results could not be read (result.predictions.test.label is not an Int32Array)',
  );

  // Every readable run overlays; the page still stands.
  for (const row of await panel.getByTestId('saved-run').all()) await row.getByRole('checkbox').check();
  await expect(panel.getByTestId('overlay-curve')).toHaveCount(18);

  // A saved run with out-of-range values loads repaired, says what was replaced, and runs.
  await panel.locator('[data-run-id="e-out-of-range"]').getByRole('button', { name: 'Load' }).click();
  const linkNotice = page.getByTestId('link-notice');
  await expect(linkNotice).toContainText('Replaced by its default: student.train.learningRate: must be at most 1');
  await expect(linkNotice).toContainText('Replaced by its default: seed: must be at least 0');
  await expect(page.getByTestId('config-problems')).toHaveCount(0);
  await page.getByTestId('run-button').click();
  await waitForStatus(page, 'done', { afterRunId: 0 });

  // The run that just finished comes first, above the one dated ten years ahead; the unreadable entries can go.
  await page.getByTestId('open-runs').click();
  await expect(panel.getByTestId('saved-run')).toHaveCount(7);
  // Named by what differs from its preset (the repaired config: defaults in place of the values out of range).
  await expect(panel.getByTestId('saved-run').first().getByTestId('run-name')).toHaveText(
    'w2s-copying, data.testSize 1000 -> 2000, supervisor.train.epochs 20 -> 3, student.train.learningRate 0.01 -> 0.001, + 1 more, seed 1',
  );
  await panel.getByTestId('remove-unreadable-runs').click();
  await expect(panel.getByTestId('runs-notices')).not.toContainText('could not be read and was skipped');
  await expect(panel.getByTestId('saved-run')).toHaveCount(7);
  expect(errors).toEqual([]);
});

test('fifty runs dated in the future do not push out the run that just finished', async ({ page }) => {
  await finishQuickRun(page);
  await page.evaluate(async () => {
    const archive = (window as unknown as ArchiveAccess).__archive;
    const [[key, good]] = await archive.read();
    const future = Date.now() + 5 * 365 * 86400000;
    await archive.write(
      Array.from({ length: 50 }, (_, i) => [`${(future + i).toString(36)}-${i}`, { ...structuredClone(good), title: `future ${i}`, savedAt: future + i }]),
      [key],
    );
  });
  // A new query string, so that the page loads again (a new hash alone would not reload it).
  await page.goto(`./?backend=wasm&reload=1${encodeLink({ ...QUICK, seed: 7 }, { run: true })}`);
  await waitForStatus(page, 'done');
  await expect
    .poll(() => page.evaluate(() => (window as unknown as DistilleryWindow).distillery.getState().savedRuns.map((r) => r.title)[0]))
    .toBe('w2s-copying, supervisor.train.epochs 20 -> 3, student.train.epochs 20 -> 2, seed 7');
  expect(await savedRunCount(page)).toBe(50);
});

test('two saved runs of 40,000 points a curve overlay without a main-thread task over 50 ms', async ({ page }) => {
  await finishQuickRun(page);
  await page.evaluate(async () => {
    const archive = (window as unknown as ArchiveAccess).__archive;
    const [[key, good]] = await archive.read();
    const long = (title: string) => {
      const run = structuredClone(good);
      run.title = title;
      for (const stage of run.stages) {
        const history = Array.from({ length: 40_000 }, (_, i) => ({
          step: i * 5,
          epoch: Math.floor(i / 100),
          loss: 1 / (1 + i),
          testAccuracy: 0.5 + 0.4 * Math.sin(i / 900) ** 2,
          validationAccuracy: null,
          learningRate: 0.001,
        }));
        stage.history = history;
        run.result.stages[stage.name].history = history;
      }
      return run;
    };
    await archive.write(
      [
        ['r00000001-long-a', long('long a')],
        ['r00000002-long-b', long('long b')],
      ],
      [key],
    );
  });
  await page.addInitScript(() => {
    const tasks: number[] = [];
    (window as unknown as { __longTasks: number[] }).__longTasks = tasks;
    new PerformanceObserver((list) => list.getEntries().forEach((entry) => tasks.push(entry.duration))).observe({ type: 'longtask', buffered: true });
  });
  await page.goto('./?autorun=0');
  await expect.poll(() => savedRunCount(page), { timeout: 30_000 }).toBe(2);
  await page.getByTestId('open-runs').click();
  const panel = page.getByTestId('runs-panel');
  await expect(panel.getByTestId('saved-run')).toHaveCount(2);
  await page.waitForTimeout(500);

  // Tick both runs, then move the smoothing slider; the clicks and the slider are driven from inside the page so
  // that only the page's own work is timed (the test driver's checks run on the page's main thread too). The best
  // of three tries is kept: on a busy machine another process can stretch any task, not only the page's.
  const worst: number[] = [];
  for (let attempt = 0; attempt < 3; attempt++) {
    await page.evaluate(() => ((window as unknown as { __longTasks: number[] }).__longTasks.length = 0));
    await page.evaluate(async () => {
      const boxes = [...document.querySelectorAll<HTMLInputElement>('[data-testid="saved-run"] input[type="checkbox"]')];
      boxes[0].click();
      await new Promise((resolve) => setTimeout(resolve, 200));
      boxes[1].click();
      await new Promise((resolve) => setTimeout(resolve, 200));
      const slider = document.querySelector<HTMLInputElement>('[data-testid="smoothing"]')!;
      Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!.call(slider, String(0.3 + 0.3 * Math.random()));
      slider.dispatchEvent(new Event('input', { bubbles: true }));
      await new Promise((resolve) => setTimeout(resolve, 300));
    });
    await expect(panel.getByTestId('overlay-curve')).toHaveCount(6);
    // Each curve is drawn from at most 121 of its 40,000 points.
    expect(Number(await panel.getByTestId('runs-overlay-chart').getAttribute('data-points'))).toBeLessThanOrEqual(6 * 121);
    const tasks = await page.evaluate(() => (window as unknown as { __longTasks: number[] }).__longTasks);
    worst.push(Math.max(0, ...tasks));
    await page.evaluate(() => document.querySelectorAll<HTMLInputElement>('[data-testid="saved-run"] input[type="checkbox"]').forEach((box) => box.click()));
    await expect(panel.getByTestId('overlay-curve')).toHaveCount(0);
    await page.waitForTimeout(300);
  }
  console.log(`longest main-thread task of each try while overlaying: ${worst.map((t) => Math.round(t)).join(', ')} ms`);
  expect(Math.min(...worst)).toBeLessThanOrEqual(50);
});
