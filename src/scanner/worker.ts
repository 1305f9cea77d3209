// Worker thread entry: builds the engine once from the spec, then runs tasks as they come.
import { parentPort, workerData } from 'node:worker_threads';
import { createScanner, runTask, type EngineSpec, type Task } from './task.js';

const scanner = createScanner(workerData as EngineSpec);

parentPort?.on('message', (message: { id: number; task: Task }) => {
  try {
    parentPort?.postMessage({ id: message.id, result: runTask(message.task, scanner) });
  } catch (err) {
    parentPort?.postMessage({ id: message.id, failure: (err as Error).stack ?? String(err) });
  }
});
