// Worker thread entry: builds the engine once from the spec, then runs tasks as they come.
import { parentPort, workerData } from 'node:worker_threads';
import { Engine } from '../engine/engine.js';
import { runTask, type EngineSpec, type Task } from './task.js';

const spec = workerData as EngineSpec;
const engine = new Engine(spec.rules, spec.engineOptions);

parentPort?.on('message', (message: { id: number; task: Task }) => {
  try {
    parentPort?.postMessage({ id: message.id, result: runTask(message.task, engine, spec.readOptions) });
  } catch (err) {
    parentPort?.postMessage({ id: message.id, failure: (err as Error).stack ?? String(err) });
  }
});
