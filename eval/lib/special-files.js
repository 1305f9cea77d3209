// Whole files whose format is the point: Kubernetes Secret manifests, Terraform state, GCP
// service-account keys, PEM key files and CI logs with encoded secrets (labelled secrets);
// lock files, go.sum, minified bundles, certificates, authorized_keys and stylesheets with
// data URIs (labelled decoys). Each builder returns { name, text, labels: [{ line, endLine?,
// type, kind, secret? }] } with 1-based lines.
import { ALPHABETS } from '../../bench/lib/prng.js';
import { githubToken, pemPrivateKey } from '../../bench/lib/fake-secrets.js';
import { certificateBase64, spkiPublicKey, sshPublicKey, uuid } from './decoys.js';
import { password, SECRET_KINDS } from './secrets.js';

const { base62, base64, hex } = ALPHABETS;
const lower = 'abcdefghijklmnopqrstuvwxyz';

function lineOf(text, needle) {
  const at = text.indexOf(needle);
  if (at < 0) throw new Error(`generator bug: ${needle.slice(0, 30)} not in file`);
  return text.slice(0, at).split('\n').length;
}

const b64 = (s) => Buffer.from(s, 'utf8').toString('base64');

function randomToken(rng, n) {
  for (;;) {
    const s = rng.chars(base62, n);
    if (/[0-9]/.test(s) && /[a-z]/.test(s) && /[A-Z]/.test(s) && !/(.)\1\1/.test(s)) return s;
  }
}

/** A multi-document manifest: a ConfigMap, then a Secret whose data holds secrets and decoys. */
export function k8sYaml(rng, n) {
  const entries = [
    { key: 'password', value: password(rng), secret: true },
    { key: 'api-token', value: randomToken(rng, 32), secret: true },
    { key: 'DATABASE_URL', value: null, secret: true },
    { key: 'username', value: rng.pick(['admin', 'orders', 'svc-app']), secret: false },
    { key: 'tls.crt', value: `-----BEGIN CERTIFICATE-----\n${certificateBase64(rng).match(/.{1,64}/g).join('\n')}\n-----END CERTIFICATE-----\n`, secret: false, decoy: 'k8s-certificate' },
  ];
  const url = SECRET_KINDS['url-credentials'](rng);
  entries[2].value = url.value;
  entries[2].label = url.secret;
  const picked = entries.filter((e, i) => i !== (n % 3) || e.decoy);
  const name = `app-${rng.chars(lower, 5)}`;
  const json = n % 4 === 3;
  let text;
  if (json) {
    const data = Object.fromEntries(picked.map((e) => [e.key, b64(e.value)]));
    text = JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [{ apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace: 'prod' }, type: 'Opaque', data }] }, null, 2) + '\n';
  } else {
    text = [
      'apiVersion: v1',
      'kind: ConfigMap',
      'metadata:',
      `  name: ${name}-config`,
      'data:',
      '  LOG_LEVEL: info',
      '---',
      'apiVersion: v1',
      'kind: Secret',
      'metadata:',
      `  name: ${name}`,
      '  namespace: prod',
      'type: Opaque',
      'data:',
      ...picked.map((e) => `  ${e.key}: ${b64(e.value)}`),
      '',
    ].join('\n');
  }
  const labels = picked
    .filter((e) => e.secret || e.decoy)
    .map((e) => ({
      line: lineOf(text, b64(e.value)),
      type: e.secret ? 'secret' : 'decoy',
      kind: e.secret ? 'k8s-secret-data' : e.decoy,
      secret: e.label ?? e.value,
    }));
  return { name: `k8s/${name}${json ? '.json' : '.yaml'}`, text, labels };
}

