// Every decoder through the real engine and pipeline: an encoded secret is found, located at
// the encoded text, with the encoding chain recorded; an encoded decoy (placeholder, binary,
// identifier) is not.
import { describe, expect, it } from 'vitest';
import { Engine } from '../../src/engine/engine.js';
import { detectChunk } from '../../src/engine/pipeline.js';
import { loadBuiltinRules } from '../../src/engine/rules.js';
import type { Match } from '../../src/types.js';
import { BASE62, githubToken, npmToken, randomString, rng } from '../helpers/secrets.js';

const engine = new Engine(loadBuiltinRules());
const random = rng(0xdec0de);
const b64 = (s: string): string => Buffer.from(s, 'utf8').toString('base64');
const b64url = (s: string): string => Buffer.from(s, 'utf8').toString('base64url');

function detect(text: string): Match[] {
  return detectChunk({ text, origin: { kind: 'log', path: 'ci.log' } }, engine);
}

/** The one match of `secret`, checked to sit on `encoded` in `text`. */
function located(text: string, secret: string, encoded: string): Match {
  const hits = detect(text).filter((m) => m.secret === secret);
  expect(hits, text.slice(0, 80)).toHaveLength(1);
  expect(text.slice(hits[0].start, hits[0].end)).toBe(encoded);
  return hits[0];
}

describe('base64', () => {
  it('finds a token printed base64-encoded, located at the encoded run', () => {
    const token = githubToken(undefined, random);
    const encoded = b64(`export GITHUB_TOKEN=${token}`);
    const text = `2024-05-01T10:00:00Z env: ${encoded}\n`;
    expect(located(text, token, encoded).encoding).toEqual(['base64']);
  });

  it('finds a token base64-encoded twice (depth 2)', () => {
    const token = npmToken(random);
    const encoded = b64(b64(`//registry.npmjs.org/:_authToken=${token}`));
    expect(located(`auth: ${encoded}`, token, encoded).encoding).toEqual(['base64', 'base64']);
  });

  it('stops at depth 2: three levels are noise', () => {
    const token = githubToken(undefined, random);
    expect(detect(`x ${b64(b64(b64(`t=${token}`)))}`).filter((m) => m.secret === token)).toEqual([]);
  });

  it('finds an encoded token behind a hundred other encoded runs, each located', () => {
    const lines = Array.from({ length: 100 }, (_, i) => `step ${i}: ${b64(`build step ${i} finished without errors`)}`);
    const tokens = [githubToken(undefined, random), githubToken(undefined, random)];
    const encoded = tokens.map((token) => b64(`export GITHUB_TOKEN=${token}`));
    const text = [`first: ${encoded[0]}`, ...lines, `last: ${encoded[1]}`].join('\n');
    for (const [i, token] of tokens.entries()) expect(located(text, token, encoded[i]).encoding).toEqual(['base64']);
  });

  it('does not report encoded placeholders or binary data', () => {
    expect(detect(`cfg: ${b64('api_key = "your_api_key_here_please"')}`)).toEqual([]);
    expect(detect(`cfg: ${b64('GITHUB_TOKEN=gh' + 'p_' + 'x'.repeat(36))}`)).toEqual([]);
    const binary = Buffer.from(Array.from({ length: 48 }, () => Math.floor(random() * 256))).toString('base64');
    expect(detect(`blob: ${binary}`)).toEqual([]);
  });
});

describe('base64url', () => {
  it('finds a secret in base64url text, the chain says base64url', () => {
    const password = randomString(random, BASE62, 14) + '7Qa';
    // A JSON document whose base64url form uses "-" or "_".
    let doc = '';
    let encoded = '';
    for (let i = 0; !/[-_]/.test(encoded); i++) {
      doc = JSON.stringify({ user: 'svc', password: password + '?'.repeat(i % 3), pad: i });
      encoded = b64url(doc);
    }
    const hit = detect(`state=${encoded}&x=1`).find((m) => m.secret.startsWith(password));
    expect(hit?.encoding).toEqual(['base64url']);
  });

  it('does not report a base64url-encoded placeholder', () => {
    expect(detect(`state=${b64url('{"password": "${DB_PASSWORD}", "api_key": "<your-api-key>"}')}`)).toEqual([]);
  });
});

