import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Two cores: more parallel files only fight over them (and over git and the S3 server).
    maxWorkers: 2,
    // One module graph per worker, not one per file: every file re-imported the engine and its
    // dependencies (a third of the suite's CPU on small files). The files share no state that
    // matters: no mocks, and each test builds its own inputs.
    isolate: false,
    // The built CLI, which test/helpers/cli.ts runs in-process, is loaded by Node as the bin loads
    // it, not transformed as one of the suite's modules.
    server: { deps: { external: [/\/dist\/[^/]+\.js$/] } },
    // Stops, at the end of the run, the local S3 server an S3 test started (see test/helpers/moto.ts).
    globalSetup: ['test/helpers/moto-global-setup.ts'],
    // Removes the temporary folders each test file made (test/helpers/temp-dir.ts) when it ends.
    setupFiles: ['test/helpers/remove-temp-dirs.ts'],
  },
});
