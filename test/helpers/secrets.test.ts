import { describe, expect, it } from 'vitest';
import {
  BASE62,
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
