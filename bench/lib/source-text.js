// Realistic-looking source text in several languages, from a seeded PRNG, for scanner
// benchmarks. The point is the statistics a scanner sees: identifiers and comments that often
// contain words like "token", "key" or "secret" (so the keyword prefilter fires as it does on
// real code), next to high-entropy values that are NOT secrets (hex digests, UUIDs, base64
// blobs, integrity hashes, minified code). Values assigned to secret-sounding names are always
// placeholders or environment lookups, so every real-looking secret in a corpus is a planted one.
import { ALPHABETS } from './prng.js';

const NOUNS = (
  'user account order invoice payment session cache config client server request response handler ' +
  'service router event queue message job worker task report metric log file stream buffer parser ' +
  'schema record batch cursor index page item product cart price tenant project team member role ' +
  'permission policy audit notification email template asset image upload download region cluster ' +
  'node pod deployment build release artifact pipeline stage step result status error retry timeout ' +
  'limit offset filter query store model view controller component widget layout theme locale'
).split(' ');
/** Words a keyword prefilter for secrets reacts to; they appear in names and comments at a realistic rate. */
const SENSITIVE = 'token key secret auth password credential apikey access private signing'.split(' ');
const VERBS = (
  'get set load save fetch create update delete find list build parse render validate handle process ' +
  'sync send receive open close start stop reset refresh resolve compute format normalize merge split'
).split(' ');
const ADJECTIVES = 'default current pending active cached remote local internal public raw new old next last max min'.split(' ');
const PROSE = (
  'the a this that when if then we it is are be should must can will not only also each every all ' +
  'returns value values data field fields called before after because so which with without from into ' +
  'request user server client cache error handler retry timeout config service is used by for of and to in'
).split(' ');
const UNICODE_WORDS = ['café', 'naïve', 'Größe', '日本語', 'données', 'résumé', 'Ελληνικά', 'emoji ✓'];
const HOSTS = ['api.example.com', 'internal.example.net', 'cdn.example.org', 'registry.npmjs.org', 'github.com', 'localhost:8080'];
const PACKAGES_JS = ['react', 'lodash', 'express', 'zod', 'axios', 'date-fns', 'uuid', 'pino', 'ioredis', 'pg', 'node:fs', 'node:path', 'node:crypto'];
const PACKAGES_PY = ['os', 'sys', 'json', 'logging', 're', 'typing', 'datetime', 'pathlib', 'requests', 'sqlalchemy', 'pydantic', 'boto3', 'collections', 'itertools'];
const PACKAGES_GO = ['context', 'fmt', 'net/http', 'encoding/json', 'errors', 'time', 'strings', 'sync', 'os', 'github.com/google/uuid', 'go.uber.org/zap'];
const PACKAGES_JAVA = ['java.util.List', 'java.util.Map', 'java.util.Optional', 'java.time.Instant', 'java.io.IOException', 'org.slf4j.Logger', 'org.springframework.stereotype.Service', 'com.fasterxml.jackson.annotation.JsonProperty'];

const SENSITIVE_NAME = new RegExp(SENSITIVE.join('|'), 'i');
const isSensitiveName = (name) => SENSITIVE_NAME.test(name);
const cap = (w) => w[0].toUpperCase() + w.slice(1);

