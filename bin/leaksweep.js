#!/usr/bin/env node
// Runs a command from the file the build bundled it into alone (scripts/bundle-cli.js), with V8's
// code cache (src/cli/code-cache.ts): one file to load, and little of it to compile. Anything
// else (help, an unknown command) goes to the command table, an ES module.
// CommonJS (bin/package.json), like the bundles: a command run never starts Node's ES module
// loader, which costs a pre-commit hook more than the code it loads.
'use strict';
const { join } = require('node:path');
const { pathToFileURL } = require('node:url');
const { commandBundle, loadBundle } = require('../dist/code-cache.cjs');

const dist = join(__dirname, '..', 'dist');
/** A run that ends in a usage error compiled too little of its bundle to be worth caching. */
const USAGE_ERROR = 2;
const alone = commandBundle(dist, process.argv[2] ?? '');

async function main() {
  const { main: run } = alone
    ? loadBundle(alone, () => process.exitCode !== USAGE_ERROR)
    : await import(pathToFileURL(join(dist, 'leaksweep.js')).href);
  process.exitCode = await run(process.argv.slice(2));
}

// A failure of the CLI itself surfaces as it did from an ES module entry: stack on stderr, exit 1.
main();
