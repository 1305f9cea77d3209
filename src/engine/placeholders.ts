// Values that look like secrets but are not, judged from the value alone: documented example
// credentials, placeholders and filler, references to where the value really lives, digests
// and identifiers, public keys and certificates, and base64 media. Applied to every rule's
// secret before it becomes a finding; checks that need the surrounding line are in
// false-positives/index.ts.
import { isDocumentedExample } from './false-positives/documented-examples.js';
import { isPrefixedDigest } from './false-positives/hashes.js';
import { isEncodedMedia } from './false-positives/media.js';
import { isPublicKeyMaterial } from './false-positives/public-keys.js';
import { isReference } from './false-positives/references.js';

export type PlaceholderKind = 'documented-example' | 'reference' | 'placeholder' | 'digest' | 'public-key' | 'media';

/** Words that, making up most of a value, mean it is filler. */
const FILLER_WORDS =
  /(?:example|sample|dummy|placeholder|changeme|change_me|redacted|masked|hidden|your[_-]?(?:api[_-]?)?(?:key|token|secret|password|pass)|insert[_-]?|replace[_-]?me|put[_-]?your|todo|fixme|tbd|not[\s_-]?(?:a|my)?[\s_-]?real|not[_-]?set|unset|fake|mock|xxxx|test(?:ing)?|secret|password|passwd|passw0rd|p@ssw0rd|pass|token|apikey|api_key|foobar|foo|bar|baz|lorem|ipsum|here|demo|default|value)/gi;

/** Whole values that only ever stand in for a real one (compared lower-cased). */
const STAND_INS = new Set([
  'letmein', 'qwerty', 'qwerty123', 'hunter2', 'abc123', 'abcd1234', 'secret123',
  'postgres', 'mysql', 'redis', 'rabbitmq', 'minioadmin', 'minio123', 'none', 'null', 'nil', 'undefined', 'true',
  'false', 'empty', 'required', 'optional', 'string', 'base64', 'bearer',
]);

/** Keyboard rows, in typing order ("9a" continues the hex alphabet). */
const KEYBOARD = 'qwertyuiop asdfghjkl zxcvbnm 1234567890';

function isRepeatedOrSequential(value: string): boolean {
  const body = value.replace(/[^A-Za-z0-9]/g, '');
  if (body.length < 4) return body.length === 0;
  const distinct = new Set(body.toLowerCase()).size;
  if (distinct <= 2) return true;
  // "abc123abc123": a short unit repeated.
  if (/^(.{1,8}?)\1{2,}$/i.test(body)) return true;
  // "0123456789", "abcdefgh", "qwertyuiop": runs in alphabet or keyboard order covering most of the value.
  const lower = body.toLowerCase();
  let run = 1;
  let longest = 1;
  for (let i = 1; i < lower.length; i++) {
    const pair = lower.slice(i - 1, i + 1);
    const next = lower.charCodeAt(i) - lower.charCodeAt(i - 1) === 1 || pair === '9a' || KEYBOARD.includes(pair);
    run = next ? run + 1 : 1;
    longest = Math.max(longest, run);
  }
  return longest >= Math.max(6, body.length * 0.6);
}

function isFiller(secret: string): boolean {
  if (STAND_INS.has(secret.toLowerCase())) return true;
  // Escaped, not typed: the bundles stay ASCII, which Node reads as one-byte strings (half the memory).
  if (/x{6,}|X{6,}|\*{4,}|#{6,}|\.{6,}|0{10,}|\u2022{3,}|\u2026|\.\.\.$/.test(secret)) return true;
  if (isRepeatedOrSequential(secret)) return true;
  // A value that is mostly filler words (e.g. "your_api_key_here", "sk_test_xxxxxxxxxxxx").
  const filler = secret.match(FILLER_WORDS);
  if (!filler) return false;
  const fillerLength = filler.reduce((n, w) => n + w.length, 0);
  const alnum = secret.replace(/[^A-Za-z0-9]/g, '').length;
  return fillerLength >= alnum * 0.5;
}

/** Filler that was base64-encoded (`cGFzc3dvcmQ=`): decoded, judged as the text it is. */
function isEncodedFiller(secret: string): boolean {
  if (secret.length < 12 || secret.length > 512 || !/^[A-Za-z0-9+/]+={0,2}$/.test(secret)) return false;
  const decoded = Buffer.from(secret, 'base64').toString('latin1');
  if (!/^[\x20-\x7e]{6,}$/.test(decoded)) return false;
  return isFiller(decoded) || isReference(decoded);
}

/** Why `secret` is not a secret, or undefined when it may be one. */
export function placeholderKind(secret: string): PlaceholderKind | undefined {
  if (isDocumentedExample(secret)) return 'documented-example';
  if (isReference(secret)) return 'reference';
  if (isFiller(secret) || isEncodedFiller(secret)) return 'placeholder';
  if (isPrefixedDigest(secret)) return 'digest';
  if (isPublicKeyMaterial(secret)) return 'public-key';
  if (isEncodedMedia(secret)) return 'media';
  return undefined;
}

/** True when `secret` (the captured value of a rule) is a placeholder, example or non-secret. */
export function isPlaceholder(secret: string): boolean {
  return placeholderKind(secret) !== undefined;
}
