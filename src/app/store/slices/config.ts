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

export function createConfigSlice(set: SetState, get: GetState): ConfigSlice {
  return {
    presetId: DEFAULT_PRESET_ID,
    draft: presetConfig(DEFAULT_PRESET_ID),
    problems: [],
    notices: [],
    runBlocked: null,
    setDraft(candidate, presetId, notices) {
      if (!configShaped(candidate)) {
        set({ notices: [...(notices ?? get().notices), 'That could not be used: it is not an experiment config. The form keeps its settings.'] });
        return;
      }
      const result = safeParseConfig(candidate);
      set({
        draft: result.ok ? result.config : (candidate as ExperimentConfig),
        problems: result.ok ? [] : result.problems,
        presetId,
        runBlocked: null,
        ...(notices ? { notices } : {}),
      });
    },
    loadPreset(id) {
      findPreset(id);
      get().setDraft(presetConfig(id), id, []);
    },
    loadConfig(config, notices) {
      const preset = PRESETS.find((p) => JSON.stringify(presetConfig(p.id)) === JSON.stringify(config));
      get().setDraft(config, preset?.id ?? null, notices);
    },
    showNotices: (notices) => set({ notices }),
    dismissNotices: () => set({ notices: [] }),
    dismissRunBlocked: () => set({ runBlocked: null }),
    // An edited config is no longer the preset it started from.
    setField(path, value) {
      get().setDraft(setIn(get().draft, path, value), null);
    },
    setVariant(path, type) {
      get().setDraft(setIn(get().draft, path, { type }), null);
    },
  };
}