/** Name, prose and value makers bound to one PRNG. */
export function vocabulary(rng) {
  const noun = () => (rng.chance(0.06) ? rng.pick(SENSITIVE) : rng.pick(NOUNS));
  const parts = (n) => Array.from({ length: n }, (_, i) => (i === 0 && rng.chance(0.3) ? rng.pick(ADJECTIVES) : noun()));
  const v = {
    /** Names that may contain sensitive words. */
    camel: (n = rng.int(1, 3)) => parts(n).map((w, i) => (i ? cap(w) : w)).join(''),
    pascal: (n = rng.int(1, 3)) => parts(n).map(cap).join(''),
    snake: (n = rng.int(1, 3)) => parts(n).join('_'),
    upper: (n = rng.int(1, 3)) => parts(n).join('_').toUpperCase(),
    fn: () => rng.pick(VERBS) + v.pascal(rng.int(1, 2)),
    /** Names for high-entropy non-secret values: never a sensitive word. */
    digestName: () => rng.pick(['sha256', 'checksum', 'digest', 'contentHash', 'etag', 'commitSha', 'buildId', 'integrity', 'revision']),
    sentence: (min = 4, max = 14) => {
      const words = Array.from({ length: rng.int(min, max) }, () => (rng.chance(0.15) ? noun() : rng.pick(PROSE)));
      if (rng.chance(0.03)) words.push(rng.pick(UNICODE_WORDS));
      const s = words.join(' ');
      return cap(s) + '.';
    },
    url: () => `https://${rng.pick(HOSTS)}/${v.snake(rng.int(1, 3)).replace(/_/g, '/')}${rng.chance(0.3) ? `?${rng.pick(NOUNS)}=${rng.int(1, 999)}` : ''}`,
    hex: (n) => rng.chars(ALPHABETS.hex, n),
    uuid: () => `${v.hex(8)}-${v.hex(4)}-4${v.hex(3)}-${rng.pick(['8', '9', 'a', 'b'])}${v.hex(3)}-${v.hex(12)}`,
    base64: (n) => {
      const body = rng.chars(ALPHABETS.base64, n - (n % 4));
      return rng.chance(0.5) ? body.slice(0, -2) + '==' : body;
    },
    isoDate: () => `20${rng.int(18, 25)}-${String(rng.int(1, 12)).padStart(2, '0')}-${String(rng.int(1, 28)).padStart(2, '0')}T${String(rng.int(0, 23)).padStart(2, '0')}:${String(rng.int(0, 59)).padStart(2, '0')}:00Z`,
    /** A non-secret string literal value. */
    literal: () => {
      switch (rng.int(0, 6)) {
        case 0: return v.url();
        case 1: return v.sentence(2, 6).slice(0, -1);
        case 2: return v.snake(2);
        case 3: return `${rng.pick(NOUNS)}-${rng.int(1, 99)}`;
        case 4: return v.isoDate();
        case 5: return `/${rng.pick(NOUNS)}/${rng.pick(NOUNS)}`;
        default: return rng.pick(NOUNS);
      }
    },
    /** What real code assigns to secret-sounding names: lookups and placeholders. */
    placeholder: (envName) =>
      rng.pick([`\${${envName}}`, '', `<your-${rng.pick(SENSITIVE)}>`, 'changeme', 'REPLACE_ME', `{{ .Values.${v.camel(1)} }}`]),
  };
  return v;
}

/** Appends blocks from `block()` until `lines` hold about `targetBytes`. */
function fill(targetBytes, header, block) {
  const lines = [...header];
  let bytes = lines.reduce((n, l) => n + l.length + 1, 0);
  while (bytes < targetBytes) {
    for (const line of block()) {
      lines.push(line);
      bytes += line.length + 1;
    }
  }
  return lines;
}

function comment(rng, v, prefix) {
  const out = [];
  for (let i = rng.int(1, 3); i > 0; i--) out.push(`${prefix}${v.sentence()}`);
  if (rng.chance(0.1)) out.push(`${prefix}TODO(${rng.pick(['ana', 'li', 'sam', 'omar'])}): ${v.sentence(3, 8)}`);
  return out;
}

