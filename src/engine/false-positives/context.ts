// Checks on the line around a match, for every rule: hashes in lock files, go.sum and SRI
// attributes, git commit pins, data-URI payloads, values inside public-key blocks.
import { isHexDigestShaped } from './hashes.js';
import { keyBefore, type LineView } from '../line.js';
import { followsDataUri } from './media.js';

/** Keys whose values are digests or identifiers. */
const HASH_KEY = /(?:^|[_.-])(?:integrity|checksum|checksums|shasum|sha|sha1|sha256|sha384|sha512|md5|hash|digest|commit|commit_sha|rev|revision|etag|fingerprint|resolved|reference|head_sha|base_sha|oid|object_id)$/i;
/** Text right before a value that marks it as a digest: `sha512-`, `sha256:`, go.sum's `h1:`, a git pin `@`. */
const DIGEST_MARK = /(?:(?:sha(?:1|224|256|384|512)|md5|blake2b?)[-:=]|\bh1:|\/go\.mod h1:|#)$/i;
const GIT_PIN = /(?:@|\bcommit[:\s]\s{0,3}|\/(?:commit|tree|blob)\/)$/i;

export function isHashInContext(view: LineView, secret: string): boolean {
  const before = view.line.slice(Math.max(0, view.start - 40), view.start);
  if (DIGEST_MARK.test(before)) return true;
  if (!/^[A-Za-z0-9+/=_-]+$/.test(secret)) return false;
  if (/^[0-9a-f]{40}$/i.test(secret) && GIT_PIN.test(before)) return true;
  // A bare digest under a hash-named key (Cargo.lock `checksum = "…"`, composer `"shasum"`).
  const key = keyBefore(view.line, view.start);
  return HASH_KEY.test(key) && (isHexDigestShaped(secret) || /^[A-Za-z0-9+/]{20,}={0,2}$/.test(secret));
}

export function isDataUriPayload(view: LineView): boolean {
  return followsDataUri(view.line.slice(Math.max(0, view.start - 120), view.start));
}

const PUBLIC_BLOCK = /-----BEGIN (?:(?:RSA |EC |DSA |SSH2 )?PUBLIC KEY|CERTIFICATE(?: REQUEST)?|PGP PUBLIC KEY BLOCK|PGP SIGNATURE)-----/g;

/** True when [start, end) lies inside a PEM block that is public (certificate, public key). */
export function isInsidePublicBlock(text: string, start: number): boolean {
  const from = Math.max(0, start - 12000);
  const before = text.slice(from, start);
  const lastBegin = before.lastIndexOf('-----BEGIN ');
  if (lastBegin < 0) return false;
  if (before.indexOf('-----END ', lastBegin) >= 0) return false;
  PUBLIC_BLOCK.lastIndex = 0;
  const header = before.slice(lastBegin, lastBegin + 64);
  return PUBLIC_BLOCK.test(header);
}

/** An SSH public key line: the value is the key blob after `ssh-rsa `, `ssh-ed25519 `... */
export function followsSshKeyType(view: LineView): boolean {
  return /(?:ssh-(?:rsa|dss|ed25519)|ecdsa-sha2-nistp\d{3}) $/.test(view.line.slice(Math.max(0, view.start - 40), view.start));
}

/** Minified code: a clipped or very long line with almost no whitespace. */
export function isMinifiedLine(view: LineView): boolean {
  if (!view.clipped && view.line.length < 1000) return false;
  const sample = view.line.slice(0, 2000);
  let spaces = 0;
  for (let i = 0; i < sample.length; i++) if (sample.charCodeAt(i) === 32) spaces++;
  return spaces / sample.length < 0.08;
}
