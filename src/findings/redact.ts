// Secrets never leave the process in clear unless the user asked for it (--show-secrets).

/** Known prefixes worth keeping: they say what the secret is without revealing it. */
function knownPrefix(secret: string, keywords: string[]): number {
  let best = 0;
  const lower = secret.toLowerCase();
  for (const k of keywords) if (k.length > best && k.length < secret.length / 2 && lower.startsWith(k)) best = k.length;
  return best;
}

/**
 * `ghp_Ab12…(40 chars)`: the rule's known prefix, then at most 4 more characters (fewer for
 * short secrets, so a short password is never half shown), then the length.
 */
export function redact(secret: string, keywords: string[] = []): string {
  const prefix = knownPrefix(secret, keywords);
  const rest = secret.length - prefix;
  const shown = Math.min(4, Math.floor(rest / 4));
  const visible = secret.slice(0, prefix + shown).replace(/\s/g, ' ');
  return `${visible}…(${[...secret].length} chars)`;
}