function jsLike(rng, targetBytes, typed) {
  const v = vocabulary(rng);
  const t = (type) => (typed ? `: ${type}` : '');
  const header = [`// ${v.sentence()}`];
  for (let i = rng.int(2, 8); i > 0; i--) {
    header.push(
      rng.chance(0.6)
        ? `import { ${v.camel()}, ${v.camel()} } from '${rng.chance(0.5) ? rng.pick(PACKAGES_JS) : `../${v.camel(1)}/${v.camel(2)}.js`}';`
        : `import ${v.camel(1)} from '${rng.pick(PACKAGES_JS)}';`,
    );
  }
  header.push('');
  return fill(targetBytes, header, () => {
    const b = [];
    switch (rng.weighted([6, 2, 2, 1, 1, 1, 1])) {
      case 0: {
        const name = v.fn();
        b.push(...comment(rng, v, '// '));
        b.push(`export ${rng.chance(0.5) ? 'async ' : ''}function ${name}(${v.camel(1)}${t('string')}, options${t(`${v.pascal(2)}Options`)} = {})${t(`Promise<${v.pascal(1)}>`)} {`);
        for (let i = rng.int(2, 12); i > 0; i--) {
          const r = rng.int(0, 5);
          if (r === 0) b.push(`  const ${v.camel()} = await ${v.camel(1)}.${v.fn()}(\`${v.url()}/\${${v.camel(1)}}\`, { ...options });`);
          else if (r === 1) b.push(`  if (!${v.camel()}) throw new Error('${v.sentence(3, 7).slice(0, -1)}');`);
          else if (r === 2) b.push(`  for (const ${v.camel(1)} of ${v.camel()}) ${v.camel()}.push(${v.fn()}(${v.camel(1)}));`);
          else if (r === 3) b.push(`  logger.debug({ ${v.camel(1)}, ${v.camel(1)} }, '${v.sentence(2, 6).slice(0, -1)}');`);
          else if (r === 4) b.push(`  const ${v.camel()}${t(v.pascal(1))} = ${v.camel()}?.${v.camel(1)} ?? ${rng.int(0, 1000)};`);
          else b.push(`  ${v.camel()}.set('${v.snake(2)}', ${v.camel()});`);
        }
        b.push(`  return ${v.camel()};`, '}', '');
        break;
      }
      case 1: {
        const name = v.upper();
        const sensitive = isSensitiveName(name);
        b.push(sensitive ? `const ${name} = process.env.${name} ?? '${v.placeholder(name)}';` : `const ${name} = '${v.literal()}';`);
        break;
      }
      case 2:
        b.push(`const ${v.digestName()} = '${rng.chance(0.5) ? v.hex(rng.pick([40, 64])) : v.uuid()}';`);
        break;
      case 3:
        if (typed) {
          b.push(`export interface ${v.pascal()} {`);
          for (let i = rng.int(2, 8); i > 0; i--) b.push(`  ${v.camel()}${rng.chance(0.3) ? '?' : ''}: ${rng.pick(['string', 'number', 'boolean', 'Date', `${v.pascal(1)}[]`])};`);
          b.push('}', '');
        } else b.push(`module.exports.${v.camel()} = ${v.fn()};`);
        break;
      case 4:
        // A long line, like an inlined lookup table.
        b.push(`export const ${v.upper(2)} = [${Array.from({ length: rng.int(40, 200) }, () => rng.int(0, 65535)).join(', ')}];`);
        break;
      case 5:
        b.push(`const ${v.camel(1)}Icon = 'data:image/png;base64,${v.base64(rng.int(200, 2000))}';`);
        break;
      default:
        b.push(`export class ${v.pascal()} extends ${v.pascal(1)} {`);
        b.push(`  constructor(${v.camel(1)}${t('Options')}) {`, `    super(${v.camel(1)});`, `    this.${v.camel()} = new Map();`, '  }', '');
        b.push(`  ${v.fn()}(${v.camel(1)}) {`, `    return this.${v.camel()}.get(${v.camel(1)}) ?? null;`, '  }', '}', '');
    }
    return b;
  });
}

/** One or a few very long lines of minified code. */
function minifiedJs(rng, targetBytes) {
  const v = vocabulary(rng);
  const short = () => rng.chars('abcdefghijklmnopqrstuvwxyz', rng.int(1, 2));
  const statement = () => {
    switch (rng.int(0, 5)) {
      case 0: return `var ${short()}=function(${short()},${short()}){return ${short()}.${v.camel(1)}(${short()})}`;
      case 1: return `${short()}.prototype.${v.fn()}=function(){this.${short()}=${rng.int(0, 999)}}`;
      case 2: return `if(!${short()})throw new Error("${v.sentence(2, 5).slice(0, -1)}")`;
      case 3: return `${short()}[${rng.int(0, 99)}]="${v.literal()}"`;
      case 4: return `${short()}=${short()}&&${short()}.${v.camel(1)}||{}`;
      default: return `!function(${short()}){"use strict";${short()}.exports={${v.camel(1)}:${rng.int(0, 9)}}}(${short()})`;
    }
  };
  const lines = [`/*! ${v.camel(1)} v${rng.int(1, 9)}.${rng.int(0, 20)}.${rng.int(0, 30)} | MIT */`];
  let bytes = lines[0].length;
  while (bytes < targetBytes) {
    const parts = [];
    let len = 0;
    const lineBytes = Math.min(targetBytes - bytes + 1, rng.int(8_000, 60_000));
    while (len < lineBytes) {
      const s = statement();
      parts.push(s);
      len += s.length + 1;
    }
    const line = parts.join(';');
    lines.push(line);
    bytes += line.length + 1;
  }
  lines.push(`//# sourceMappingURL=${v.camel(1)}.min.js.map`);
  return lines;
}

