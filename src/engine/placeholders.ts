// Values that look like secrets but are not: documented examples, template references,
// masked values and filler. Applied to every rule's secret before it becomes a finding.

/** Published example credentials from provider documentation. */
const DOCUMENTED_EXAMPLES = new Set([
  'AKIAIOSFODNN7EXAMPLE',
  'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  'wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY',
  'je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY',
  'ASIAIOSFODNN7EXAMPLE',
]);

/** Words that, making up most of a value, mean it is filler. */
const FILLER_WORDS =
  /(?:example|sample|dummy|placeholder|changeme|change_me|redacted|your[_-]?(?:api[_-]?)?(?:key|token|secret|password)|insert[_-]?|replace[_-]?me|todo|fixme|notreal|not[_-]?a[_-]?real|fake|xxxx|test(?:ing)?|secret|password|passw0rd|p@ssw0rd|token|apikey|api_key|foobar|lorem|ipsum)/gi;

const TEMPLATE = [
  /\$\{[^}]*\}/, // ${VAR}
  /\{\{[^}]*\}\}/, // {{ .Values.x }}
  /\$\([^)]*\)/, // $(command)
  /^\$[A-Za-z_][A-Za-z0-9_]*$/, // $VAR
  /^%[sdv]$|%\([a-z_]+\)s/, // printf-style
  /^<[^<>]{1,60}>$/, // <your-key>
  /^\[[^[\]]{1,60}\]$/, // [REDACTED]
  /\*\*\*/, // CI masking
  /^(?:process\.env|os\.environ|os\.getenv|env|secrets|vars|var|local|data)\.[A-Za-z_]/,
];

function isRepeatedOrSequential(value: string): boolean {
  const body = value.replace(/[^A-Za-z0-9]/g, '');
  if (body.length < 4) return body.length === 0;
  const distinct = new Set(body.toLowerCase()).size;
  if (distinct <= 2) return true;
  // "0123456789", "abcdefgh": ascending runs covering most of the value.
  let run = 1;
  let longest = 1;
  for (let i = 1; i < body.length; i++) {
    run = body.charCodeAt(i) - body.charCodeAt(i - 1) === 1 ? run + 1 : 1;
    longest = Math.max(longest, run);
  }
  return longest >= Math.max(6, body.length * 0.6);
}

/** True when `secret` (the captured value of a rule) is a placeholder or a documented example. */
export function isPlaceholder(secret: string): boolean {
  if (DOCUMENTED_EXAMPLES.has(secret)) return true;
  if (/EXAMPLE/.test(secret) && /^(?:AKIA|ASIA)|EXAMPLEKEY$/.test(secret)) return true;
  if (TEMPLATE.some((re) => re.test(secret))) return true;
  if (isRepeatedOrSequential(secret)) return true;
  // A value that is mostly filler words (e.g. "your_api_key_here", "sk_test_xxxxxxxxxxxx").
  const filler = secret.match(FILLER_WORDS);
  if (filler) {
    const fillerLength = filler.reduce((n, w) => n + w.length, 0);
    const alnum = secret.replace(/[^A-Za-z0-9]/g, '').length;
    if (fillerLength >= alnum * 0.5) return true;
  }
  if (/x{6,}|X{6,}|\*{4,}|#{6,}|\.{6,}|0{10,}/.test(secret)) return true;
  return false;
}
