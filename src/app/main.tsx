import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { TrainingClient } from '../worker/client';
import { BACKENDS } from '../core/backend-names';
import { PRESETS } from '../core/presets';
import type { BackendChoice, FromWorker } from '../worker/protocol';
import { App } from './components/App';
import { createAppStore } from './store/app-store';
import { StoreProvider } from './store/context';
import './styles.css';

// Worker messages are applied to the store at most ten times a second, so charts never stall the page.
const FLUSH_MS = 100;
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

const store = createAppStore({
  start: (config, backend, stepsPerSecond) => {
    pending = [];
    return client.start(config, backend, stepsPerSecond);
  },
  cancel: () => client.cancel(),
  pause: () => client.pause(),
  resume: () => client.resume(),
  step: () => client.step(),
  setSpeed: (stepsPerSecond) => client.setSpeed(stepsPerSecond),
});

// Closing or leaving the page ends the worker.
window.addEventListener('pagehide', () => client.dispose());

// For end-to-end tests and benchmarks: read-only access to the state.
(window as unknown as { distillery: unknown }).distillery = { getState: store.getState };

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <StoreProvider store={store}>
      <App />
    </StoreProvider>
  </StrictMode>,
);

// ?preset=ID and ?backend=NAME pick what runs first (benchmarks and tests use them); ?autorun=0 waits for Run.
const params = new URLSearchParams(window.location.search);
const preset = params.get('preset');
if (preset && PRESETS.some((p) => p.id === preset)) store.getState().loadPreset(preset);
const backend = params.get('backend');
if (backend && (['auto', ...BACKENDS] as string[]).includes(backend)) store.getState().setBackendChoice(backend as BackendChoice);
// A visitor without a link sees the default preset unfold at once.
if (params.get('autorun') !== '0') store.getState().startRun();