function python(rng, targetBytes) {
  const v = vocabulary(rng);
  const header = ['"""' + v.sentence(), '', v.sentence(8, 20), '"""'];
  for (let i = rng.int(2, 7); i > 0; i--) header.push(rng.chance(0.5) ? `import ${rng.pick(PACKAGES_PY)}` : `from ${rng.pick(PACKAGES_PY)} import ${v.pascal(1)}, ${v.snake(1)}`);
  header.push('', 'logger = logging.getLogger(__name__)', '');
  return fill(targetBytes, header, () => {
    const b = [];
    switch (rng.weighted([5, 2, 2, 1])) {
      case 0:
        b.push(...comment(rng, v, '# '));
        b.push(`def ${v.snake(2)}(${v.snake(1)}: str, ${v.snake(1)}: int = ${rng.int(0, 100)}) -> dict:`);
        b.push(`    """${v.sentence()}"""`);
        for (let i = rng.int(2, 10); i > 0; i--) {
          const r = rng.int(0, 4);
          if (r === 0) b.push(`    ${v.snake()} = ${v.snake(1)}.get("${v.snake(2)}", ${rng.pick(['None', '[]', '{}', String(rng.int(0, 9))])})`);
          else if (r === 1) b.push(`    if not ${v.snake()}:`, `        raise ValueError(f"${v.sentence(2, 5).slice(0, -1)} {${v.snake(1)}!r}")`);
          else if (r === 2) b.push(`    logger.info("${v.sentence(2, 6).slice(0, -1)}: %s", ${v.snake(1)})`);
          else if (r === 3) b.push(`    for ${v.snake(1)} in ${v.snake()}:`, `        ${v.snake()}.append(${v.snake(1)})`);
          else b.push(`    ${v.snake()} = requests.get("${v.url()}", timeout=${rng.int(1, 30)})`);
        }
        b.push(`    return {"${v.snake(1)}": ${v.snake(1)}, "${v.snake(1)}": ${rng.int(0, 9)}}`, '', '');
        break;
      case 1: {
        const name = v.upper();
        const sensitive = isSensitiveName(name);
        b.push(sensitive ? `${name} = os.environ.get("${name}", "${v.placeholder(name)}")` : `${name} = "${v.literal()}"`);
        break;
      }
      case 2:
        b.push(`${v.digestName().toUpperCase()} = "${rng.chance(0.5) ? v.hex(64) : v.uuid()}"`);
        break;
      default:
        b.push(`class ${v.pascal()}(${v.pascal(1)}):`, `    """${v.sentence()}"""`, '');
        b.push(`    def __init__(self, ${v.snake(1)}):`, `        self.${v.snake()} = ${v.snake(1)}`, '');
    }
    return b;
  });
}

function go(rng, targetBytes) {
  const v = vocabulary(rng);
  const header = [`// Package ${v.camel(1).toLowerCase()} ${v.sentence()}`, `package ${rng.pick(NOUNS)}`, '', 'import ('];
  for (let i = rng.int(2, 6); i > 0; i--) header.push(`\t"${rng.pick(PACKAGES_GO)}"`);
  header.push(')', '');
  return fill(targetBytes, header, () => {
    const b = [];
    if (rng.chance(0.3)) {
      b.push(`// ${v.pascal()} ${v.sentence()}`, `type ${v.pascal()} struct {`);
      for (let i = rng.int(2, 8); i > 0; i--) {
        const field = v.pascal();
        b.push(`\t${field} ${rng.pick(['string', 'int64', 'bool', 'time.Time', '[]string', `*${v.pascal(1)}`])} \`json:"${field[0].toLowerCase() + field.slice(1)},omitempty"\``);
      }
      b.push('}', '');
      return b;
    }
    b.push(...comment(rng, v, '// '));
    b.push(`func (s *${v.pascal(1)}) ${cap(v.fn())}(ctx context.Context, ${v.camel(1)} string) (*${v.pascal(1)}, error) {`);
    for (let i = rng.int(2, 10); i > 0; i--) {
      const r = rng.int(0, 3);
      if (r === 0) b.push(`\t${v.camel(1)}, err := s.${v.camel(1)}.${cap(v.fn())}(ctx, ${v.camel(1)})`, '\tif err != nil {', `\t\treturn nil, fmt.Errorf("${v.sentence(2, 5).slice(0, -1).toLowerCase()}: %w", err)`, '\t}');
      else if (r === 1) b.push(`\ts.logger.Info("${v.sentence(2, 5).slice(0, -1)}", zap.String("${v.camel(1)}", ${v.camel(1)}))`);
      else if (r === 2) b.push(rng.chance(0.2) ? `\t${v.digestName()} := "${v.hex(40)}"` : `\t${v.camel(1)} := "${v.literal()}"`);
      else b.push(`\tdefer s.${v.camel(1)}.Unlock()`);
    }
    b.push(`\treturn &${v.pascal(1)}{}, nil`, '}', '');
    return b;
  });
}

