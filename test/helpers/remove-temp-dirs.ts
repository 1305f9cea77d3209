// Setup file (vitest.config.ts): the temporary folders a test file made go when it ends.
import { afterAll } from 'vitest';
import { removeTempDirs } from './temp-dir.js';

afterAll(removeTempDirs);
