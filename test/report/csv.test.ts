import { describe, expect, test } from 'vitest';
import { CSV_COLUMNS, csvCell, formatCsv } from '../../src/report/csv.js';
import { ARCHIVE_PLACE, fixture, GIT_FIRST, GIT_LATER, leakedSecrets, S3_NEW, TFSTATE_PLACE } from './view-fixture.js';

/** An RFC 4180 reader, independent of the writer: quoted cells, doubled quotes, CRLF records. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (cell += '"'), i++;
      else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') row.push(cell), (cell = '');
    else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += c;
  }
  expect(cell, 'the last record ends with CRLF').toBe('');
  return rows;
}

describe('CSV report', () => {
  const { view, raw } = fixture();
  const text = formatCsv(view);
  const [header, ...rows] = parseCsv(text);
  const records = rows.map((r) => Object.fromEntries(header.map((name, i) => [name, r[i]])));
  const at = (path: string): Record<string, string>[] => records.filter((r) => r.path === path);

  test('a header, then one row per location, every row as wide as the header', () => {
    expect(header).toEqual([...CSV_COLUMNS]);
    for (const name of ['ruleId', 'severity', 'fingerprint', 'secret', 'path', 'line', 'column', 'commit', 'author', 'date', 'resource', 'attribute', 'object', 'versionId', 'archivePath', 'encoding'])
      expect(header).toContain(name);
    expect(rows).toHaveLength(7);
    for (const r of rows) expect(r).toHaveLength(header.length);
    expect(text.endsWith('\r\n')).toBe(true);
  });

  test('git, tfstate and S3 places fill their own columns', () => {
    expect(at(GIT_FIRST.path)[0]).toMatchObject({
      ruleId: 'github-pat',
      severity: 'critical',
      fingerprint: view.findings[0].fingerprint,
      secret: view.findings[0].secret,
      line: '12',
      column: '17',
      commit: GIT_FIRST.commit,
      author: 'Alice Example',
      date: GIT_FIRST.date,
      resource: '',
    });
    expect(at(TFSTATE_PLACE.path)[0]).toMatchObject({ kind: 'tfstate', resource: TFSTATE_PLACE.resource, attribute: 'secret', workspace: 'prod' });
    expect(at(S3_NEW.path).map((r) => [r.object, r.versionId, r.lastModified])).toEqual([
      [S3_NEW.object, 'v1-old', '2023-02-01T00:00:00Z'],
      [S3_NEW.object, 'v2-new', '2023-05-12T12:00:00Z'],
    ]);
  });

  test('commas, quotes and markup survive quoting; archive chains join with !, encodings with >', () => {
    const [archived] = at(ARCHIVE_PLACE.path);
    expect(archived.archivePath).toBe(ARCHIVE_PLACE.archivePath!.join('!'));
    expect(archived.encoding).toBe('base64');
    expect(text).toContain('"dist/app, ""v2"".zip!config/');
    expect(at(GIT_LATER.path)).toHaveLength(1);
  });

  test('no cell can run as a spreadsheet formula', () => {
    // The author of GIT_LATER is "=HYPERLINK(...)", the password's redaction starts with "=".
    expect(at(GIT_LATER.path)[0].author).toBe(`'${GIT_LATER.author}`);
    expect(at(ARCHIVE_PLACE.path)[0].secret).toBe(`'${view.findings[2].secret}`);
    for (const r of rows) for (const cell of r) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
    expect(['=1+1', '+1', '-1', '@SUM(A1)', '\tx', 'plain', 'a,b', 'say "hi"', 'two\nlines'].map(csvCell)).toEqual([
      "'=1+1",
      "'+1",
      "'-1",
      "'@SUM(A1)",
      "'\tx",
      'plain',
      '"a,b"',
      '"say ""hi"""',
      '"two\nlines"',
    ]);
    expect(csvCell(-1)).toBe('-1');
  });

  test('secrets are the redacted ones', () => {
    expect(leakedSecrets(text, raw)).toEqual([]);
    expect(records.map((r) => r.secret.replace(/^'/, ''))).toEqual(view.findings.flatMap((f) => f.locations.map(() => f.secret)));
  });

  test('no findings: the header alone', () => {
    expect(formatCsv({ ...view, findings: [] })).toBe(`${CSV_COLUMNS.join(',')}\r\n`);
  });
});