function java(rng, targetBytes) {
  const v = vocabulary(rng);
  const cls = v.pascal();
  const header = [`package com.example.${rng.pick(NOUNS)}.${rng.pick(NOUNS)};`, ''];
  for (let i = rng.int(3, 8); i > 0; i--) header.push(`import ${rng.pick(PACKAGES_JAVA)};`);
  header.push('', '/**', ` * ${v.sentence()}`, ' */', '@Service', `public class ${cls} {`, `    private static final Logger LOG = LoggerFactory.getLogger(${cls}.class);`, '');
  const lines = fill(targetBytes, header, () => {
    const b = [];
    if (rng.chance(0.25)) {
      const name = v.upper();
      const sensitive = isSensitiveName(name);
      b.push(`    private static final String ${name} = ${sensitive ? `System.getenv("${name}")` : `"${v.literal()}"`};`);
      return b;
    }
    b.push('    /**', `     * ${v.sentence()}`, '     */', `    public ${v.pascal(1)} ${v.fn()}(String ${v.camel(1)}, int ${v.camel(1)}) throws IOException {`);
    for (let i = rng.int(2, 8); i > 0; i--) {
      const r = rng.int(0, 3);
      if (r === 0) b.push(`        ${v.pascal(1)} ${v.camel()} = this.${v.camel()}.${v.fn()}(${v.camel(1)});`);
      else if (r === 1) b.push(`        LOG.debug("${v.sentence(2, 6).slice(0, -1)} {}", ${v.camel(1)});`);
      else if (r === 2) b.push(`        if (${v.camel()} == null) {`, `            throw new IllegalStateException("${v.sentence(2, 5).slice(0, -1)}");`, '        }');
      else b.push(`        Map<String, Object> ${v.camel()} = Map.of("${v.camel(1)}", ${v.camel(1)}, "${v.camel(1)}", ${rng.int(0, 99)});`);
    }
    b.push(`        return ${v.camel()};`, '    }', '');
    return b;
  });
  lines.push('}');
  return lines;
}

function yaml(rng, targetBytes) {
  const v = vocabulary(rng);
  return fill(targetBytes, [`# ${v.sentence()}`], () => {
    const name = v.snake(2).replace(/_/g, '-');
    if (rng.chance(0.5)) {
      const b = ['---', 'apiVersion: apps/v1', 'kind: Deployment', 'metadata:', `  name: ${name}`, '  labels:', `    app: ${name}`, 'spec:', `  replicas: ${rng.int(1, 6)}`, '  template:', '    spec:', '      containers:'];
      b.push(`        - name: ${name}`, `          image: registry.example.com/${name}@sha256:${v.hex(64)}`, '          env:');
      for (let i = rng.int(1, 6); i > 0; i--) {
        const env = v.upper();
        if (isSensitiveName(env)) {
          b.push(`            - name: ${env}`, '              valueFrom:', '                secretKeyRef:', `                  name: ${name}-secrets`, `                  key: ${v.snake(1)}`);
        } else b.push(`            - name: ${env}`, `              value: "${v.literal()}"`);
      }
      return b;
    }
    const b = [`${name}:`, `  runs-on: ubuntu-latest`, '  steps:', `    - uses: actions/checkout@${v.hex(40)}`];
    for (let i = rng.int(1, 5); i > 0; i--) b.push(`    - name: ${v.sentence(2, 5).slice(0, -1)}`, `      run: npm run ${v.camel(1)} -- --${v.snake(1).replace(/_/g, '-')}`);
    b.push('      env:', `        ${v.upper(2)}: \${{ secrets.${v.upper(2)} }}`);
    return b;
  });
}