/** Terraform state with secret-bearing attributes, and ids/arns that are not secrets. */
export function tfstate(rng, n) {
  const dbPassword = password(rng);
  const generated = randomToken(rng, 24);
  const iamSecret = randomToken(rng, 40);
  const state = {
    version: 4,
    terraform_version: '1.9.5',
    serial: 10 + n,
    lineage: uuid(rng),
    outputs: { endpoint: { value: `db-${n}.internal:5432`, type: 'string' } },
    resources: [
      {
        mode: 'managed', type: 'aws_db_instance', name: 'main', provider: 'provider["registry.terraform.io/hashicorp/aws"]',
        instances: [{ schema_version: 2, attributes: { id: `db-${rng.chars(lower + '0123456789', 20)}`, username: 'orders', password: dbPassword, engine: 'postgres', arn: `arn:aws:rds:eu-west-1:${rng.chars('0123456789', 12)}:db:main` }, sensitive_attributes: [] }],
      },
      {
        mode: 'managed', type: 'random_password', name: 'api', provider: 'provider["registry.terraform.io/hashicorp/random"]',
        instances: [{ schema_version: 3, attributes: { id: 'none', length: 24, result: generated, special: false }, sensitive_attributes: [] }],
      },
      {
        mode: 'managed', type: 'aws_iam_access_key', name: 'ci', provider: 'provider["registry.terraform.io/hashicorp/aws"]',
        instances: [{ schema_version: 0, attributes: { id: 'AKIA' + rng.chars(ALPHABETS.upperBase32, 16), user: 'ci', secret: iamSecret, status: 'Active' }, sensitive_attributes: [] }],
      },
    ],
    check_results: null,
  };
  const text = JSON.stringify(state, null, 2) + '\n';
  const labels = [dbPassword, generated, iamSecret].map((secret) => ({ line: lineOf(text, JSON.stringify(secret)), type: 'secret', kind: 'tfstate-secret-attribute', secret }));
  // The access key id is a secret too (half of the pair).
  const id = state.resources[2].instances[0].attributes.id;
  labels.push({ line: lineOf(text, id), type: 'secret', kind: 'aws-access-key-id', secret: id });
  return { name: `terraform/env-${n}/terraform.tfstate`, text, labels };
}

export function gcpServiceAccount(rng, n) {
  const pem = pemPrivateKey(rng, 'RSA', 1620).replace(/RSA PRIVATE KEY/g, 'PRIVATE KEY') + '\n';
  const project = `proj-${rng.chars(lower, 6)}`;
  const text = JSON.stringify(
    {
      type: 'service_account',
      project_id: project,
      private_key_id: rng.chars(hex, 40),
      private_key: pem,
      client_email: `deployer@${project}.iam.gserviceaccount.com`,
      client_id: rng.chars('0123456789', 21),
      auth_uri: 'https://accounts.google.com/o/oauth2/auth',
      token_uri: 'https://oauth2.googleapis.com/token',
    },
    null,
    2,
  );
  return { name: `gcp/sa-${n}.json`, text: text + '\n', labels: [{ line: lineOf(text, '"private_key"'), type: 'secret', kind: 'gcp-service-account-key', secret: pem }] };
}

export function pemKeyFile(rng, n) {
  const [type, kind, file, len] = [
    ['RSA', 'private-key-rsa', 'server.key', 1588],
    ['OPENSSH', 'private-key-openssh', 'id_ed25519', 400],
    ['EC', 'private-key-ec', 'ec.pem', 220],
  ][n % 3];
  const pem = pemPrivateKey(rng, type, len);
  return { name: `keys/${n}-${file}`, text: pem + '\n', labels: [{ line: 1, endLine: pem.split('\n').length, type: 'secret', kind, secret: pem }] };
}

/** A CI log where a step printed secrets base64-encoded (once or twice) and percent-encoded. */
export function encodedLog(rng, n) {
  const lines = [];
  const labels = [];
  const ts = (i) => new Date(Date.UTC(2024, 5, 1, 8, 0, 0) + n * 60000 + i * 917).toISOString();
  for (let i = 0; i < 6; i++) {
    lines.push(`${ts(i)} \x1b[32m[build]\x1b[0m step ${i}: compiling module ${rng.chars(lower, 6)}`);
    const tok = githubToken(rng, 'p');
    const mode = (n + i) % 3;
    const encoded = mode === 0 ? b64(`GITHUB_TOKEN=${tok}`) : mode === 1 ? b64(b64(`token: ${tok}`)) : b64(JSON.stringify({ auths: { 'ghcr.io': { auth: b64(`bot:${tok}`) } } }));
    lines.push(`${ts(i)} \x1b[36m[debug]\x1b[0m env dump: ${encoded}`);
    labels.push({ line: lines.length, type: 'secret', kind: 'base64-encoded-token', secret: tok });
  }
  return { name: `ci-logs/encoded-${n}.log`, text: lines.join('\n') + '\n', labels };
}

