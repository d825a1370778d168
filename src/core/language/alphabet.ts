/**
 * Each corpus's alphabet (its characters sorted by code point, as in its manifest), for the page: it names the
 * characters of a prompt that the models have never seen before a run has loaded anything. A test checks it against
 * public/datasets/<id>.json. No tfjs, no DOM.
 */
import type { CorpusId } from '../config/datasets';

export const CORPUS_ALPHABETS: Record<CorpusId, readonly string[]> = {
  austen: Array.from('\n !"&\'()*,-.0123456789:;?ABCDEFGHIJKLMNOPQRSTUVWXYZ[]_abcdefghijklmnopqrstuvwxyz\u00a3'),
};
