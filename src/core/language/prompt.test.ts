/** A visitor's prompt as the models read it: unseen characters named once and left out, long prompts cut to the context. */
import { describe, expect, it } from 'vitest';
import { characterName, preparePrompt } from './prompt';

/** A small alphabet: the line break, the space, a few letters and punctuation, and a non-ASCII sign the corpus has. */
const ALPHABET = ['\n', ' ', ',', '.', 'T', 'a', 'e', 'h', 'n', 'o', 't', '£'];

describe('preparePrompt', () => {
  it('keeps a prompt of known characters as it is, with no notes', () => {
    expect(preparePrompt('Tea, then.', ALPHABET, 32)).toEqual({ text: 'Tea, then.', unknown: [], cut: 0, notes: [] });
  });

  it('leaves out characters the models have never seen and names each once, in the order they first appear', () => {
    const prepared = preparePrompt('Ça not é ten 😀 not Ç', ALPHABET, 32);
    expect(prepared.text).toBe('a not  ten  not ');
    expect(prepared.unknown).toEqual(['Ç', 'é', '😀']);
    expect(prepared.cut).toBe(0);
    expect(prepared.notes).toEqual(['The models have never seen these characters, left out of the prompt: "Ç" (U+00C7), "é" (U+00E9), "😀" (U+1F600).']);
  });

  it('counts characters, not UTF-16 units: an emoji is one character and a non-ASCII letter of the alphabet is kept', () => {
    const prepared = preparePrompt('£😀£', ALPHABET, 2);
    expect(prepared.text).toBe('££');
    expect(prepared.unknown).toEqual(['😀']);
    expect(prepared.notes[0]).toMatch(/^The models have never seen this character, left out of the prompt: "😀" \(U\+1F600\)\.$/);
  });

  it('names invisible characters by what they are or by their code point', () => {
    expect(characterName('\t')).toBe('a tab');
    expect(characterName('\r')).toBe('a carriage return');
    expect(characterName('\u0000')).toBe('U+0000');
    expect(characterName('\u200b')).toBe('U+200B');
    expect(characterName('\u00a0')).toBe('U+00A0');
    expect(characterName('x')).toBe('"x" (U+0078)');
    const prepared = preparePrompt('a\tb\u0000', ALPHABET, 32);
    expect(prepared.notes[0]).toContain('a tab, "b" (U+0062), U+0000');
  });

  it('reads Windows and old Mac line ends as the line break the corpus has', () => {
    expect(preparePrompt('Tea\r\nthen\rno', ALPHABET, 32)).toMatchObject({ text: 'Tea\nthen\nno', unknown: [] });
  });

  it('cuts a prompt longer than the context to its last characters, with a note saying how many were cut', () => {
    const prepared = preparePrompt('ten tea, '.repeat(4) + 'Then, tea', ALPHABET, 8);
    expect(prepared.text).toBe('hen, tea');
    expect(prepared.cut).toBe(37);
    expect(prepared.notes).toEqual(['The models read only the last 8 characters of a prompt: the first 37 were cut.']);
  });

  it('counts only the kept characters against the context when it both drops and cuts', () => {
    const prepared = preparePrompt('é'.repeat(50) + 'Tea then', ALPHABET, 8);
    expect(prepared.text).toBe('Tea then');
    expect(prepared.cut).toBe(0);
    expect(prepared.notes).toHaveLength(1);
    const both = preparePrompt('éTea, then notée', ALPHABET, 4);
    expect(both.text).toBe('note');
    expect(both.cut).toBe(10);
    expect(both.notes).toHaveLength(2);
  });

  it('names at most twelve unknown characters and counts the rest', () => {
    const strange = Array.from({ length: 20 }, (_, i) => String.fromCodePoint(0x4e00 + i)).join('');
    const prepared = preparePrompt(strange, ALPHABET, 32);
    expect(prepared.unknown).toHaveLength(20);
    expect(prepared.notes[0]).toContain('and 8 more.');
    expect(prepared.notes[0].match(/U\+/g)).toHaveLength(12);
  });

  it('says so when nothing is left, and never throws, whatever the text', () => {
    expect(preparePrompt('', ALPHABET, 32)).toEqual({
      text: '',
      unknown: [],
      cut: 0,
      notes: ['The prompt is empty: the models start as if at the top of a page.'],
    });
    expect(preparePrompt('😀😀', ALPHABET, 32).notes).toHaveLength(2);
    // Lone surrogates, a megabyte of text, a non-string smuggled in from a stored run.
    expect(preparePrompt('\ud800a\udfff', ALPHABET, 32).text).toBe('a');
    const huge = preparePrompt('tea '.repeat(250_000), ALPHABET, 32);
    expect(huge.text).toBe('tea '.repeat(8));
    expect(huge.cut).toBe(1_000_000 - 32);
    expect(preparePrompt(12345 as unknown as string, ALPHABET, 32).unknown).toEqual(['1', '2', '3', '4', '5']);
  });
});
