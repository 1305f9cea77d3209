// Errors (content not scanned) and warnings (content scanned whole, in a degraded way) stay
// apart in every report format that lists them, and through a merge of shard reports.
import { describe, expect, test } from 'vitest';
import { formatJson } from '../../src/report/json.js';
import { formatJsonl } from '../../src/report/jsonl.js';
import { mergeReports, readReport } from '../../src/report/merge.js';
import { formatText } from '../../src/report/text.js';
import { fixture } from './view-fixture.js';

describe('errors and warnings in reports', () => {
  const { view } = fixture();

  test('JSON: errors and warnings are separate lists', () => {
    const json = JSON.parse(formatJson(view)) as Record<string, unknown>;
    expect(Object.keys(json)).toEqual(['tool', 'findings', 'errors', 'warnings', 'stats']);
    expect(json.errors).toEqual(view.errors);
    expect(json.warnings).toEqual(view.warnings);
  });

  test('text: an error line, a warning line, and both counted in the summary', () => {
    const text = formatText(view, { color: false });
    expect(text).toContain('error: secrets/locked.env: EACCES: permission denied (unreadable)\n');
    expect(text).toContain('warning: envs/half.tfstate: not a complete JSON state (unexpected end); scanned as plain text (tfstate)\n');
    expect(text).toMatch(/; 1 input\(s\) could not be read; 1 warning\(s\)/);
    const clean = formatText({ ...view, errors: [], warnings: [] }, { color: false });
    expect(clean).not.toMatch(/^(error|warning):/m);
    expect(clean).not.toContain('warning(s)');
  });

  test('merge keeps both apart, from JSON and JSONL shards, and reads old reports without warnings', () => {
    const fromJson = readReport(formatJson(view), 'a.json');
    const fromJsonl = readReport(formatJsonl(view), 'b.jsonl');
    const legacy = JSON.parse(formatJson(view)) as Record<string, unknown>;
    delete legacy.warnings;
    const old = readReport(JSON.stringify(legacy), 'old.json');
    expect(old.warnings).toEqual([]);
    const merged = mergeReports([fromJson, fromJsonl, old]);
    expect(merged.errors).toEqual([...view.errors, ...view.errors, ...view.errors]);
    expect(merged.warnings).toEqual([...view.warnings, ...view.warnings]);
  });
});
