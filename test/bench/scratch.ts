// Temp dirs for the bench tests, removed after the suite that made them.
import fs from 'node:fs';
import { afterAll } from 'vitest';
import { tempDir } from '../helpers/cli.js';

/** Returns a maker of fresh temp dirs; all of them are removed after the calling file's tests. */
export function scratchDirs(): () => string {
  const made: string[] = [];
  afterAll(() => {
    for (const dir of made) fs.rmSync(dir, { recursive: true, force: true });
  });
  return () => {
    const dir = tempDir();
    made.push(dir);
    return dir;
  };
}
