/** The experiment being edited: the draft, its problems, and where it came from. */
import { safeParseConfig } from '../../../core/config/read';
import type { ExperimentConfig } from '../../../core/config/schema';
import { KIND_SPECS } from '../../../core/experiments/kinds';
import { DEFAULT_PRESET_ID, findPreset, presetConfig, PRESETS } from '../../../core/presets';
import { setIn } from '../paths';
import type { ConfigSlice, GetState, SetState } from '../types';

/** Whether a value has what the page reads from any draft, valid or not: a known kind and a data section. */
function configShaped(value: unknown): boolean {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const { kind, data } = value as { kind?: unknown; data?: unknown };
  return KIND_SPECS.some((spec) => spec.kind === kind) && data !== null && typeof data === 'object' && !Array.isArray(data);
}

const presetKey = (c: ExperimentConfig, ignoreSeed: boolean) => JSON.stringify(ignoreSeed ? { ...c, seed: 0 } : c);
/** Each preset's config as text, with and without its seed (made once: the form asks on every keystroke). */
let presetKeys: { id: string; exact: string; anySeed: string }[] | null = null;

/** The preset a config is (whatever its seed, with ignoreSeed); null when it is none. */
function presetOf(config: ExperimentConfig, ignoreSeed: boolean): string | null {
  presetKeys ??= PRESETS.map((p) => ({ id: p.id, exact: presetKey(presetConfig(p.id), false), anySeed: presetKey(presetConfig(p.id), true) }));
  const wanted = presetKey(config, ignoreSeed);
  return presetKeys.find((p) => (ignoreSeed ? p.anySeed : p.exact) === wanted)?.id ?? null;
}

/** The story a draft keeps: its preset's; else, for an edit of the same kind of experiment, the story it had. */
function storyOf(draft: ExperimentConfig, presetId: string | null, previous: string | null, edited: boolean): string | null {
  if (presetId) return presetId;
  const own = presetOf(draft, true);
  if (own || !edited || !previous) return own;
  return presetConfig(previous).kind === draft.kind ? previous : null;
}

export function createConfigSlice(set: SetState, get: GetState): ConfigSlice {
  return {
    presetId: DEFAULT_PRESET_ID,
    story: DEFAULT_PRESET_ID,
    draft: presetConfig(DEFAULT_PRESET_ID),
    problems: [],
    notices: [],
    runBlocked: null,
    setDraft(candidate, presetId, notices, edited = false) {
      if (!configShaped(candidate)) {
        set({ notices: [...(notices ?? get().notices), 'That could not be used: it is not an experiment config. The form keeps its settings.'] });
        return;
      }
      const result = safeParseConfig(candidate);
      const draft = result.ok ? result.config : (candidate as ExperimentConfig);
      set({
        draft,
        problems: result.ok ? [] : result.problems,
        presetId,
        story: storyOf(draft, presetId, get().story, edited),
        runBlocked: null,
        ...(notices ? { notices } : {}),
      });
    },
    loadPreset(id) {
      findPreset(id);
      get().setDraft(presetConfig(id), id, []);
    },
    loadConfig(config, notices) {
      get().setDraft(config, presetOf(config, false), notices);
    },
    showNotices: (notices) => set({ notices }),
    dismissNotices: () => set({ notices: [] }),
    dismissRunBlocked: () => set({ runBlocked: null }),
    // An edited config is no longer the preset it started from.
    setField(path, value) {
      get().setDraft(setIn(get().draft, path, value), null, undefined, true);
    },
    setVariant(path, type) {
      get().setDraft(setIn(get().draft, path, { type }), null, undefined, true);
    },
  };
}
