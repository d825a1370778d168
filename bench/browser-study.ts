/**
 * Seeds in the page against workers (`npm run bench:browser -- --study 1-9 --study-workers 1,2`): the page's
 * "Seeds & sweeps…" panel runs the preset on every seed in its pool of workers, one worker per core less one. The
 * page is told it has N + 1 cores (navigator.hardwareConcurrency), so the pool has N workers; the time is from
 * Start to the last cell done, interleaved round by round, and every worker count must give the same accuracies.
 */
import type { Browser } from '@playwright/test';
import { median, rotate } from './support';

interface StudyRun {
  seconds: number;
  /** The student's accuracy on each seed as the panel lists it (the same for every worker count). */
  accuracies: string;
}

async function runStudy(browser: Browser, url: string, workers: number, seeds: string, timeoutS: number): Promise<StudyRun> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
  try {
    const page = await context.newPage();
    await page.addInitScript(`Object.defineProperty(navigator, 'hardwareConcurrency', { get: () => ${workers + 1} });`);
    await page.goto(url);
    // The page runs the preset once on load; the study starts after it, on an idle machine.
    await page.waitForFunction(() => performance.getEntriesByName('distillery:run-done').length > 0, null, { timeout: timeoutS * 1000 });
    await page.getByTestId('open-study').click();
    await page.getByTestId('study-seeds').fill(seeds);
    const start = page.getByTestId('study-start');
    const cells = Number(/Run (\d+) cells/.exec((await start.textContent()) ?? '')?.[1] ?? NaN);
    const started = Date.now();
    await start.click();
    await page
      .getByTestId('study-status')
      .getByText(`${cells} of ${cells} cells done`)
      .waitFor({ timeout: timeoutS * 1000 });
    const seconds = (Date.now() - started) / 1000;
    const title = (await page.getByTestId('seed-card-student').getAttribute('title')) ?? '';
    return { seconds, accuracies: [...title.matchAll(/seed (\d+): ([\d.]+)%/g)].map((m) => `${m[1]}:${m[2]}`).join(' ') };
  } finally {
    await context.close();
  }
}

export async function studyTable(browser: Browser, url: string, seeds: string, workerCounts: number[], rounds: number): Promise<string[]> {
  const runs = new Map<number, StudyRun[]>(workerCounts.map((w) => [w, []]));
  for (let round = 0; round < rounds; round++) {
    for (const workers of rotate(workerCounts, round)) {
      process.stderr.write(`round ${round + 1}/${rounds}: seeds ${seeds} on ${workers} worker(s)…\n`);
      const run = await runStudy(browser, url, workers, seeds, 900);
      process.stderr.write(`  ${run.seconds.toFixed(1)} s\n`);
      runs.get(workers)!.push(run);
    }
  }
  const base = median(runs.get(workerCounts[0])!.map((r) => r.seconds));
  const all = [...runs.values()].flat();
  const same = all.every((r) => r.accuracies === all[0].accuracies && r.accuracies !== '');
  return [
    `## Seeds in the page against workers\n`,
    `The "Seeds & sweeps…" panel on \`${url.replace(/^https?:\/\/[^/]+/, '')}\`, seeds ${seeds}; the page told it has N + 1 cores, so its pool has N workers. Seconds from Start to the last cell done (median of ${rounds} interleaved round(s)).\n`,
    '| workers | seconds | speed-up over 1 | per worker |',
    '|---|---|---|---|',
    ...workerCounts.map((w) => {
      const s = median(runs.get(w)!.map((r) => r.seconds));
      return `| ${w} | ${s.toFixed(1)} | ${(base / s).toFixed(2)}x | ${(base / s / w).toFixed(2)} |`;
    }),
    '',
    `Every worker count gave the same accuracies, seed by seed: ${same ? 'yes' : `**no** (${all.map((r) => r.accuracies || 'none read').join('; ')})`}.`,
  ];
}
