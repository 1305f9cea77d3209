#!/usr/bin/env node
// The CLI as bundled by `npm run build` (scripts/bundle-cli.js): a few files to load, not a hundred.
import { main } from '../dist/leaksweep.js';

process.exitCode = await main(process.argv.slice(2));
