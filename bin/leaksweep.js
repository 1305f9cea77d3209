#!/usr/bin/env node
// The CLI as bundled by `npm run build` (scripts/bundle-cli.js): a few files to load, not a hundred.
// `staged` (a pre-commit hook) and `git` load one file of their own, made for them alone.
const ONE_FILE_COMMANDS = ['staged', 'git'];
const command = process.argv[2];
const { main } = await import(ONE_FILE_COMMANDS.includes(command) ? `../dist/leaksweep-${command}.js` : '../dist/leaksweep.js');

process.exitCode = await main(process.argv.slice(2));
