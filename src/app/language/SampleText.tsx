import { memo } from 'react';
import type { TextSample } from '../../core/experiments/figures';
import { shadedCharacters } from './samples';

/** Over this many bits (a probability under 1/64) a character is marked surprising. */
export const SURPRISING_BITS = 6;

/** How dark a character's shade is: 0 for a sure character, full at 10 bits and beyond. */
const shade = (bits: number) => (Number.isFinite(bits) ? Math.min(1, Math.max(0, bits / 10)) : 0);

/** A sample's prompt and writing, each character shaded by how surprising the model found it. */
export const SampleText = memo(function SampleText({ sample }: { sample: TextSample }) {
  const characters = shadedCharacters(sample);
  return (
    <p className="sample-text" data-testid="sample-text">
      {characters.map(({ char, bits, prompt }, i) => (
        <span
          key={i}
          className={`${prompt ? 'sample-prompt' : 'sample-written'}${bits > SURPRISING_BITS ? ' surprising' : ''}`}
          style={{ backgroundColor: `rgba(234, 88, 12, ${(0.75 * shade(bits)).toFixed(3)})` }}
          title={`${char === '\n' ? 'line break' : JSON.stringify(char)}: ${Number.isFinite(bits) ? bits.toFixed(1) : '?'} bits`}
        >
          {char === '\n' ? '↵\n' : char}
        </span>
      ))}
    </p>
  );
});
