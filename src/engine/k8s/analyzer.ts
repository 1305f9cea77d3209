// The Kubernetes Secret analyzer: `data:` values of `kind: Secret` manifests are base64, so
// the rules cannot read them as written. Each value is decoded and run through the rules with
// its key as context (`password: <decoded>`); when no rule matches, a decoded value under a
// secret-looking key with enough entropy is reported as `kubernetes-secret-value`. Every
// match points at the encoded value and records the base64 step in its encoding chain.
import type { AnalyzerResult, ContentAnalyzer } from '../analyzers.js';
import type { Chunk, Match, Origin } from '../../types.js';
import { locator } from '../../findings/locate.js';
import { shannonEntropy } from '../entropy.js';
import { isPlaceholder } from '../placeholders.js';
import { mentionsSecretKind, secretDataEntries, type SecretDataEntry } from './manifest.js';
import { K8S_SECRET_VALUE } from './rules.js';

/** Keys whose values are credentials; certificates and public material are not. */
const SECRET_KEY = /pass|pwd|secret|token|key|credential|auth|api|private|cookie|session|salt|dsn|conn/i;
const PUBLIC_KEY = /(?:crt|cert|certificate|ca|pub|public|known_hosts|username|user|host|port|url|name|id|region|endpoint)$/i;
const MIN_ENTROPY = 3.0;
const MIN_LENGTH = 8;
const STRICT_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function decode(encoded: string): string | undefined {
  if (encoded.length < 4 || !STRICT_BASE64.test(encoded)) return undefined;
  const bytes = Buffer.from(encoded, 'base64');
  const text = bytes.toString('utf8');
  // Binary values (keystores, DER keys) are judged on their base64 form.
  return text.includes('\uFFFD') || /[\x00-\x08\x0e-\x1f]/.test(text) ? undefined : text;
}

function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key) && !PUBLIC_KEY.test(key);
}

function looksSecret(value: string): boolean {
  const trimmed = value.trim();
  return trimmed.length >= MIN_LENGTH && shannonEntropy(trimmed) >= MIN_ENTROPY && !isPlaceholder(trimmed);
}

function judgeEntry(chunk: Chunk, entry: SecretDataEntry, detect: (chunk: Chunk) => Match[], lineAt: (offset: number) => number): Match[] {
  const origin: Partial<Origin> = { ...(entry.name ? { resource: `Secret/${entry.name}` } : {}), attribute: `data.${entry.key}` };
  const decoded = decode(entry.encoded);
  const at = { start: entry.start, end: entry.end, origin };
  if (decoded === undefined) {
    // Not text: a binary key or keystore is still a secret under a secret-looking key.
    if (isSecretKey(entry.key) && entry.encoded.length >= 16 && looksSecret(entry.encoded)) {
      return [{ ruleId: K8S_SECRET_VALUE, secret: entry.encoded, ...at }];
    }
    return [];
  }
  const line = lineAt(entry.start);
  const text = `${entry.key}: ${decoded}`;
  const sub: Chunk = {
    text,
    origin: { ...chunk.origin, ...origin },
    lineMap: new Array<number>(text.split('\n').length).fill(line),
  };
  const found = detect(sub);
  if (found.length > 0) {
    return found.map((m) => ({ ...m, ...at, origin: { ...m.origin, ...origin }, encoding: ['base64', ...(m.encoding ?? [])] }));
  }
  if (isSecretKey(entry.key) && looksSecret(decoded)) {
    return [{ ruleId: K8S_SECRET_VALUE, secret: decoded.trim(), ...at, encoding: ['base64'] }];
  }
  return [];
}

export const k8sSecretAnalyzer: ContentAnalyzer = {
  name: 'kubernetes-secret',
  applies(_origin: Origin, text: string): boolean {
    return mentionsSecretKind(text);
  },
  analyze(chunk: Chunk, detect: (chunk: Chunk) => Match[]): AnalyzerResult {
    const entries = secretDataEntries(chunk.text);
    // The rest of the manifest (stringData, annotations, other documents) as plain text;
    // what it finds inside an encoded value is replaced by the decoded judgement below.
    const inValue = (m: Match): boolean => entries.some((e) => m.start < e.end && m.end > e.start);
    const matches = detect(chunk).filter((m) => !inValue(m));
    const locate = locator(chunk);
    const lineAt = (offset: number): number => locate({ ruleId: '', secret: '', start: offset, end: offset + 1 }).line;
    for (const entry of entries) {
      matches.push(...judgeEntry(chunk, entry, detect, lineAt));
    }
    matches.sort((a, b) => a.start - b.start);
    return { matches, errors: [], warnings: [] };
  },
};
