// Public keys and certificates are meant to be shared; a rule that catches a long base64 run
// must not report them. Recognised from the value: SSH public key lines, PEM blocks that are
// not private, and base64 DER whose structure is a SubjectPublicKeyInfo or a certificate.

const SSH_PUBLIC = /^(?:ssh-(?:rsa|dss|ed25519|ed448)|ecdsa-sha2-nistp(?:256|384|521)|sk-(?:ssh-ed25519|ecdsa-sha2-nistp256)@openssh\.com) AAAA/;
const PUBLIC_PEM = /-----BEGIN (?:(?:RSA |EC |DSA |SSH2 )?PUBLIC KEY|CERTIFICATE(?: REQUEST)?|NEW CERTIFICATE REQUEST|X509 CRL|TRUSTED CERTIFICATE|PGP PUBLIC KEY BLOCK|PGP SIGNATURE|DH PARAMETERS|EC PARAMETERS)-----/;
/** Base64 of an OpenSSH public key blob starts with the length-prefixed key type. */
const SSH_BLOB = /^AAAA(?:B3NzaC1yc2E|C3NzaC1lZDI1NTE5|E2VjZHNhLXNoYTItbmlzdHA|B3NzaC1kc3M)/;

/** Length of a DER header at `at`: [header bytes, content length], or undefined. */
function derLength(bytes: Buffer, at: number): [number, number] | undefined {
  const first = bytes[at + 1];
  if (first === undefined) return undefined;
  if (first < 0x80) return [2, first];
  const n = first & 0x7f;
  if (n === 0 || n > 3 || at + 2 + n > bytes.length) return undefined;
  let len = 0;
  for (let i = 0; i < n; i++) len = len * 256 + bytes[at + 2 + i];
  return [2 + n, len];
}

/**
 * SEQUENCE { SEQUENCE { OBJECT IDENTIFIER … } BIT STRING } is a SubjectPublicKeyInfo;
 * SEQUENCE { SEQUENCE { [0] version … } … } is a certificate. A PKCS#8 private key starts
 * SEQUENCE { INTEGER 0 … } instead and is not matched.
 */
function isPublicDer(bytes: Buffer): boolean {
  if (bytes[0] !== 0x30) return false;
  const outer = derLength(bytes, 0);
  if (!outer || bytes[outer[0]] !== 0x30) return false;
  const inner = derLength(bytes, outer[0]);
  if (!inner) return false;
  const next = bytes[outer[0] + inner[0]];
  if (next === 0xa0) return true; // tbsCertificate [0] version
  if (next !== 0x06) return false; // AlgorithmIdentifier's OID
  // The AlgorithmIdentifier is followed by the BIT STRING of the key.
  return bytes[outer[0] + inner[0] + inner[1]] === 0x03;
}

export function isPublicKeyMaterial(secret: string): boolean {
  if (SSH_PUBLIC.test(secret) || PUBLIC_PEM.test(secret) || SSH_BLOB.test(secret)) return true;
  if (secret.length < 60 || !secret.startsWith('MI') && !secret.startsWith('MF') && !secret.startsWith('MC') && !secret.startsWith('MH')) {
    return false;
  }
  // Only the first bytes are needed to read the structure.
  const head = secret.slice(0, 64).replace(/[^A-Za-z0-9+/]/g, '');
  return isPublicDer(Buffer.from(head.slice(0, head.length - (head.length % 4)), 'base64'));
}
