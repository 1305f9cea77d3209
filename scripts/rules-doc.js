#!/usr/bin/env node
// Regenerates the rule tables of docs/rules.md from detectors/*.toml (the hand-written part
// before the first table is kept). `node scripts/rules-doc.js --check` exits 1 when the file is
// stale; the test suite runs that check.
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseRules, BUILTIN_RULES_DIR } from '../dist/engine/rules.js';

const DOC = new URL('../docs/rules.md', import.meta.url);

/** The first sentence of the file's opening comment. */
function description(text) {
  const comment = [];
  for (const line of text.split('\n')) {
    if (!line.startsWith('#')) break;
    comment.push(line.replace(/^#\s?/, ''));
  }
  const joined = comment.join(' ').trim();
  const end = joined.search(/\.(\s|$)/);
  return end < 0 ? joined : joined.slice(0, end + 1);
}

function checks(rule) {
  const list = [...rule.validators];
  if (rule.entropy !== undefined) list.push(`entropy ≥ ${rule.entropy}`);
  return list.join(', ');
}

export function renderRulesDoc(current) {
  const files = readdirSync(BUILTIN_RULES_DIR).filter((n) => n.endsWith('.toml')).sort();
  const sections = [];
  let total = 0;
  for (const name of files) {
    const text = readFileSync(join(BUILTIN_RULES_DIR, name), 'utf8');
    const rules = parseRules(text, name, 'builtin');
    total += rules.length;
    sections.push(
      [
        `## ${name} (${rules.length})`,
        '',
        description(text),
        '',
        '| id | title | severity | keywords | checks |',
        '| --- | --- | --- | --- | --- |',
        ...rules.map((r) => `| \`${r.id}\` | ${r.title.replace(/\|/g, '\\|')} | ${r.severity} | ${r.keywords.map((k) => `\`${k}\``).join(' ')} | ${checks(r)} |`),
      ].join('\n'),
    );
  }
  const head = current
    .slice(0, current.indexOf('\n## ', current.indexOf('## Writing a rule') + 1) + 1)
    .replace(/\(\d+ rules in \d+ files\)/, `(${total} rules in ${files.length} files)`);
  return `${head}${sections.join('\n\n')}\n`;
}

const current = readFileSync(DOC, 'utf8');
const fresh = renderRulesDoc(current);
if (process.argv.includes('--check')) {
  if (fresh !== current) {
    process.stderr.write('docs/rules.md is stale: run `node scripts/rules-doc.js`\n');
    process.exit(1);
  }
} else {
  writeFileSync(DOC, fresh);
}
