// Credentials that providers publish in their documentation: they match real token formats
// (some even carry valid checksums) but grant nothing. Kept as SHA-256 digests so this source
// holds no secret-looking literal of its own; the obviously fake AWS values stay readable.
import { sha256 } from '../../hash.js';

const READABLE = new Set([
  'AKIAIOSFODNN7EXAMPLE',
  'ASIAIOSFODNN7EXAMPLE',
  'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  'wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY',
  'je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY',
]);

const DIGESTS = new Set([
  // GitHub docs: personal access token (classic)
  '3543c50b0cb9cea8e55eb1f529b79f043cb250d485fde7b66cabbb5183add7da',
  // GitHub docs: OAuth token
  'bc3ae723f57c6b9e3fd80b699fcc420f6074b0b1718039669d22631d508ac0a7',
  // Stripe docs: test secret key and publishable key, current and older
  '2cafc0970149a84f3b9e62eaf169f36f59907a3b3e31f7b82e68c69cd27f7326',
  'b1471f544ceeea31333bde7e1ecbaad6eac0d4a749412ad29bd66ef895b81c6b',
  'f2d6ca16515033e5dce14eba840b979d27b5cbae24bb3e5bf484339667f86397',
  '5895b89c8fb33402a5bfc23aad5aaf863fbb438a51e1a0bb02b0ce618c8fdf9d',
  // Slack docs: bot token
  '2ddc147f3a3b5a1722b8ed6be3c45c49a7156b17fca5d11410137a6d04def6eb',
  // jwt.io: the default HS256 token
  '7f75367e7881255134e1375e723d1dea8ad5f6a4fdb79d938df1f1754a830606',
  // Azure Storage emulator (Azurite / devstoreaccount1): the published account key
  '0011cc25eb4320717494d2703e8cba85743e71b500283c21c8b88147992f9059',
  // Mailgun docs: API key
  '9c846fdf0fa8955c377d0301542ee20ecd4585c5f359aa0a4cf15d44424f573d',
  // Firebase / Google Maps docs: browser API key
  'ac9265e56c79b234607ec72c53753cfea9f88c99eb713790ddf9be5593bb4465',
  // Mapbox docs: public example token
  '43552303e04960afffbd60d00ef4adefb2848f068d7d7a4c58177764c9f83e94',
]);

/** Longest documented value; longer candidates skip the digest. */
const MAX_LENGTH = 200;

export function isDocumentedExample(secret: string): boolean {
  if (READABLE.has(secret)) return true;
  // AWS documents many variants ending in EXAMPLE / EXAMPLEKEY.
  if (/^(?:AKIA|ASIA)[A-Z0-9]{8,12}EXAMPLE$|EXAMPLEKEY$/.test(secret)) return true;
  if (secret.length < 16 || secret.length > MAX_LENGTH) return false;
  return DIGESTS.has(sha256(secret));
}