// ---- decoy files ----

export function packageLock(rng, n) {
  const names = ['lodash', 'react', 'express', 'debug', 'ms', 'semver', 'chalk', 'commander', 'yargs', 'uuid'];
  const packages = { '': { name: `app-${n}`, version: '1.0.0' } };
  for (const name of names) {
    packages[`node_modules/${name}`] = {
      version: `${rng.int(1, 9)}.${rng.int(0, 20)}.${rng.int(0, 9)}`,
      resolved: `https://registry.npmjs.org/${name}/-/${name}-1.0.0.tgz`,
      integrity: `sha512-${rng.chars(base64, 86)}==`,
    };
  }
  const text = JSON.stringify({ name: `app-${n}`, lockfileVersion: 3, requires: true, packages }, null, 2) + '\n';
  const labels = text.split('\n').flatMap((l, i) => (l.includes('"integrity"') ? [{ line: i + 1, type: 'decoy', kind: 'lock-file' }] : []));
  return { name: `lock/${n}/package-lock.json`, text, labels };
}

export function yarnLock(rng, n) {
  const lines = ['# THIS IS AN AUTOGENERATED FILE. DO NOT EDIT THIS FILE DIRECTLY.', '# yarn lockfile v1', ''];
  const labels = [];
  for (const name of ['ansi-styles', 'supports-color', 'has-flag', 'color-convert', 'escape-string-regexp']) {
    lines.push(`${name}@^4.0.0:`, '  version "4.3.0"');
    lines.push(`  resolved "https://registry.yarnpkg.com/${name}/-/${name}-4.3.0.tgz#${rng.chars(hex, 40)}"`);
    labels.push({ line: lines.length, type: 'decoy', kind: 'lock-file' });
    lines.push(`  integrity sha512-${rng.chars(base64, 86)}==`, '');
    labels.push({ line: lines.length - 1, type: 'decoy', kind: 'lock-file' });
  }
  return { name: `lock/${n}/yarn.lock`, text: lines.join('\n'), labels };
}

export function cargoLock(rng, n) {
  const lines = ['# This file is automatically @generated by Cargo.', 'version = 3', ''];
  const labels = [];
  for (const name of ['serde', 'tokio', 'rand', 'regex', 'anyhow']) {
    lines.push('[[package]]', `name = "${name}"`, `version = "1.${rng.int(0, 40)}.${rng.int(0, 9)}"`, 'source = "registry+https://github.com/rust-lang/crates.io-index"');
    lines.push(`checksum = "${rng.chars(hex, 64)}"`, '');
    labels.push({ line: lines.length - 1, type: 'decoy', kind: 'lock-file' });
  }
  return { name: `lock/${n}/Cargo.lock`, text: lines.join('\n'), labels };
}

export function poetryLock(rng, n) {
  const lines = [];
  const labels = [];
  for (const name of ['requests', 'urllib3', 'idna', 'certifi']) {
    lines.push('[[package]]', `name = "${name}"`, 'version = "2.31.0"', 'files = [');
    lines.push(`    {file = "${name}-2.31.0-py3-none-any.whl", hash = "sha256:${rng.chars(hex, 64)}"},`);
    labels.push({ line: lines.length, type: 'decoy', kind: 'lock-file' });
    lines.push(`    {file = "${name}-2.31.0.tar.gz", hash = "sha256:${rng.chars(hex, 64)}"},`, ']', '');
    labels.push({ line: lines.length - 2, type: 'decoy', kind: 'lock-file' });
  }
  return { name: `lock/${n}/poetry.lock`, text: lines.join('\n'), labels };
}

export function goSum(rng, n) {
  const lines = [];
  const labels = [];
  for (const mod of ['github.com/stretchr/testify', 'golang.org/x/net', 'github.com/google/uuid', 'gopkg.in/yaml.v3', 'github.com/spf13/cobra']) {
    const v = `v1.${rng.int(0, 12)}.${rng.int(0, 9)}`;
    lines.push(`${mod} ${v} h1:${rng.chars(base64, 43)}=`);
    labels.push({ line: lines.length, type: 'decoy', kind: 'go-sum' });
    lines.push(`${mod} ${v}/go.mod h1:${rng.chars(base64, 43)}=`);
    labels.push({ line: lines.length, type: 'decoy', kind: 'go-sum' });
  }
  return { name: `go/${n}/go.sum`, text: lines.join('\n') + '\n', labels };
}

