import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { TrainingClient } from '../worker/client';
import { BACKENDS } from '../core/backend-names';
import { PRESETS } from '../core/presets';
import type { BackendChoice, FromWorker } from '../worker/protocol';
import { App } from './components/App';
import { neededData } from './custom-data/data-store';
import { rowsFor } from './store/slices/custom-data';
import { decodeLink } from './share/url-codec';
import { indexedDbArchive } from './runs/archive';
import { createAppStore } from './store/app-store';
import { StoreProvider } from './store/context';
import './styles.css';
import './styles/figures.css';
import './styles/lecture.css';
import './styles/phone.css';
import './instrument.css';

// Worker messages are applied to the store at most five times a second, so charts never stall the page.
const FLUSH_MS = 200;
let pending: FromWorker[] = [];
let flushTimer: ReturnType<typeof setTimeout> | null = null;

const flush = () => {
  flushTimer = null;
  if (pending.length === 0) return;
  const batch = pending;
  pending = [];
  store.getState().receive(batch);
};

const client = new TrainingClient({
  onMessage(message) {
    pending.push(message);
    // The end of a run shows at once; progress waits for the next tick.
    if (message.type === 'done' || message.type === 'error' || message.type === 'cancelled') flush();
    else if (!flushTimer) flushTimer = setTimeout(flush, FLUSH_MS);
  },
  onCrash(reason) {
    flush();
    store.getState().workerCrashed(reason);
  },
});

const store = createAppStore(
  {
    start: (config, backend, stepsPerSecond) => {
      pending = [];
      // The visitor's own data (when the config names it) travels to the worker with the start message only.
      return client.start(config, backend, stepsPerSecond, rowsFor(store.getState(), config));
    },
    cancel: () => client.cancel(),
    pause: () => client.pause(),
    resume: () => client.resume(),
    step: () => client.step(),
    setSpeed: (stepsPerSecond) => client.setSpeed(stepsPerSecond),
  },
  typeof indexedDB === 'undefined' ? undefined : indexedDbArchive(),
);
void store.getState().refreshRuns();

// Closing or leaving the page ends the worker. A page kept in the back/forward cache comes back with the
// interrupted run marked as stopped (its results so far kept), ready to run again.
window.addEventListener('pagehide', () => {
  if (!client.dispose()) return;
  flush();
  store.getState().receive([{ type: 'cancelled', runId: store.getState().run.runId }]);
});

// For end-to-end tests and benchmarks: read-only access to the state (and to its changes, which polling could miss).
(window as unknown as { distillery: unknown }).distillery = { getState: store.getState, subscribe: store.subscribe };

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <StoreProvider store={store}>
      <App />
    </StoreProvider>
  </StrictMode>,
);

// A link's hash carries a config (see share/url-codec.ts); ?preset=ID, ?backend=NAME and ?autorun=0 are for
// benchmarks and tests.
const params = new URLSearchParams(window.location.search);
const preset = params.get('preset');
if (preset && PRESETS.some((p) => p.id === preset)) store.getState().loadPreset(preset);
const backend = params.get('backend');
if (backend && (['auto', ...BACKENDS] as string[]).includes(backend)) store.getState().setBackendChoice(backend as BackendChoice);

/** Applies the link in the hash; returns whether the page should start running. */
function applyLink(hash: string, firstLoad: boolean): boolean {
  const link = decodeLink(hash);
  store.getState().setLecture(link.lecture);
  store.getState().setHidden(link.hide);
  if (link.speed !== null) store.getState().setSpeed(link.speed);
  if (link.config) {
    store.getState().loadConfig(link.config, link.notices);
    // A link to data this tab does not have waits for it (see CustomDataNotice) instead of failing.
    if (neededData(link.config) && !rowsFor(store.getState(), link.config)) {
      store.getState().setRunWhenLoaded(link.run && params.get('autorun') !== '0');
      return false;
    }
    return link.run;
  }
  // No readable config: the page behaves as if there were no link (the default preset runs at first load). The
  // form keeps its config, and its problems with it.
  if (link.notices.length) store.getState().showNotices(link.notices);
  return firstLoad;
}

const runNow = applyLink(window.location.hash, true);
// A visitor without a link sees the default preset unfold at once.
if (runNow && params.get('autorun') !== '0') store.getState().startRun();
window.addEventListener('hashchange', () => {
  if (applyLink(window.location.hash, false)) store.getState().startRun();
});
