// The Kubernetes Secret analyzer with the real engine: base64 `data:` values are decoded and
// judged, matches point at the encoded value's line and record the base64 step; certificates,
// user names and encoded placeholders are not reported.
import { describe, expect, it } from 'vitest';
import { Engine } from '../../src/engine/engine.js';
import { k8sSecretAnalyzer } from '../../src/engine/k8s/analyzer.js';
import { secretDataEntries } from '../../src/engine/k8s/manifest.js';
import { K8S_SECRET_VALUE } from '../../src/engine/k8s/rules.js';
import { detectChunk, scanChunk } from '../../src/engine/pipeline.js';
import { loadBuiltinRules } from '../../src/engine/rules.js';
import { locator } from '../../src/findings/locate.js';
import type { Chunk, Match } from '../../src/types.js';
import { BASE62, BASE64, githubToken, postgresUrl, privateKeyPem, randomString, rng } from '../helpers/secrets.js';
import { mixedValue } from '../helpers/mixed-value.js';

const engine = new Engine(loadBuiltinRules());
const random = rng(0x6b38);
const b64 = (s: string): string => Buffer.from(s, 'utf8').toString('base64');
const value = (n = 24): string => mixedValue(random, n);

function chunk(text: string, path = 'deploy/secret.yaml'): Chunk {
  return { text, origin: { kind: 'file', path } };
}

function analyze(text: string, path?: string): { matches: Match[]; line: (m: Match) => number } {
  const c = chunk(text, path);
  const { matches } = k8sSecretAnalyzer.analyze(c, (sub) => detectChunk(sub, engine));
  const locate = locator(c);
  return { matches, line: (m) => locate(m).line };
}

function manifest(data: Record<string, string>, name = 'app'): string {
  return [
    'apiVersion: v1',
    'kind: ConfigMap',
    'metadata:',
    '  name: settings',
    'data:',
    '  LOG_LEVEL: info',
    '---',
    'apiVersion: v1',
    'kind: Secret',
    'metadata:',
    `  name: ${name}`,
    'type: Opaque',
    'data:',
    ...Object.entries(data).map(([k, v]) => `  ${k}: ${b64(v)}`),
    '',
  ].join('\n');
}

const lineOf = (text: string, needle: string): number => text.slice(0, text.indexOf(needle)).split('\n').length;

