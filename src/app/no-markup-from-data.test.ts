/**
 * Text from links, files and saved runs reaches the page only as React text children, which React escapes. This
 * guards the ways around that: no source file of the page, the worker or the engine may write markup or run
 * strings as code (the e2e test hostile-input.spec.ts shows a link full of markup rendered inert).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = path.resolve(__dirname, '..');
const FORBIDDEN: [RegExp, string][] = [
  [/dangerouslySetInnerHTML/, 'dangerouslySetInnerHTML'],
  [/\.(innerHTML|outerHTML)\s*=/, 'assigning innerHTML/outerHTML'],
  [/insertAdjacentHTML|createContextualFragment|document\.write/, 'writing markup'],
  [/\beval\s*\(|new Function\s*\(/, 'running a string as code'],
  [/setTimeout\(\s*['"`]|setInterval\(\s*['"`]/, 'a timer given a string'],
];

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return sources(full);
    return /\.(ts|tsx)$/.test(name) && !/\.test\.tsx?$/.test(name) ? [full] : [];
  });
}

describe('no markup from data', () => {
  const files = sources(SRC);

  it('finds the sources (the page, the worker, the engine)', () => {
    expect(files.length).toBeGreaterThan(40);
    expect(files.some((f) => f.endsWith(path.join('components', 'NoticeBanner.tsx')))).toBe(true);
  });

  it.each(FORBIDDEN)('no source uses %s', (pattern, what) => {
    const offenders = files.filter((file) => pattern.test(readFileSync(file, 'utf8')));
    expect(
      offenders.map((f) => path.relative(SRC, f)),
      what,
    ).toEqual([]);
  });
});
