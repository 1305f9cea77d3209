// Every built-in validator through the real engine, on the rules that name it: a value that
// passes is reported, a near miss that fails the check is not.
import { describe, expect, it } from 'vitest';
import { Engine } from '../../src/engine/engine.js';
import { detectChunk } from '../../src/engine/pipeline.js';
import { loadBuiltinRules } from '../../src/engine/rules.js';
import { validators } from '../../src/engine/validators.js';
import { BASE62, BASE64, githubToken, GITHUB_PREFIXES, jwt, npmToken, privateKeyPem, randomString, rng } from '../helpers/secrets.js';

const rules = loadBuiltinRules();
const engine = new Engine(rules);
const random = rng(0x7a11d);

function ruleIds(text: string): string[] {
  return detectChunk({ text, origin: { kind: 'file', path: 'f' } }, engine).map((m) => m.ruleId);
}

/** The same token with its last checksum character changed. */
function breakChecksum(token: string): string {
  const last = token[token.length - 1];
  return token.slice(0, -1) + (last === 'A' ? 'B' : 'A');
}

describe('every validator a rule names exists and is tested here', () => {
  it('knows exactly the validators tested below, and the rule pack names no other', () => {
    expect(Object.keys(validators).sort()).toEqual(['base64', 'github-crc32', 'jwt', 'npm-crc32', 'pem-private-key']);
    for (const name of new Set(rules.flatMap((r) => r.validators))) expect(Object.keys(validators)).toContain(name);
  });
});

describe('github-crc32', () => {
  for (const prefix of GITHUB_PREFIXES) {
    it(`accepts ${prefix} tokens with a valid checksum and rejects a broken one`, () => {
      const token = githubToken(prefix, random);
      expect(ruleIds(`TOKEN=${token}`).some((id) => id.startsWith('github-'))).toBe(true);
      expect(ruleIds(`TOKEN=${breakChecksum(token)}`).filter((id) => id.startsWith('github-'))).toEqual([]);
    });
  }
});

describe('npm-crc32', () => {
  it('accepts npm tokens with a valid checksum and rejects a broken one', () => {
    const token = npmToken(random);
    expect(ruleIds(`//registry.npmjs.org/:_authToken=${token}`)).toContain('npm-access-token');
    expect(ruleIds(`//registry.npmjs.org/:_authToken=${breakChecksum(token)}`)).not.toContain('npm-access-token');
  });
});

describe('jwt', () => {
  it('accepts a token whose header decodes to JSON with alg', () => {
    expect(ruleIds(`id_token: ${jwt(random)}`)).toContain('jwt');
  });

  it('rejects three base64url parts whose header is not a JWT header', () => {
    const header = Buffer.from(JSON.stringify({ typ: 'JWT', kid: 'k1' })).toString('base64url');
    const payload = Buffer.from(JSON.stringify({ sub: '1' })).toString('base64url');
    const fake = `${header}.${payload}.${randomString(random, BASE62, 43)}`;
    expect(ruleIds(`id_token: ${fake}`)).not.toContain('jwt');
  });
});

describe('pem-private-key', () => {
  it('accepts a PEM block with a base64 body, also with \\n escapes in JSON', () => {
    const pem = privateKeyPem(random);
    expect(validators['pem-private-key'](pem)).toBe(true);
    expect(validators['pem-private-key'](JSON.stringify(pem).slice(1, -1))).toBe(true);
    expect(ruleIds(pem).some((id) => id.startsWith('private-key'))).toBe(true);
    expect(ruleIds(JSON.stringify({ key: pem })).some((id) => id.startsWith('private-key'))).toBe(true);
  });

  it('rejects a block whose body is not base64 of a plausible length', () => {
    const begin = '-----BEGIN RSA PRIV' + 'ATE KEY-----';
    const end = '-----END RSA PRIV' + 'ATE KEY-----';
    expect(ruleIds(`${begin}\n...\n${end}`).filter((id) => id.startsWith('private-key'))).toEqual([]);
    expect(ruleIds(`${begin}\n${randomString(random, BASE62, 40)}\n${end}`).filter((id) => id.startsWith('private-key'))).toEqual([]);
    expect(validators['pem-private-key'](`${begin}\n${'*'.repeat(70)}\n${end}`)).toBe(false);
  });
});

describe('base64', () => {
  it('accepts base64 registry credentials in a Docker config and rejects a non-base64 value', () => {
    const auth = Buffer.from(`ci-bot:${randomString(random, BASE62, 24)}`).toString('base64');
    const config = (value: string) => JSON.stringify({ auths: { 'registry.internal': { auth: value } } });
    expect(ruleIds(config(auth))).toContain('docker-config-auth');
    expect(validators.base64(auth)).toBe(true);
    // Length 4n+1 cannot be base64.
    const bad = randomString(random, BASE64.replace(/[+/]/g, ''), 41);
    expect(validators.base64(bad)).toBe(false);
    expect(ruleIds(config(bad))).not.toContain('docker-config-auth');
  });
});