describe('Kubernetes Secret manifests', () => {
  it('applies to Secret manifests only', () => {
    expect(k8sSecretAnalyzer.applies({ kind: 'file', path: 'x.yaml' }, manifest({ a: 'b' }))).toBe(true);
    expect(k8sSecretAnalyzer.applies({ kind: 'file', path: 'x.yaml' }, 'kind: ConfigMap\ndata:\n  a: b\n')).toBe(false);
    expect(k8sSecretAnalyzer.applies({ kind: 'file', path: 'x.py' }, 'class Secret:\n    pass\n')).toBe(false);
  });

  it('reports a decoded high-entropy value under a secret key as kubernetes-secret-value, at the encoded line', () => {
    const key = value(20);
    const text = manifest({ username: 'orders', 'hmac-key': key });
    const { matches, line } = analyze(text);
    expect(matches).toHaveLength(1);
    const [m] = matches;
    expect(m).toMatchObject({ ruleId: K8S_SECRET_VALUE, secret: key, encoding: ['base64'] });
    expect(m.origin).toMatchObject({ resource: 'Secret/app', attribute: 'data.hmac-key' });
    expect(text.slice(m.start, m.end)).toBe(b64(key));
    expect(line(m)).toBe(lineOf(text, b64(key)));
  });

  it('judges a decoded value with its key as context: a password is a password assignment', () => {
    const password = value(20);
    const { matches } = analyze(manifest({ password }));
    expect(matches.map((m) => [m.ruleId, m.secret, m.encoding])).toEqual([['generic-password-assignment', password, ['base64']]]);
  });

  it('runs the rules on decoded values: a provider token, a URL password, a PEM key', () => {
    const token = githubToken(undefined, random);
    const url = postgresUrl(random);
    const pem = privateKeyPem(random);
    const text = manifest({ GITHUB_TOKEN: token, DATABASE_URL: url, 'tls.key': pem });
    const { matches } = analyze(text);
    const byAttribute = new Map(matches.map((m) => [m.origin?.attribute, m]));
    expect(byAttribute.get('data.GITHUB_TOKEN')).toMatchObject({ ruleId: 'github-pat-classic', secret: token, encoding: ['base64'] });
    expect(byAttribute.get('data.DATABASE_URL')).toMatchObject({ ruleId: 'generic-url-credentials', encoding: ['base64'] });
    expect(url).toContain(`:${byAttribute.get('data.DATABASE_URL')!.secret}@`);
    expect(byAttribute.get('data.tls.key')?.ruleId).toMatch(/^private-key/);
    for (const m of matches) expect(text.slice(m.start, m.end)).toMatch(/^[A-Za-z0-9+/]+=*$/);
  });

  it('does not report certificates, user names, low-entropy or placeholder values', () => {
    const cert = ['-----BEGIN CERTIFICATE-----', ...(`MIID${randomString(random, BASE64, 600)}`.match(/.{1,64}/g) ?? []), '-----END CERTIFICATE-----'].join('\n');
    const text = manifest({ 'tls.crt': cert, username: 'admin', password: 'changeme', 'api-token': '${API_TOKEN}', port: '5432', secret: 'aaaaaaaaaaaa' });
    expect(analyze(text).matches).toEqual([]);
  });

  it('reads JSON manifests and List items', () => {
    const token = value(32);
    const text = JSON.stringify(
      { apiVersion: 'v1', kind: 'List', items: [{ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'api' }, data: { 'cookie-key': b64(token), user: b64('svc') } }] },
      null,
      2,
    );
    const { matches, line } = analyze(text, 'secret.json');
    expect(matches.map((m) => [m.ruleId, m.secret, m.origin?.resource])).toEqual([[K8S_SECRET_VALUE, token, 'Secret/api']]);
    expect(line(matches[0])).toBe(lineOf(text, b64(token)));
  });

  it('finds Secrets nested in a YAML list and ignores data blocks of other kinds', () => {
    const secret = value(28);
    const text = [
      'apiVersion: v1',
      'kind: List',
      'items:',
      '  - apiVersion: v1',
      '    kind: ConfigMap',
      '    data:',
      `      mode: ${b64('production')}`,
      '  - apiVersion: v1',
      '    kind: Secret',
      '    metadata:',
      '      name: nested',
      '    data:',
      `      client_secret: ${b64(secret)}`,
      '',
    ].join('\n');
    const entries = secretDataEntries(text);
    expect(entries.map((e) => [e.name, e.key])).toEqual([['nested', 'client_secret']]);
    expect(analyze(text).matches.map((m) => [m.secret, m.encoding])).toEqual([[secret, ['base64']]]);
  });

  it('still reports plain-text secrets elsewhere in the manifest (stringData)', () => {
    const password = value(18);
    const text = ['apiVersion: v1', 'kind: Secret', 'metadata:', '  name: plain', 'stringData:', `  password: "${password}"`, ''].join('\n');
    expect(analyze(text).matches.map((m) => [m.ruleId, m.secret])).toEqual([['generic-password-assignment', password]]);
  });

  it('reports the decoded value, not the encoded text, under a secret-named key', () => {
    const password = value(20);
    const text = manifest({ password });
    expect(analyze(text).matches.map((m) => m.secret)).toEqual([password]);
    // Without the analyzer, the base64 text itself would pass for the password.
    expect(detectChunk(chunk(text), engine).map((m) => m.secret)).toEqual([b64(password)]);
  });

  it('honours leaksweep:allow on the line of an encoded value (the pipeline applies it to every analyzer)', () => {
    const key = value(20);
    const text = manifest({ 'hmac-key': key }).replace(b64(key), `${b64(key)} # leaksweep:allow`);
    expect(analyze(text).matches).toHaveLength(1);
    expect(scanChunk(chunk(text), engine).matches).toEqual([]);
  });

  it('is registered in the pipeline', () => {
    const key = value(20);
    const { matches } = scanChunk(chunk(manifest({ 'hmac-key': key })), engine);
    expect(matches.map((m) => [m.ruleId, m.secret])).toEqual([[K8S_SECRET_VALUE, key]]);
  });
});
