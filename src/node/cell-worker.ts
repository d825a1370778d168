/**
 * A worker thread of the command line's pool: starts its tfjs backend once, then runs the experiments it is handed
 * one at a time. Datasets and encoder weights are read once per thread (the core caches them) and reused from
 * cell to cell; each run starts from its own seed, so a cell gives the numbers it gives when run alone.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { AssetSource } from '../core/assets';
import { runExperiment } from '../core/experiments/registry';
import { nodeAssetSource } from './node-assets';
import { startNodeBackend, type NodeBackend } from './node-backend';
import type { FromCellWorker, ToCellWorker } from './pool';

const port = parentPort!;
const send = (message: FromCellWorker) => port.postMessage(message);

/** Files read from disk by this thread, with how often: the pool reports them (each should be read once). */
const reads: Record<string, number> = {};
const disk = nodeAssetSource();
const assets: AssetSource = {
  json: (file) => ((reads[file] = (reads[file] ?? 0) + 1), disk.json(file)),
  binary: (file) => ((reads[file] = (reads[file] ?? 0) + 1), disk.binary(file)),
};

port.on('message', (message: ToCellWorker) => {
  runExperiment(message.config, { assets }).then(
    (result) => send({ type: 'result', id: message.id, result, reads }),
    (error: unknown) => send({ type: 'error', id: message.id, message: error instanceof Error ? error.message : String(error) }),
  );
});

startNodeBackend((workerData as { backend: NodeBackend }).backend).then(
  () => send({ type: 'ready' }),
  (error: unknown) => send({ type: 'failed', message: error instanceof Error ? error.message : String(error) }),
);
