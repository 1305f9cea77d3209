#!/usr/bin/env node
// Runs a command from the file the build bundled it into alone (scripts/bundle-cli.js): one file
// to load, not a hundred. Anything else (help, an unknown command) goes to the command table.
import { existsSync } from 'node:fs';

const command = process.argv[2] ?? '';
const alone = new URL(`../dist/command-${command}.js`, import.meta.url);
const { main } = await import(/^[a-z][a-z-]*$/.test(command) && existsSync(alone) ? alone.href : '../dist/leaksweep.js');

process.exitCode = await main(process.argv.slice(2));
