import { describe, expect, it } from 'vitest';
import { KIND_SPECS } from '../core/experiments/kinds';
import { PRESETS } from '../core/presets';
import { GALLERY } from './gallery';

describe('the preset gallery', () => {
  it('shows every preset exactly once, and every kind', () => {
    const shown = GALLERY.flatMap((section) => section.presets.map((p) => p.id));
    expect([...shown].sort()).toEqual(PRESETS.map((p) => p.id).sort());
    expect(new Set(shown).size).toBe(shown.length);
    for (const spec of KIND_SPECS) expect(shown, spec.kind).toEqual(expect.arrayContaining(spec.presets.map((p) => p.id)));
  });

  it('has no empty section', () => {
    for (const section of GALLERY) expect(section.presets.length, section.title).toBeGreaterThan(0);
  });
});
