// Fake credentials in the exact shapes real providers issue (valid GitHub/npm CRC32
// checksums included), built at run time from a seeded PRNG so no secret-looking literal
// is ever committed. Each maker returns the value; `kind` names are used in recall output.
import zlib from 'node:zlib';
import { ALPHABETS } from './prng.js';

/** GitHub and npm encode the CRC32 of the random part as 6 base62 digits. */
export function base62Checksum(text) {
  let n = zlib.crc32(text);
  let out = '';
  do {
    out = ALPHABETS.base62[n % 62] + out;
    n = Math.floor(n / 62);
  } while (n > 0);
  return out.padStart(6, '0');
}

/** `prefix` + 30 random base62 + checksum, the shape of GitHub (ghp_, gho_...) and npm tokens. */
function checksummedToken(rng, prefix) {
  const random = rng.chars(ALPHABETS.base62, 30);
  return prefix + random + base62Checksum(random);
}

export const githubToken = (rng, kind = 'p') => checksummedToken(rng, `gh${kind}_`);
export const npmToken = (rng) => checksummedToken(rng, 'npm' + '_');

export function awsKeyPair(rng) {
  return {
    accessKeyId: 'AKIA' + rng.chars(ALPHABETS.upperBase32, 16),
    secretAccessKey: rng.chars(ALPHABETS.base64, 40),
  };
}

export function slackBotToken(rng) {
  const digits = (n) => String(rng.int(1, 9)) + rng.chars(ALPHABETS.digits, n - 1);
  return ['xox' + 'b', digits(12), digits(13), rng.chars(ALPHABETS.base62, 24)].join('-');
}

export const stripeLiveKey = (rng) => 'sk' + '_live_' + rng.chars(ALPHABETS.base62, 24);

/** A PEM private key block: base64 body in 64-column lines, `type` e.g. 'RSA' or 'EC'. */
export function pemPrivateKey(rng, type = 'RSA', bodyLength = 1588) {
  const body = rng.chars(ALPHABETS.base64, bodyLength);
  const lines = body.match(/.{1,64}/g);
  const label = `${type} PRIVATE KEY`;
  return [`-----BEGIN ${label}-----`, ...lines, `-----END ${label}-----`].join('\n');
}
