/**
 * A visitor's prompt as the language models read it: characters outside the corpus's alphabet are left out and
 * named, and a prompt longer than the models' context is cut to its last characters, with a note. Whatever the
 * text (empty, emoji, control characters, a megabyte), this never throws. No tfjs, no DOM: the page shows the same
 * notes the run reports.
 */

export interface PreparedPrompt {
  /** What the models read: known characters only, at most `context` of them. */
  text: string;
  /** Characters left out, each once, in the order they first appear. */
  unknown: string[];
  /** Known characters cut from the start to fit the context. */
  cut: number;
  /** One sentence per change, for people. */
  notes: string[];
}

/** Most unknown characters a note names one by one. */
const NAMED = 12;

/** How a note names a character: itself in quotes, or its name or code point when it cannot be seen. */
export function characterName(c: string): string {
  const names: Record<string, string> = { '\n': 'a line break', '\t': 'a tab', ' ': 'a space', '\r': 'a carriage return' };
  if (names[c]) return names[c];
  const code = c.codePointAt(0) ?? 0;
  const hex = `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
  // Controls, separators and other characters that print as nothing (or as a box) go by their code point.
  return /[\p{C}\p{Z}]/u.test(c) ? hex : `"${c}" (${hex})`;
}

export function preparePrompt(raw: string, alphabet: readonly string[], context: number): PreparedPrompt {
  const known = new Set(alphabet);
  // Line ends typed on any system read as the corpus's own.
  const chars = Array.from(String(raw).replace(/\r\n?/g, '\n'));
  const unknown: string[] = [];
  const seen = new Set<string>();
  const kept: string[] = [];
  for (const c of chars) {
    if (known.has(c)) kept.push(c);
    else if (!seen.has(c)) {
      seen.add(c);
      unknown.push(c);
    }
  }
  const cut = Math.max(0, kept.length - context);
  const text = kept.slice(cut).join('');
  const notes: string[] = [];
  if (unknown.length > 0) {
    const named = unknown.slice(0, NAMED).map(characterName).join(', ');
    const more = unknown.length > NAMED ? ` and ${unknown.length - NAMED} more` : '';
    notes.push(`The models have never seen ${unknown.length === 1 ? 'this character' : 'these characters'}, left out of the prompt: ${named}${more}.`);
  }
  if (cut > 0) notes.push(`The models read only the last ${context} characters of a prompt: the first ${cut} were cut.`);
  if (text.length === 0) notes.push('The prompt is empty: the models start as if at the top of a page.');
  return { text, unknown, cut, notes };
}
