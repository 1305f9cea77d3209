// Worker thread entry: waits for its engine spec (it may be started before the scan knows its
// rules), builds the engine once, says it is ready, then runs batches of tasks as they come.
import { parentPort } from 'node:worker_threads';
import type { WorkerMessage, WorkerRequest } from './pool.js';
import { createScanner, runWorkerTasks, type Scanner } from './task.js';
import { fromPostedSpec } from './worker-spec.js';

let scanner: Scanner | undefined;
const post = (message: WorkerMessage): void => parentPort?.postMessage(message);

parentPort?.on('message', (message: WorkerRequest) => {
  if ('spec' in message) {
    scanner = createScanner(fromPostedSpec(message.spec));
    post({ ready: true });
    return;
  }
  try {
    if (!scanner) throw new Error('worker got tasks before its engine');
    post({ id: message.id, reply: runWorkerTasks(message.tasks, scanner) });
  } catch (err) {
    post({ id: message.id, failure: (err as Error).stack ?? String(err) });
  }
});
