// Deterministic fake secrets for tests. The repository must scan clean with its own scanner,
// so no secret-looking literal lives in source: every value is built at run time from a seeded
// PRNG, and every provider prefix is assembled from pieces ('gh' + 'p_') so this file itself
// holds nothing a rule would report. Each maker yields a value the built-in rules detect.

export type Rng = () => number;

export const DIGITS = '0123456789';
export const LOWER = 'abcdefghijklmnopqrstuvwxyz';
export const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
export const HEX = DIGITS + 'abcdef';
/** GitHub's and npm's checksum alphabet, in this order. */
export const BASE62 = DIGITS + UPPER + LOWER;
export const BASE64 = UPPER + LOWER + DIGITS + '+/';
export const BASE64URL = UPPER + LOWER + DIGITS + '-_';
/** RFC 4648 base32, the alphabet of AWS access key ids after their prefix. */
export const BASE32 = UPPER + '234567';

/** mulberry32: small, fast and good enough to make test data reproducible from a seed. */
export function rng(seed = 0x5eed): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

let shared: Rng = rng();
/** Restarts the PRNG the makers use when no generator is passed. */
export function resetSharedRng(seed = 0x5eed): void {
  shared = rng(seed);
}

/**
 * `n` characters drawn from `alphabet`. Draws again when the result has a run of four equal
 * or four consecutive characters: the engine treats those as placeholders, and a test value
 * must look random to be detected.
 */
export function randomString(random: Rng, alphabet: string, n: number): string {
  for (;;) {
    let s = '';
    for (let i = 0; i < n; i++) s += alphabet[Math.floor(random() * alphabet.length)];
    if (!looksPatterned(s)) return s;
  }
}

function looksPatterned(s: string): boolean {
  for (let i = 0; i + 3 < s.length; i++) {
    const c = [0, 1, 2, 3].map((k) => s.charCodeAt(i + k));
    const same = c.every((x) => x === c[0]);
    const up = c.every((x, k) => x === c[0] + k);
    const down = c.every((x, k) => x === c[0] - k);
    if (same || up || down) return true;
  }
  return /example|test|fake|dummy|sample|x{3}|changeme|password|secret|token/i.test(s);
}

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** CRC-32 (IEEE 802.3, as zlib) of the UTF-8 bytes of `text`. */
export function crc32(text: string): number {
  let crc = 0xffffffff;
  for (const byte of Buffer.from(text, 'utf8')) crc = CRC_TABLE[(crc ^ byte) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/** `value` in base 62 (alphabet 0-9A-Za-z), left-padded with '0' to `width`. */
export function base62(value: number, width = 6): string {
  let out = '';
  let v = value;
  do {
    out = BASE62[v % 62] + out;
    v = Math.floor(v / 62);
  } while (v > 0);
  return out.padStart(width, '0');
}

/** 30 random base62 characters plus their 6-character checksum: GitHub's and npm's token body. */
function checksummedBody(random: Rng): string {
  const body = randomString(random, BASE62, 30);
  return body + base62(crc32(body));
}

export const GITHUB_PREFIXES = ['gh' + 'p_', 'gh' + 'o_', 'gh' + 'u_', 'gh' + 's_', 'gh' + 'r_'] as const;

/** A GitHub token (`ghp_` by default) with a valid CRC32 checksum. */
export function githubToken(prefix: string = GITHUB_PREFIXES[0], random: Rng = shared): string {
  return prefix + checksummedBody(random);
}

export function npmToken(random: Rng = shared): string {
  return 'np' + 'm_' + checksummedBody(random);
}

export function awsAccessKeyId(random: Rng = shared): string {
  return 'AK' + 'IA' + randomString(random, BASE32, 16);
}

export function awsSecretKey(random: Rng = shared): string {
  return randomString(random, UPPER + LOWER + DIGITS + '/+', 40);
}

export function slackBotToken(random: Rng = shared): string {
  const digits = (n: number) => randomString(random, DIGITS, n);
  return ['xo' + 'xb', digits(12), digits(13), randomString(random, UPPER + LOWER + DIGITS, 24)].join('-');
}

export function stripeLiveKey(random: Rng = shared): string {
  return 'sk' + '_live_' + randomString(random, UPPER + LOWER + DIGITS, 99);
}

/** A project key in OpenAI's current shape: the `T3BlbkFJ` marker between two random halves. */
export function openaiKey(random: Rng = shared): string {
  const half = () => randomString(random, BASE64URL, 74);
  return 'sk' + '-proj-' + half() + 'T3Blbk' + 'FJ' + half();
}

/** A PEM block with a base64 body of ~1600 characters wrapped at 64 (not a usable key). */
export function privateKeyPem(random: Rng = shared): string {
  const body = 'MIIEow' + randomString(random, BASE64, 1588);
  const lines = body.match(/.{1,64}/g) ?? [];
  const dashes = '-----';
  return [
    `${dashes}BEGIN RSA PRIV` + `ATE KEY${dashes}`,
    ...lines,
    `${dashes}END RSA PRIV` + `ATE KEY${dashes}`,
  ].join('\n');
}

function base64url(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64url');
}

/** A signed-looking HS256 JWT whose header and payload decode to JSON. */
export function jwt(random: Rng = shared, claims: Record<string, unknown> = {}): string {
  const header = base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
  const payload = base64url(
    JSON.stringify({ sub: randomString(random, DIGITS, 10), iat: 1700000000 + Math.floor(random() * 1e6), ...claims }),
  );
  return `${header}.${payload}.${randomString(random, BASE64URL, 43)}`;
}

export function postgresUrl(random: Rng = shared): string {
  const user = 'app_' + randomString(random, LOWER, 6);
  const password = randomString(random, UPPER + LOWER + DIGITS, 24);
  return `postgres://${user}:${password}@db-${randomString(random, LOWER, 5)}.internal:5432/orders`;
}
