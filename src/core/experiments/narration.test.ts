import { describe, expect, it } from 'vitest';
import { captionCue, captionText, compare, count, factsOfConfig, fixed, listOf, pct, points, versus, type Caption, type RunFacts } from './narration';

const facts: RunFacts = factsOfConfig({} as RunFacts['config']);

describe('captions bound to the run', () => {
  it('formats measured numbers and says "…" for what is not measured yet', () => {
    expect(pct(0.696)).toBe('69.6%');
    expect(pct(0.5535, 2)).toBe('55.35%');
    expect(pct(null)).toBe('…');
    expect(pct(NaN)).toBe('…');
    expect(fixed(0.3779)).toBe('0.38');
    expect(fixed(undefined)).toBe('…');
    expect(points(0.783, 0.701)).toBe('8.2 points');
    expect(points(0.71, 0.7)).toBe('1.0 point');
    expect(count(19200)).toBe('19,200');
    expect(listOf([0, 1, 2])).toBe('0, 1 and 2');
    expect(versus(0.783, 0.7005)).toBe('8.3 points above');
    expect(versus(0.6, 0.7)).toBe('10.0 points below');
    expect(versus(0.701, 0.7)).toBe('level with');
  });

  it('claims "above" or "below" only past the tolerance', () => {
    const words = { above: 'beats', below: 'falls short of', level: 'matches' };
    expect(compare(0.72, 0.7, words)).toBe('beats');
    expect(compare(0.68, 0.7, words)).toBe('falls short of');
    expect(compare(0.703, 0.7, words)).toBe('matches');
  });

  it('reads plain and templated captions alike', () => {
    const templated: Caption = { stage: 'student', text: (f) => `result ${f.result ? 'in' : 'pending'}` };
    expect(captionText('plain', facts)).toBe('plain');
    expect(captionText(templated, facts)).toBe('result pending');
    expect(captionCue(templated, facts.config)).toEqual({ stage: 'student', at: 'start' });
    expect(captionCue({ stageOf: () => 'kd-T8', at: 'end', text: () => '' }, facts.config)).toEqual({ stage: 'kd-T8', at: 'end' });
    expect(captionCue('plain', facts.config)).toBeUndefined();
  });
});
