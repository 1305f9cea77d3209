// Structural checks a secret must pass for rules that name them. Each is pure and cheap.
import { hasValidTokenChecksum } from './checksum.js';

export type Validator = (secret: string) => boolean;

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
const BASE64URL = /^[A-Za-z0-9_-]+={0,2}$/;

function decodesToJsonWithAlg(part: string): boolean {
  try {
    const header = JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as unknown;
    return typeof header === 'object' && header !== null && 'alg' in header;
  } catch {
    return false;
  }
}

function isJwt(secret: string): boolean {
  const parts = secret.split('.');
  if (parts.length !== 3 || parts[2].length < 16) return false;
  if (!parts.every((p) => BASE64URL.test(p))) return false;
  return decodesToJsonWithAlg(parts[0]);
}

/** A PEM private key block whose body is base64 of a plausible length, also with `\n` escapes. */
function isPemPrivateKey(secret: string): boolean {
  const text = secret.replace(/\\r|\\n/g, '\n');
  const m = /-----BEGIN[ A-Z0-9]*PRIVATE KEY(?: BLOCK)?-----([\s\S]*?)-----END[ A-Z0-9]*PRIVATE KEY(?: BLOCK)?-----/.exec(text);
  if (!m) return false;
  // Headers such as "Proc-Type:" and PGP armor headers precede the body.
  const body = m[1]
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.length > 0 && !line.includes(':') && !/^=[A-Za-z0-9+/]{4}$/.test(line))
    .join('');
  return body.length >= 64 && BASE64.test(body);
}

function isBase64(secret: string): boolean {
  return secret.length % 4 !== 1 && (BASE64.test(secret) || BASE64URL.test(secret));
}

export const validators: Record<string, Validator> = {
  'github-crc32': (s) => hasValidTokenChecksum(s, s.indexOf('_') + 1),
  'npm-crc32': (s) => hasValidTokenChecksum(s, 4),
  jwt: isJwt,
  'pem-private-key': isPemPrivateKey,
  base64: isBase64,
};

export function isKnownValidator(name: string): boolean {
  return Object.hasOwn(validators, name);
}
