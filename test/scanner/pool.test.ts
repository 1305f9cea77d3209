// The worker path on its own: a scan's tasks run on the main thread until a worker is ready,
// so a CLI test may finish before any worker scans; these tests wait for one.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadBuiltinRules } from '../../src/engine/rules.js';
import { prestartWorkers, WorkerPool } from '../../src/scanner/pool.js';
import { createScanner, runTasks, type EngineSpec, type Task } from '../../src/scanner/task.js';
import { tempDir } from '../helpers/cli.js';
import { githubToken, rng } from '../helpers/secrets.js';

const spec: EngineSpec = { rules: loadBuiltinRules(), allowlists: [], readOptions: { maxFileSize: 1 << 20 } };
const r = rng(11);
let pool: WorkerPool | undefined;

afterEach(async () => {
  await pool?.close();
  pool = undefined;
});

async function ready(p: WorkerPool): Promise<void> {
  for (let waited = 0; !p.started; waited += 10) {
    if (waited > 30_000) throw new Error('no worker became ready');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

function fileTasks(count: number): { tasks: Task[]; secrets: string[] } {
  const dir = tempDir();
  const tasks: Task[] = [];
  const secrets: string[] = [];
  for (let i = 0; i < count; i++) {
    const secret = githubToken(undefined, r);
    secrets.push(secret);
    const path = `f${i}.js`;
    writeFileSync(join(dir, path), `const x = 1;\nconst token = "${secret}";\n`);
    tasks.push({ type: 'file', file: { absPath: join(dir, path), origin: { kind: 'file', path } } });
  }
  return { tasks, secrets };
}

describe('WorkerPool', () => {
  it('scans a batch on a worker once it is ready, as the main thread would', async () => {
    pool = new WorkerPool(1, spec);
    expect(pool.tryRun([])).toBeUndefined();
    await ready(pool);
    const { tasks, secrets } = fileTasks(3);
    const posted = pool.tryRun(tasks);
    expect(posted).toBeDefined();
    const result = await posted!;
    expect(result.files).toBe(3);
    expect(result.matches.map((m) => m.secret).sort()).toEqual([...secrets].sort());
    expect(result).toEqual(runTasks(tasks, createScanner(spec)));
  });

  it('holds at most two batches per worker, so the caller scans the rest itself', async () => {
    pool = new WorkerPool(1, spec);
    await ready(pool);
    const { tasks } = fileTasks(3);
    const first = pool.tryRun([tasks[0]]);
    const second = pool.tryRun([tasks[1]]);
    expect(first && second).toBeDefined();
    expect(pool.tryRun([tasks[2]])).toBeUndefined();
    await Promise.all([first, second]);
    expect(pool.hasIdle).toBe(true);
  });

  it('adopts a prestarted worker and hands it the engine', async () => {
    prestartWorkers(1);
    pool = new WorkerPool(1, spec);
    await ready(pool);
    const { tasks, secrets } = fileTasks(1);
    expect((await pool.tryRun(tasks)!).matches.map((m) => m.secret)).toEqual(secrets);
  });
});
