/**
 * JSON from a stranger (a link's config, an imported file), read with bounds: a size cap before parsing and a
 * nesting cap after, so that a small link that decompresses to megabytes, or `[[[[...]]]]` a million deep, is
 * refused with a reason instead of stalling the page or overflowing the stack further on. Never throws.
 */

/** A config is a few hundred characters and four levels deep; these leave room for anything legitimate. */
export const MAX_CONFIG_DEPTH = 32;

export type UntrustedJson =
  | { ok: true; value: unknown }
  /** `problem` completes "it is ...": "too large (...)", "not JSON (...)", "nested more than 32 levels deep". */
  | { ok: false; kind: 'too-large' | 'not-json' | 'too-deep'; problem: string };

export function parseUntrustedJson(text: string, maxChars: number): UntrustedJson {
  if (text.length > maxChars) return { ok: false, kind: 'too-large', problem: `too large (${text.length} characters; the limit is ${maxChars})` };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, kind: 'not-json', problem: `not JSON (${(error as Error).message})` };
  }
  if (deeperThan(value, MAX_CONFIG_DEPTH)) return { ok: false, kind: 'too-deep', problem: `nested more than ${MAX_CONFIG_DEPTH} levels deep` };
  return { ok: true, value };
}

/** Whether arrays and objects nest deeper than `limit`, found without recursion. */
export function deeperThan(value: unknown, limit: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (node === null || typeof node !== 'object') continue;
    if (depth + 1 > limit) return true;
    for (const child of Object.values(node)) stack.push([child, depth + 1]);
  }
  return false;
}
