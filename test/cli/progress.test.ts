import { describe, expect, test } from 'vitest';
import { progressFields } from '../../src/cli/common.js';

describe('progress bar fields', () => {
  test('a history shows commits and both rates since the start', () => {
    const fields = progressFields({ files: 0, bytes: 50_000_000, findings: 3, errors: 0, commits: 8_000 }, 4_000);
    expect(fields).toEqual({ what: '8000 commits (2000/s)', mb: '50.0', mbps: '12.5', findings: 3 });
  });

  test('other sources show files', () => {
    expect(progressFields({ files: 12, bytes: 1_000_000, findings: 0, errors: 0, commits: 0 }, 500).what).toBe('12 files');
  });
});