/** A minified bundle: one long line with random identifiers, lookup tables and hash constants. */
export function minified(rng, n) {
  const parts = [];
  for (let i = 0; i < 60; i++) {
    const v = () => rng.pick('abcdefghijklmnopqrstuvwxyz') + rng.chars(base62, rng.int(0, 2));
    parts.push(
      rng.pick([
        `function ${v()}(${v()},${v()}){return ${v()}.apiKey||${v()}.token}`,
        `var ${v()}="${rng.chars(base64, 64)}"`,
        `${v()}.secret=${v()}.secret||{}`,
        `${v()}={token:${v()}.token,password:${v()}.password}`,
        `${v()}["${rng.chars(hex, 32)}"]=${rng.int(0, 999)}`,
        `${v()}.sessionKey="__${rng.chars(lower, 8)}"`,
        `const ${v()}="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/="`,
        `${v()}.authorization=${v()}`,
        `${v()}={secret:"${rng.chars(base62, 12)}${rng.int(10, 99)}${rng.chars(base62, 12)}"}`,
      ]),
    );
  }
  const text = `!function(){"use strict";${parts.join(';')}}();\n//# sourceMappingURL=data:application/json;charset=utf-8;base64,${b64(JSON.stringify({ version: 3, sources: ['a.js'], mappings: rng.chars(base64, 200) }))}\n`;
  return { name: `web/${n}/bundle.min.js`, text, labels: [{ line: 1, type: 'decoy', kind: 'minified' }, { line: 2, type: 'decoy', kind: 'data-uri' }] };
}

export function certificates(rng, n) {
  const cert = certificateBase64(rng).match(/.{1,64}/g);
  const pub = spkiPublicKey(rng).match(/.{1,64}/g);
  const lines = ['-----BEGIN CERTIFICATE-----', ...cert, '-----END CERTIFICATE-----', '-----BEGIN PUBLIC KEY-----', ...pub, '-----END PUBLIC KEY-----'];
  const labels = lines.map((l, i) => ({ line: i + 1, type: 'decoy', kind: 'pem-public' }));
  return { name: `certs/${n}-chain.pem`, text: lines.join('\n') + '\n', labels };
}

export function authorizedKeys(rng, n) {
  const lines = Array.from({ length: 5 }, () => sshPublicKey(rng));
  return { name: `ssh/${n}/authorized_keys`, text: lines.join('\n') + '\n', labels: lines.map((l, i) => ({ line: i + 1, type: 'decoy', kind: 'ssh-public-key' })) };
}

export function stylesheet(rng, n) {
  const lines = [];
  const labels = [];
  for (const [sel, mime, magic] of [
    ['.logo', 'image/png', 'iVBORw0KGgoAAAANSUhEUgAA'],
    ['.spinner', 'image/gif', 'R0lGODlhEAAQAPIAAP'],
    ['@font-face', 'font/woff2', 'd09GMgABAAAAA'],
    ['.icon', 'image/svg+xml', 'PHN2ZyB4bWxucz0iaHR0cDovL3d3dy53My5vcmcv'],
  ]) {
    lines.push(`${sel} {`, `  background: url(data:${mime};base64,${magic}${rng.chars(base64, rng.int(200, 600))});`, '}');
    labels.push({ line: lines.length - 1, type: 'decoy', kind: 'data-uri' });
  }
  return { name: `web/${n}/style.css`, text: lines.join('\n') + '\n', labels };
}

/** Builders and how many files of each the corpus holds. */
export const SPECIAL_FILES = [
  [k8sYaml, 16],
  [tfstate, 6],
  [gcpServiceAccount, 6],
  [pemKeyFile, 9],
  [encodedLog, 5],
  [packageLock, 3],
  [yarnLock, 2],
  [cargoLock, 2],
  [poetryLock, 2],
  [goSum, 3],
  [minified, 4],
  [certificates, 4],
  [authorizedKeys, 2],
  [stylesheet, 3],
];
