// The worker path on its own: a scan's tasks run on the main thread until a worker is ready,
// so a CLI test may finish before any worker scans; these tests wait for one.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadBuiltinRules } from '../../src/engine/rules.js';
import { BATCHES_PER_WORKER, prestartWorkers, WorkerPool } from '../../src/scanner/pool.js';
import { completeReply, createScanner, runTasks, toWorkerTask, type EngineSpec, type Task } from '../../src/scanner/task.js';
import { fromPostedSpec, toPostedSpec } from '../../src/scanner/worker-spec.js';
import type { Rule } from '../../src/types.js';
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
    const result = (await posted!).files;
    expect(result.files).toBe(3);
    expect(result.matches.map((m) => m.secret).sort()).toEqual([...secrets].sort());
    expect(result).toEqual(runTasks(tasks, createScanner(spec)));
  });

  it('runs detection on chunks sent without their origins, and the main thread locates it at each origin', async () => {
    pool = new WorkerPool(1, spec);
    await ready(pool);
    const secret = githubToken(undefined, r);
    const origin = (commit: string, path: string) => ({ kind: 'git' as const, path, commit, author: 'A', email: 'a@example.com', date: '2024-01-01T00:00:00Z' });
    const tasks: Task[] = [
      { type: 'chunk', chunk: { text: `a\nconst t = "${secret}";`, origin: origin('c1', 'src/a.ts'), lineMap: [7, 9], contentKey: 'k1' } },
      { type: 'chunk', chunk: { text: 'nothing here', origin: origin('c2', 'src/b.ts'), lineMap: [3], contentKey: 'k2' } },
      // An analyzer reads the whole origin: the worker leaves Terraform state to the main thread.
      { type: 'chunk', chunk: { text: `{"version": 4, "resources": [], "outputs": {"t": {"value": "${secret}", "sensitive": true}}}`, origin: origin('c3', 'prod.tfstate'), firstLine: 1 } },
    ];
    const scanner = createScanner(spec);
    const reply = await pool.tryRun(tasks.map(toWorkerTask))!;
    expect(reply.claimed).toEqual([2]);
    expect(reply.detected.map(([index]) => index)).toEqual([0]);
    const result = completeReply(tasks, reply, () => scanner);
    expect(result).toEqual(runTasks(tasks, scanner));
    expect(result.matches.map((m) => `${m.location.commit} ${m.location.path}:${m.location.line}`).sort()).toEqual(['c1 src/a.ts:9', 'c3 prod.tfstate:1']);
  });

  it('holds at most BATCHES_PER_WORKER batches per worker, so the caller scans the rest itself', async () => {
    pool = new WorkerPool(1, spec);
    await ready(pool);
    const { tasks } = fileTasks(BATCHES_PER_WORKER + 1);
    const posted = tasks.slice(0, BATCHES_PER_WORKER).map((task) => pool!.tryRun([task]));
    expect(posted.every((reply) => reply !== undefined)).toBe(true);
    expect(pool.tryRun([tasks[BATCHES_PER_WORKER]])).toBeUndefined();
    await Promise.all(posted);
    expect(pool.hasIdle).toBe(true);
  });

  it('adopts a prestarted worker and hands it the engine', async () => {
    prestartWorkers(1);
    pool = new WorkerPool(1, spec);
    await ready(pool);
    const { tasks, secrets } = fileTasks(1);
    expect((await pool.tryRun(tasks)!).files.matches.map((m) => m.secret)).toEqual(secrets);
  });

  it('posts built-in rules by id and other rules whole; the worker scans with both', async () => {
    const own: Rule = {
      id: 'own-marker',
      title: 'Own marker',
      severity: 'high',
      keywords: ['zqmark'],
      regex: 'zqmark_(?<secret>[a-z0-9]{12})',
      validators: [],
      allow: [],
      confidence: 1,
      examples: { match: [], nomatch: [] },
      origin: 'user',
    };
    const mixed: EngineSpec = { ...spec, rules: [...spec.rules, own] };
    const posted = toPostedSpec(mixed);
    expect(posted.rules.slice(0, -1)).toEqual(spec.rules.map((rule) => rule.id));
    expect(posted.rules.at(-1)).toBe(own);
    // A copy of a built-in rule is not the pack's own rule: it goes whole.
    const copy = { ...spec.rules[0] };
    expect(toPostedSpec({ ...spec, rules: [copy] }).rules[0]).toBe(copy);
    const rebuilt = fromPostedSpec(structuredClone(posted));
    expect(rebuilt.rules.slice(0, -1).every((rule, i) => rule === spec.rules[i])).toBe(true);
    expect(rebuilt.rules.at(-1)).toEqual(own);

    pool = new WorkerPool(1, mixed);
    await ready(pool);
    const { tasks, secrets } = fileTasks(1);
    writeFileSync(tasks[0].type === 'file' ? (tasks[0].file.absPath as string) : '', `const token = "${secrets[0]}";
const mark = "zqmark_ab12cd34ef56";
`);
    const result = (await pool.tryRun(tasks)!).files;
    expect(result.matches.map((m) => m.secret)).toContain('ab12cd34ef56');
    expect(result).toEqual(runTasks(tasks, createScanner(mixed)));
  });
});
