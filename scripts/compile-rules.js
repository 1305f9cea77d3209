#!/usr/bin/env node
// The build's last step: compiles detectors/*.toml into dist/builtin-rules.json, which the CLI
// loads instead of parsing TOML on every run (a pre-commit hook's start-up).
import { writeCompiledRules } from '../dist/engine/rules.js';

const count = writeCompiledRules();
process.stderr.write(`compiled ${count} built-in rules\n`);
