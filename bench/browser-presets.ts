/**
 * Every preset in the page (`npm run bench:browser -- --presets all`): the whole run from navigation to the end,
 * with the backend the page chooses (or --preset-backend), in a fresh browser context ("cold": nothing kept), then
 * in the same context a rerun with only the student changed ("student changed": the stages it does not depend on
 * come from IndexedDB). With --before, the earlier build's cold runs are interleaved with this one's.
 */
import type { Browser } from '@playwright/test';
import { encodeLink } from '../src/app/share/url-codec';
import { parseConfig } from '../src/core/config/read';
import { PRESETS } from '../src/core/presets';
import { measure, type Measurement } from './browser-measure';
import { withStudentChanged } from './reuse';
import { median, rotate } from './support';

const TARGET_COLD_S = 20;
const TARGET_REUSED_S = 10;
/** The longest preset on software WebGPU or cpu can take minutes. */
const TIMEOUT_S = 900;

interface Version {
  label: string;
  url: string;
}

interface PresetRuns {
  cold: Measurement[];
  changed: Measurement[];
}

const seconds = (runs: Measurement[]) => {
  const failed = runs.find((r) => !r.finished);
  if (failed) return { text: failed.note ?? 'failed', s: NaN };
  const s = median(runs.map((r) => r.wallMs!)) / 1000;
  return { text: s.toFixed(1), s };
};

export async function presetsTable(browser: Browser, versions: Version[], presetIds: string[], rounds: number, backend: string): Promise<string[]> {
  const presets = PRESETS.filter((p) => presetIds.includes('all') || presetIds.includes(p.id));
  const runs = new Map<string, PresetRuns>();
  const key = (version: string, preset: string) => `${version} ${preset}`;
  const jobs = versions.flatMap((v) => presets.map((p) => ({ version: v, preset: p })));
  for (let round = 0; round < rounds; round++) {
    for (const { version, preset } of rotate(jobs, round)) {
      const entry = runs.get(key(version.label, preset.id)) ?? { cold: [], changed: [] };
      runs.set(key(version.label, preset.id), entry);
      const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
      try {
        process.stderr.write(`round ${round + 1}/${rounds}: ${version.label} ${preset.id} (cold)…\n`);
        const cold = await measure(browser, `${version.url}?backend=${backend}&preset=${preset.id}`, TIMEOUT_S, context);
        process.stderr.write(`  ${cold.finished ? `done in ${(cold.wallMs! / 1000).toFixed(1)} s` : cold.note}\n`);
        entry.cold.push(cold);
        if (version.label === 'now' && cold.finished) {
          let result: Measurement;
          try {
            const changed = withStudentChanged(parseConfig(preset.config));
            result = await measure(browser, `${version.url}?backend=${backend}&r=${round}${encodeLink(changed, { run: true })}`, TIMEOUT_S, context);
          } catch (error) {
            // One preset's rerun that cannot be built or measured is noted in its row; the table goes on.
            result = { finished: false, note: `failed: ${error instanceof Error ? error.message : String(error)}` };
          }
          process.stderr.write(
            `  student changed: ${result.finished ? `done in ${(result.wallMs! / 1000).toFixed(1)} s, reused ${result.reused?.join(', ') || 'nothing'}` : result.note}\n`,
          );
          entry.changed.push(result);
        }
      } finally {
        await context.close();
      }
    }
  }
  const before = versions.find((v) => v.label === 'before');
  const lines = [
    `## Browser: every preset, headless Chromium, backend ${backend}\n`,
    `Medians of ${rounds} interleaved round(s). "Cold": a fresh browser context, navigation start to the end of the run (data, worker, backend included). ` +
      `"Student changed": right after, in the same context (its IndexedDB keeps the trained stages), the same preset with only the student's learning rate times 0.9.\n`,
  ];
  const heads = [
    'preset',
    ...(before ? ['before: cold, s'] : []),
    `cold, s (target < ${TARGET_COLD_S})`,
    `student changed, s (target < ${TARGET_REUSED_S})`,
    'stages reused',
    'ran on',
    'final PGR',
    ...(before ? ['same accuracies as before'] : []),
  ];
  lines.push(`| ${heads.join(' | ')} |`, `|${heads.map(() => '---').join('|')}|`);
  for (const preset of presets) {
    const now = runs.get(key('now', preset.id))!;
    const cold = seconds(now.cold);
    const changed = now.changed.length ? seconds(now.changed) : { text: 'n/a', s: NaN };
    const first = now.cold.find((r) => r.finished);
    const reused = now.changed.find((r) => r.finished)?.reused;
    const mark = (s: number, target: number) => (Number.isFinite(s) ? (s < target ? ' ✓' : ' ✗') : '');
    const cells = [preset.id];
    let same = 'n/a';
    if (before) {
      const was = runs.get(key('before', preset.id))!;
      cells.push(seconds(was.cold).text);
      const wasFirst = was.cold.find((r) => r.finished);
      if (wasFirst && first) same = JSON.stringify(wasFirst.accuracies) === JSON.stringify(first.accuracies) ? 'yes' : '**no**';
    }
    cells.push(
      `${cold.text}${mark(cold.s, TARGET_COLD_S)}`,
      `${changed.text}${mark(changed.s, TARGET_REUSED_S)}`,
      reused ? reused.join(', ') || 'none' : 'n/a',
      first?.ranOn ?? '–',
      first?.pgr === null || first?.pgr === undefined ? 'n/a' : first.pgr.toFixed(3),
    );
    if (before) cells.push(same);
    lines.push(`| ${cells.join(' | ')} |`);
  }
  return lines;
}
