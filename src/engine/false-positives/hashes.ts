// Hashes and identifiers: high-entropy by construction, secret by no means. Digests that
// carry their algorithm (SRI `sha512-…`, `sha256:…`, go.sum `h1:…`) are recognised from the
// value alone; bare hex digests only from the words around them (see context.ts).

const PREFIXED_DIGEST = /^(?:sha(?:1|224|256|384|512)|md5|blake2b?|h1)[-:=]/i;
const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const HEX_DIGEST = /^(?:[0-9a-f]{32}|[0-9a-f]{40}|[0-9a-f]{56}|[0-9a-f]{64}|[0-9a-f]{96}|[0-9a-f]{128})$/i;

export function isPrefixedDigest(secret: string): boolean {
  return PREFIXED_DIGEST.test(secret);
}

export function isUuid(secret: string): boolean {
  return UUID.test(secret);
}

/** Hex of a digest's length (MD5, SHA-1/git, SHA-224/256/384/512). */
export function isHexDigestShaped(secret: string): boolean {
  return HEX_DIGEST.test(secret);
}

/** A rule whose own pattern is UUID-shaped (e.g. Heroku API keys) means UUIDs there are secrets. */
export function ruleExpectsUuid(regex: string): boolean {
  return /\{8\}-.{0,40}\{4\}-.{0,80}\{12\}/.test(regex);
}