describe('percent-encoding', () => {
  it('finds a secret in a URL-encoded parameter', () => {
    const token = githubToken(undefined, random);
    const encoded = encodeURIComponent(`{"token":"${token}"}`);
    const text = `GET /callback?state=${encoded} HTTP/1.1`;
    const hit = detect(text).find((m) => m.secret === token);
    expect(hit?.encoding).toEqual(['percent']);
    expect(text.slice(hit!.start, hit!.end)).toContain(encoded);
  });

  it('does not report a percent-encoded placeholder', () => {
    expect(detect(`q=${encodeURIComponent('password="<your-password>"')}`)).toEqual([]);
  });
});

describe('JSON and shell string escapes', () => {
  it('finds a PEM key with \\n escapes inside a JSON string', () => {
    const body = randomString(random, BASE62 + '+/', 1600).match(/.{1,64}/g)!.join('\\n');
    const pem = `-----BEGIN PRIV` + `ATE KEY-----\\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC${body}\\n-----END PRIV` + `ATE KEY-----\\n`;
    const text = `{"type": "service_account", "private_key": "${pem}"}`;
    expect(detect(text).length).toBeGreaterThan(0);
  });

  it('finds a token written with \\u escapes', () => {
    const token = githubToken(undefined, random);
    const escaped = token.replace(/[a-z]/, (c) => `\\u00${c.charCodeAt(0).toString(16)}`);
    const text = `{"env": "GITHUB_TOKEN=${escaped}"}`;
    const hit = detect(text).find((m) => m.secret === token);
    expect(hit?.encoding).toEqual(['escape']);
  });

  it('finds an escaped token in a string that opens the text', () => {
    const token = githubToken(undefined, random);
    const escaped = token.replace(/_/, '\\u005f');
    const hit = detect(`"${escaped}" was the value`).find((m) => m.secret === token);
    expect(hit?.encoding).toEqual(['escape']);
  });

  it('finds a token written with shell \\x escapes', () => {
    const token = githubToken(undefined, random);
    const escaped = token.replace(/_/, '\\x5f');
    const hit = detect(`printf 'TOKEN=${escaped}\\n'`).find((m) => m.secret === token);
    expect(hit?.encoding).toEqual(['escape']);
  });

  it('looks past what only looks like an escape (printf formats, \\q, a cut \\u) to the real ones', () => {
    const token = githubToken(undefined, random);
    const escaped = token.replace(/[a-z]/, (c) => `\\u00${c.charCodeAt(0).toString(16)}`);
    const url = `https://ci.example/cb?state=${encodeURIComponent(`{"token":"${token}"}`)}`;
    const text = `printf("%zz %2g 100%% \\q \\u12 \\x4");\nconst a = "${escaped}";\nfetch('${url}');\n`;
    const encodings = detect(text).filter((m) => m.secret === token).map((m) => m.encoding!.join());
    expect(encodings.sort()).toEqual(['escape', 'percent']);
  });

  it('finds a token whose last character is an escape that ends the text; one cut short by the end is none', () => {
    const token = githubToken(undefined, random);
    const last = token.charCodeAt(token.length - 1).toString(16).padStart(2, '0');
    for (const escape of [`\\u00${last}`, `\\x${last}`, `%${last}`]) {
      const text = `TOKEN=${token.slice(0, -1)}${escape}`;
      const hit = detect(text).find((m) => m.secret === token);
      expect(hit?.encoding, escape).toEqual([escape.startsWith('%') ? 'percent' : 'escape']);
      // The same escape cut short by the text's end is no escape at all.
      expect(detect(text.slice(0, -1)).filter((m) => m.secret === token)).toEqual([]);
    }
    expect(detect('a trailing backslash \\')).toEqual([]);
  });

  it('does not report escaped placeholders', () => {
    expect(detect('{"env": "API_KEY=\\u0024{API_KEY}\\n"}')).toEqual([]);
  });
});

describe('hex', () => {
  it('finds a token in hex-encoded text', () => {
    const token = githubToken(undefined, random);
    const encoded = Buffer.from(`token=${token}`).toString('hex');
    expect(located(`payload ${encoded} end`, token, encoded).encoding).toEqual(['hex']);
  });

  it('does not report hex that decodes to binary (a digest)', () => {
    const digest = Array.from({ length: 32 }, () => Math.floor(random() * 256).toString(16).padStart(2, '0')).join('');
    expect(detect(`sha256 ${digest}`)).toEqual([]);
  });
});
