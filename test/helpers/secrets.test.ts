import { describe, expect, it } from 'vitest';
import { Engine } from '../../src/engine/engine.js';
import { detectChunk } from '../../src/engine/pipeline.js';
import { loadBuiltinRules } from '../../src/engine/rules.js';
import {
  BASE62,
  GITHUB_PREFIXES,
  awsSecretKey,
  openaiKey,
  slackBotToken,
  stripeLiveKey,
  awsAccessKeyId,
  base62,
  crc32,
  githubToken,
  jwt,
  npmToken,
  postgresUrl,
  privateKeyPem,
  randomString,
  rng,
} from './secrets.js';

describe('checksum helpers', () => {
  it('crc32 matches the standard check value', () => {
    expect(crc32('123456789')).toBe(0xcbf43926);
    expect(crc32('')).toBe(0);
  });

  it('base62 pads to six characters and uses 0-9A-Za-z', () => {
    expect(base62(0)).toBe('000000');
    expect(base62(61)).toBe('00000z');
    expect(base62(62)).toBe('000010');
    expect(base62(0xffffffff)).toBe('4gfFC3');
  });
});

describe('fake secret makers', () => {
  it('are deterministic for a seed', () => {
    expect(githubToken('gh' + 'p_', rng(7))).toBe(githubToken('gh' + 'p_', rng(7)));
    expect(githubToken('gh' + 'p_', rng(7))).not.toBe(githubToken('gh' + 'p_', rng(8)));
  });

  it('github and npm tokens carry the checksum of their 30-character body', () => {
    for (const token of [githubToken(undefined, rng(1)), npmToken(rng(2))]) {
      expect(token).toMatch(/^[a-z]{3}_[0-9A-Za-z]{36}$/);
      const body = token.slice(4, 34);
      expect(token.slice(34)).toBe(base62(crc32(body)));
    }
  });

  it('randomString never yields runs the engine would call placeholders', () => {
    const random = rng(3);
    for (let i = 0; i < 200; i++) {
      const s = randomString(random, BASE62, 40);
      expect(s).toHaveLength(40);
      expect(s).not.toMatch(/(.)\1\1\1/);
    }
  });

  it('shapes match what the rules expect', () => {
    expect(awsAccessKeyId(rng(4))).toMatch(/^AKIA[A-Z2-7]{16}$/);
    const [header, payload] = jwt(rng(5)).split('.');
    expect(JSON.parse(Buffer.from(header, 'base64url').toString()).alg).toBe('HS256');
    expect(JSON.parse(Buffer.from(payload, 'base64url').toString())).toHaveProperty('sub');
    const pem = privateKeyPem(rng(6)).split('\n');
    expect(pem[0]).toMatch(/^-----BEGIN RSA PRIVATE KEY-----$/);
    expect(pem.slice(1, -1).every((line) => line.length <= 64)).toBe(true);
    expect(pem.slice(1, -1).join('')).toHaveLength(1594);
    expect(postgresUrl(rng(7))).toMatch(/^postgres:\/\/app_[a-z]{6}:[0-9A-Za-z]{24}@/);
  });
});

describe('fake secrets are found by the built-in rules', () => {
  const engine = new Engine(loadBuiltinRules());
  const found = (text: string) =>
    detectChunk({ text, origin: { kind: 'file', path: 'fixture' } }, engine).map((m) => [m.ruleId, m.secret]);
  const random = rng(11);
  const cases: [string, string, (value: string) => string][] = [
    ...GITHUB_PREFIXES.map((p): [string, string, (v: string) => string] => [githubToken(p, random), 'github-', (v) => `token = "${v}"`]),
    [npmToken(random), 'npm-access-token', (v) => `//registry.npmjs.org/:_authToken=${v}`],
    [awsAccessKeyId(random), 'aws-access-key-id', (v) => `aws_access_key_id = ${v}`],
    [awsSecretKey(random), 'aws-secret-access-key', (v) => `aws_secret_access_key = ${v}`],
    [slackBotToken(random), 'slack-bot-token', (v) => `SLACK_BOT_TOKEN=${v}`],
    [stripeLiveKey(random), 'stripe-live-secret-key', (v) => `STRIPE_KEY=${v}`],
    [openaiKey(random), 'openai-project-key', (v) => `OPENAI_API_KEY=${v}`],
    // PEM rules report the BEGIN line and the first 1000 characters of the body.
    [privateKeyPem(random), 'private-key-rsa', (v) => v],
    [jwt(random), 'jwt', (v) => `Authorization: Bearer ${v}`],
  ];
  it.each(cases)('%s is reported by %s', (value, ruleId, context) => {
    const hits = found(context(value));
    const reported = (secret: string) => secret === value || (ruleId.startsWith('private-key') && secret.length >= 1000 && value.startsWith(secret));
    expect(hits.some(([id, secret]) => id.startsWith(ruleId) && reported(secret)), JSON.stringify(hits)).toBe(true);
  });

  it('a postgres URL is reported with its password as the secret', () => {
    const url = postgresUrl(random);
    const password = /:([^:@]+)@/.exec(url)![1];
    expect(found(`DATABASE_URL=${url}`).map(([, secret]) => secret)).toContain(password);
  });

  it('a broken checksum is not reported', () => {
    const token = githubToken(GITHUB_PREFIXES[0], random);
    const broken = token.slice(0, -1) + (token.endsWith('a') ? 'b' : 'a');
    expect(found(`token = "${broken}"`).filter(([id]) => id.startsWith('github-'))).toEqual([]);
  });
});
