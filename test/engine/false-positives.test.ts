// Every false-positive class of issue 3 through the real engine and pipeline: for each, a
// decoy that must not be reported and a real secret in the same setting that still must be.
import { describe, expect, it } from 'vitest';
import { Engine } from '../../src/engine/engine.js';
import { detectChunk } from '../../src/engine/pipeline.js';
import { placeholderKind } from '../../src/engine/placeholders.js';
import { loadBuiltinRules } from '../../src/engine/rules.js';
import { awsAccessKeyId, BASE62, BASE64, githubToken, HEX, randomString, rng, stripeLiveKey } from '../helpers/secrets.js';
import { mixedValue } from '../helpers/mixed-value.js';

const engine = new Engine(loadBuiltinRules());
const random = rng(0xfa15e);
const ghp = () => githubToken(undefined, random);
const mixed = (n: number): string => mixedValue(random, n);

function secrets(text: string, path = 'file.txt'): string[] {
  return detectChunk({ text, origin: { kind: 'file', path } }, engine).map((m) => m.secret);
}

/** base64 of DER bytes: a fixed structural prefix (hex) and random filler. */
function der(prefixHex: string, total: number): string {
  const prefix = Buffer.from(prefixHex, 'hex');
  const rest = Buffer.from(Array.from({ length: total - prefix.length }, () => Math.floor(random() * 256)));
  return Buffer.concat([prefix, rest]).toString('base64');
}

