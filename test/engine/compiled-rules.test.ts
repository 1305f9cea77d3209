import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUILTIN_RULES_DIR, COMPILED_RULES_FILE, loadBuiltinRules } from '../../src/engine/rules.js';
import { tempDir } from '../helpers/cli.js';

describe('the compiled rule pack (dist/builtin-rules.json, written by the build)', () => {
  it('is used while no rule file is newer, and holds exactly the rules the TOML files define', () => {
    const builtAt = fs.statSync(COMPILED_RULES_FILE).mtimeMs;
    const names = fs.readdirSync(BUILTIN_RULES_DIR).filter((n) => n.endsWith('.toml'));
    expect(names.filter((n) => fs.statSync(path.join(BUILTIN_RULES_DIR, n)).mtimeMs > builtAt)).toEqual([]);
    // A copy of the rule files elsewhere is always parsed from TOML.
    const copy = tempDir();
    for (const n of names) fs.copyFileSync(path.join(BUILTIN_RULES_DIR, n), path.join(copy, n));
    const compiled = loadBuiltinRules();
    const parsed = loadBuiltinRules(copy);
    expect(compiled.length).toBeGreaterThan(300);
    // A compiled rule reads its examples through a getter it shares with the others (rules.ts).
    expect(compiled.map((rule) => ({ ...rule, examples: rule.examples }))).toEqual(parsed);
  });
});