function json(rng, targetBytes) {
  const v = vocabulary(rng);
  const lockfile = rng.chance(0.5);
  const lines = fill(targetBytes, lockfile ? ['{', '  "name": "app",', '  "lockfileVersion": 3,', '  "packages": {'] : ['['], () => {
    if (lockfile) {
      const pkg = v.snake(2).replace(/_/g, '-');
      return [`    "node_modules/${pkg}": {`, `      "version": "${rng.int(0, 9)}.${rng.int(0, 30)}.${rng.int(0, 40)}",`, `      "resolved": "https://registry.npmjs.org/${pkg}/-/${pkg}-1.0.0.tgz",`, `      "integrity": "sha512-${v.base64(88)}",`, `      "license": "MIT"`, '    },'];
    }
    return ['  {', `    "id": "${v.uuid()}",`, `    "${v.camel(1)}": "${v.literal()}",`, `    "${v.camel(2)}": ${rng.int(0, 100000)},`, `    "createdAt": "${v.isoDate()}",`, `    "${v.digestName()}": "${v.hex(64)}"`, '  },'];
  });
  lines.push(lockfile ? '    "": {}\n  }\n}' : '  {}\n]');
  return lines;
}

function markdown(rng, targetBytes) {
  const v = vocabulary(rng);
  return fill(targetBytes, [`# ${v.pascal()}`, ''], () => {
    const b = [`## ${v.sentence(2, 5).slice(0, -1)}`, ''];
    for (let i = rng.int(1, 4); i > 0; i--) b.push(Array.from({ length: rng.int(2, 6) }, () => v.sentence()).join(' '), '');
    if (rng.chance(0.4)) b.push('```sh', `export ${v.upper(2)}="${v.literal()}"`, `curl -H "Authorization: Bearer $${v.upper(2)}" ${v.url()}`, '```', '');
    if (rng.chance(0.3)) {
      b.push('| name | description |', '| --- | --- |');
      for (let i = rng.int(2, 6); i > 0; i--) b.push(`| \`${v.camel()}\` | ${v.sentence(3, 8)} |`);
      b.push('');
    }
    return b;
  });
}

/** .env / .properties / .ini style configuration. */
function envConfig(rng, targetBytes) {
  const v = vocabulary(rng);
  return fill(targetBytes, [`# ${v.sentence()}`], () => {
    const name = v.upper();
    if (isSensitiveName(name)) return [`${name}=${v.placeholder(name)}`];
    return rng.chance(0.1) ? ['', `# ${v.sentence()}`] : [`${name}=${rng.chance(0.3) ? rng.int(0, 65535) : v.literal()}`];
  });
}

/**
 * Languages, their relative share of the corpus, file extensions, a generator
 * `(rng, targetBytes) => lines` and how a secret assignment is written in them.
 */
export const LANGUAGES = {
  js: { weight: 18, exts: ['js', 'mjs'], generate: (rng, n) => jsLike(rng, n, false), assign: (name, value) => `const ${name} = '${value}';` },
  ts: { weight: 20, exts: ['ts', 'tsx'], generate: (rng, n) => jsLike(rng, n, true), assign: (name, value) => `export const ${name}: string = '${value}';` },
  minjs: { weight: 3, exts: ['min.js'], generate: minifiedJs },
  py: { weight: 15, exts: ['py'], generate: python, assign: (name, value) => `${name} = "${value}"` },
  go: { weight: 10, exts: ['go'], generate: go, assign: (name, value) => `const ${name} = "${value}"` },
  java: { weight: 10, exts: ['java'], generate: java, assign: (name, value) => `    private static final String ${name} = "${value}";` },
  yaml: { weight: 8, exts: ['yaml', 'yml'], generate: yaml, assign: (name, value) => `${name.toLowerCase()}: ${value}` },
  json: { weight: 8, exts: ['json'], generate: json, assign: (name, value) => `  "${name.toLowerCase()}": "${value}",` },
  md: { weight: 6, exts: ['md'], generate: markdown, assign: (name, value) => `export ${name}=${value}` },
  env: { weight: 2, exts: ['env', 'properties', 'ini'], generate: envConfig, assign: (name, value) => `${name}=${value}` },
};