describe('documented example values', () => {
  const documented = [
    ['aws_access_key_id = ', 'AKIA' + 'IOSFODNN7' + 'EXAMPLE'],
    ['aws_secret_access_key = ', 'wJalrXUtnFEMI/K7MDENG/' + 'bPxRfiCY' + 'EXAMPLEKEY'],
    ['GITHUB_TOKEN=', 'gh' + 'p_16C7e42F292c6912E7710c' + '838347Ae178B4a'],
    ['stripe.api_key = ', 'sk_' + 'test_4eC39HqLyjWDarjtT1zdp7dc'],
    ['SLACK_BOT_TOKEN=', 'xox' + 'b-17653672481-19874698323-' + 'pdFZKVeTuE8sk7oOcBrzbqgy'],
    ['id_token: ', 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9' + '.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ' + '.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c'],
    ['AccountKey=', 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=='],
    ['MAILGUN_API_KEY=', 'key-' + '3ax6xnjp29jd6fds4gc373sgvjxteol0'],
  ];
  for (const [prefix, value] of documented) {
    it(`does not report the documented ${value.slice(0, 8)}…`, () => {
      expect(placeholderKind(value)).toBe('documented-example');
      expect(secrets(prefix + value)).toEqual([]);
    });
  }

  it('still reports real values of the same shapes', () => {
    const id = awsAccessKeyId(random);
    const token = ghp();
    expect(secrets(`aws_access_key_id = ${id}`)).toContain(id);
    expect(secrets(`GITHUB_TOKEN=${token}`)).toContain(token);
  });
});

describe('placeholders', () => {
  const decoys = [
    'API_KEY=xxxxxxxxxxxxxxxxxxxxxxxxxxxx',
    'stripe_key = "sk' + '_live_' + 'x'.repeat(24) + '"',
    'GITHUB_TOKEN=gh' + 'p_' + 'X'.repeat(36),
    'password: "****************"',
    'client_secret: <your-client-secret>',
    'api_key = "${API_KEY}"',
    'token: "{{ .Values.token }}"',
    'secret_key = "$(cat /run/secrets/key)"',
    'password = "%s"',
    'DB_PASSWORD=changeme',
    'password: password',
    'api_key = "example-api-key-value"',
    'auth_token = "dummy_token_for_tests"',
    'secret = "test"',
    'api_key = "abcdefghijklmnopqrstuvwx"',
    'api_key = "0123456789abcdef0123"',
    'api_key = "aaaaaaaaaaaaaaaaaaaaaaaa"',
    'api_key = "abc123abc123abc123abc123"',
    'api_key = "qwertyuiopasdfghjklzxcvb"',
  ];
  for (const decoy of decoys) {
    it(`does not report: ${decoy}`, () => {
      expect(secrets(decoy)).toEqual([]);
    });
  }

  it('still reports a random value under the same keys', () => {
    const value = mixed(32);
    expect(secrets(`api_key = "${value}"`)).toContain(value);
    const live = stripeLiveKey(random);
    expect(secrets(`stripe_key = "${live}"`)).toContain(live);
  });
});

describe('references instead of values', () => {
  const decoys = [
    'password = var.db_password',
    'password = os.getenv("DB_PASSWORD")',
    "password = os.environ['DB_PASSWORD']",
    'const apiKey = process.env.API_KEY;',
    'token: ${{ secrets.DEPLOY_TOKEN }}',
    'master_password = data.aws_secretsmanager_secret_version.db.secret_string',
    'String token = System.getenv("API_TOKEN");',
    'client_secret = local.client_secret',
  ];
  for (const decoy of decoys) {
    it(`does not report: ${decoy}`, () => {
      expect(secrets(decoy)).toEqual([]);
    });
  }

  it('still reports a literal next to a reference (a default value is a leak)', () => {
    const value = mixed(24);
    expect(secrets(`password = os.getenv("DB_PASSWORD", "${value}")`)).toContain(value);
    expect(secrets(`password = "${value}"  # was var.db_password`)).toContain(value);
  });
});

describe('hashes and identifiers', () => {
  it('does not report git SHAs, digests, SRI values, go.sum lines or UUIDs', () => {
    const sha = randomString(random, HEX, 40);
    const sha256 = randomString(random, HEX, 64);
    const decoys = [
      `      - uses: actions/checkout@${sha}`,
      `commit: ${sha}`,
      `image: registry.internal/api@sha256:${sha256}`,
      `checksum = "${sha256}"`,
      `api_key_checksum: "sha256:${sha256}"`,
      `<script src="/app.js" integrity="sha384-${randomString(random, BASE64, 64)}"></script>`,
      `  "integrity": "sha512-${randomString(random, BASE64, 86)}==",`,
      `  integrity sha512-${randomString(random, BASE64, 86)}==`,
      `golang.org/x/net v0.21.0 h1:${randomString(random, BASE64, 43)}=`,
      `golang.org/x/net v0.21.0/go.mod h1:${randomString(random, BASE64, 43)}=`,
      `session_token = "${[8, 4, 4, 4, 12].map((n) => randomString(random, HEX, n)).join('-')}"`,
    ];
    for (const decoy of decoys) expect(secrets(decoy), decoy).toEqual([]);
  });

  it('still reports a hex secret under a secret key, and a token on a lock-file line', () => {
    const hexSecret = randomString(random, HEX, 40);
    expect(secrets(`api_token = "${hexSecret}"`)).toContain(hexSecret);
    const token = ghp();
    expect(secrets(`  resolved "https://npm.pkg.github.com/download/x/1.0.0/${token}"`)).toContain(token);
  });
});

describe('public keys and certificates', () => {
  const spkiEc = () => der('3059301306072a8648ce3d020106082a8648ce3d030107034200', 91);
  const spkiRsa = () => der('30820122300d06092a864886f70d01010105000382010f00', 294);
  const cert = () => der('308203773082025fa003020102', 891);

  it('recognises SPKI and certificate DER by structure', () => {
    expect(placeholderKind(spkiEc())).toBe('public-key');
    expect(placeholderKind(spkiRsa())).toBe('public-key');
    expect(placeholderKind(cert())).toBe('public-key');
    // PKCS#8 private key: SEQUENCE { INTEGER 0, ... } is not public.
    expect(placeholderKind(der('308204be020100300d06092a864886f70d0101010500', 1218))).toBeUndefined();
  });

  it('does not report public keys under secret-looking keys', () => {
    const blob = randomString(random, BASE64, 43);
    const decoys = [
      `signing_key: "${spkiEc()}"`,
      `signing_key = "${spkiRsa()}"`,
      `private_key_pub: ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI${blob} ci@runner`,
      `secret_key = "AAAAC3NzaC1lZDI1NTE5AAAAI${blob}"`,
      ['-----BEGIN CERTIFICATE-----', ...(cert().match(/.{1,64}/g) ?? []), '-----END CERTIFICATE-----'].join('\n'),
      ['-----BEGIN PUBLIC KEY-----', ...(spkiRsa().match(/.{1,64}/g) ?? []), '-----END PUBLIC KEY-----'].join('\n'),
    ];
    for (const decoy of decoys) expect(secrets(decoy), decoy.slice(0, 40)).toEqual([]);
  });

  it('still reports a private key and a random signing key', () => {
    const value = mixed(40);
    expect(secrets(`signing_key: "${value}"`)).toContain(value);
    const pkcs8 = der('308204be020100300d06092a864886f70d0101010500', 1218);
    const pem = ['-----BEGIN PRIV' + 'ATE KEY-----', ...(pkcs8.match(/.{1,64}/g) ?? []), '-----END PRIV' + 'ATE KEY-----'].join('\n');
    expect(secrets(pem).length).toBeGreaterThan(0);
  });
});

describe('base64 images and fonts in data URIs', () => {
  it('does not report data-URI payloads or base64 media', () => {
    const decoys = [
      `.logo { background: url(data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAA${randomString(random, BASE64, 300)}); }`,
      `@font-face { src: url("data:font/woff2;base64,d09GMgABAAAAA${randomString(random, BASE64, 300)}") }`,
      `const icon = "data:image/svg+xml;base64,PHN2ZyB4bWxucz0i${randomString(random, BASE64, 200)}";`,
      `secret_image: "iVBORw0KGgoAAAANSUhEUgAA${randomString(random, BASE64, 100)}"`,
    ];
    for (const decoy of decoys) expect(secrets(decoy), decoy.slice(0, 40)).toEqual([]);
  });

  it('still reports a secret encoded in a data URI that is not media', () => {
    const token = ghp();
    const uri = `data:text/plain;base64,${Buffer.from(`GITHUB_TOKEN=${token}`).toString('base64')}`;
    expect(secrets(`href="${uri}"`)).toContain(token);
  });
});

describe('minified code', () => {
  const bundle = (inner: string): string => {
    const parts: string[] = [];
    for (let i = 0; i < 80; i++) parts.push(`function a${i}(e,t){return e.apiKey||t.token}var b${i}=${i}`);
    parts.splice(40, 0, inner);
    return `!function(){${parts.join(';')}}();`;
  };

  it('does not report generic matches in a minified line', () => {
    expect(secrets(bundle(`n={secret:"${mixed(26)}"}`), 'dist/app.min.js')).toEqual([]);
    expect(secrets(bundle(`e.password="${mixed(16)}"`), 'dist/app.min.js')).toEqual([]);
  });

  it('still reports a provider token in a minified line', () => {
    const token = ghp();
    expect(secrets(bundle(`n={auth:"${token}"}`), 'dist/app.min.js')).toContain(token);
  });
});

describe('lock files', () => {
  it('does not report the hashes of npm, yarn, Cargo and poetry lock files', () => {
    const lines = [
      `    "node_modules/lodash": { "version": "4.17.21", "resolved": "https://registry.npmjs.org/lodash/-/lodash-4.17.21.tgz", "integrity": "sha512-${randomString(random, BASE64, 86)}==" }`,
      `  resolved "https://registry.yarnpkg.com/ms/-/ms-2.1.3.tgz#${randomString(random, HEX, 40)}"`,
      `checksum = "${randomString(random, HEX, 64)}"`,
      `    {file = "requests-2.31.0.tar.gz", hash = "sha256:${randomString(random, HEX, 64)}"},`,
      `      resolution: {integrity: sha512-${randomString(random, BASE64, 86)}==}`,
      `    "shasum": "${randomString(random, HEX, 40)}",`,
    ];
    for (const line of lines) expect(secrets(line, 'package-lock.json'), line.slice(0, 50)).toEqual([]);
  });

  it('still reports a credential in a lock file registry URL', () => {
    const pw = mixed(20);
    expect(secrets(`  resolved "https://ci:${pw}@npm.corp.internal/ms/-/ms-2.1.3.tgz"`, 'yarn.lock')).toContain(pw);
  });
});
