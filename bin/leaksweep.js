#!/usr/bin/env node
// Runs a command from the file the build bundled it into alone (scripts/bundle-cli.js), with V8's
// code cache (src/cli/code-cache.ts): one file to load, and little of it to compile. Anything
// else (help, an unknown command) goes to the command table, an ES module.
// CommonJS (bin/package.json), like the bundles: a command run never starts Node's ES module
// loader, which costs a pre-commit hook more than the code it loads.
'use strict';
const { join } = require('node:path');
const { setFlagsFromString } = require('node:v8');
const { pathToFileURL } = require('node:url');
const { commandBundle, loadBundle } = require('../dist/code-cache.cjs');

// V8 hands a function to its optimizing compiler once it has run a while (its interrupt budget)
// and throws the optimized code away when a branch it had not seen runs. With V8's default
// budget (66 KB of bytecode run) a one-second folder scan ran that compiler 78 times, 8 of them
// on one function, and compiling took a third of its CPU, on the core a worker thread needs. With
// eight times the budget, 37 times: a function is optimized only once it has run long enough to
// matter, and then on more of its input. A long scan is no slower. A pre-commit scan (staged)
// is over before that compiler runs at all, and is left as V8 has it. Set before any bundle is
// compiled: V8's code cache records the options it was made with and rejects a cache made with
// others (each command has a bundle and a cache of its own).
if (process.argv[2] !== 'staged') setFlagsFromString('--interrupt-budget=540672');

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
