// Worker thread entry: builds the engine once from the spec, says it is ready, then runs
// batches of tasks as they come.
import { parentPort, workerData } from 'node:worker_threads';
import type { WorkerMessage } from './pool.js';
import { createScanner, runTasks, type EngineSpec, type Task } from './task.js';

const scanner = createScanner(workerData as EngineSpec);
const post = (message: WorkerMessage): void => parentPort?.postMessage(message);

parentPort?.on('message', (message: { id: number; tasks: Task[] }) => {
  try {
    post({ id: message.id, result: runTasks(message.tasks, scanner) });
  } catch (err) {
    post({ id: message.id, failure: (err as Error).stack ?? String(err) });
  }
});
post({ ready: true });
