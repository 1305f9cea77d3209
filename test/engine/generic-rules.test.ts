// The generic rules of detectors/generic.toml through the real engine and pipeline: every
// syntax the issue lists finds a secret-named key's high-entropy value, and the near misses
// (references, placeholders, identifiers, hashes) are not reported.
import { describe, expect, it } from 'vitest';
import { Engine } from '../../src/engine/engine.js';
import { detectChunk } from '../../src/engine/pipeline.js';
import { loadBuiltinRules } from '../../src/engine/rules.js';
import { BASE62, DIGITS, LOWER, randomString, rng, UPPER } from '../helpers/secrets.js';
import { mixedValue } from '../helpers/mixed-value.js';

const engine = new Engine(loadBuiltinRules());
const random = rng(0x6e6e);
/** A value with lower, upper and digits, as generated secrets have. */
const value = (n = 20): string => mixedValue(random, n);

function found(text: string, path = 'config'): { ruleId: string; secret: string }[] {
  return detectChunk({ text, origin: { kind: 'file', path } }, engine).map((m) => ({ ruleId: m.ruleId, secret: m.secret }));
}

function expectFound(text: string, secret: string, ruleId: string): void {
  expect(found(text), text).toContainEqual({ ruleId, secret });
}

describe('generic-password-assignment', () => {
  const syntaxes: [string, (pw: string) => string][] = [
    ['.env', (pw) => `DB_PASSWORD=${pw}`],
    ['.env quoted', (pw) => `export DB_PASSWORD="${pw}"`],
    ['YAML', (pw) => `database:\n  password: ${pw}\n`],
    ['YAML quoted', (pw) => `  admin_password: '${pw}'`],
    ['JSON', (pw) => `{"db": {"password": "${pw}"}}`],
    ['TOML', (pw) => `[db]\npassword = "${pw}"`],
    ['INI', (pw) => `[mysql]\npasswd = ${pw}`],
    ['properties', (pw) => `spring.datasource.password=${pw}`],
    ['HCL', (pw) => `resource "db" "x" {\n  password = "${pw}"\n}`],
    ['shell', (pw) => `mysql --user=app --password="${pw}" orders`],
    ['Python', (pw) => `DB_PASSWORD = "${pw}"`],
    ['Python kwarg', (pw) => `connect(host="db", user="app", password='${pw}')`],
    ['JavaScript', (pw) => `const dbPassword = '${pw}';`],
    ['JavaScript object', (pw) => `  password: "${pw}",`],
    ['TypeScript', (pw) => `export const dbPassword: string = "${pw}";`],
    ['Go', (pw) => `\tPassword: "${pw}",`],
    ['Go short', (pw) => `dbPassword := "${pw}"`],
    ['Java', (pw) => `private static final String DB_PASSWORD = "${pw}";`],
    ['XML attribute', (pw) => `<datasource user="app" password="${pw}" />`],
    ['XML appSettings', (pw) => `<add key="SmtpPassword" value="${pw}" />`],
    ['XML element', (pw) => `<password>${pw}</password>`],
    ['Dockerfile', (pw) => `ENV POSTGRES_PASSWORD=${pw}`],
    ['PHP array', (pw) => `'password' => '${pw}',`],
    ['connection string', (pw) => `Server=db;User Id=app;Password=${pw};Database=orders`],
    ['setenv call', (pw) => `os.Setenv("ADMIN_PASSWD", "${pw}")`],
    ['CI log with ANSI', (pw) => `2024-05-01T10:00:00Z \x1b[33mDB_PASSWORD=${pw}\x1b[0m`],
  ];
  for (const [name, write] of syntaxes) {
    it(`finds a password in ${name}`, () => {
      const pw = value(16);
      expectFound(write(pw), pw, 'generic-password-assignment');
    });
  }

  it('accepts passwords with symbols and mixed words', () => {
    const pw = 'Harbor-' + randomString(random, LOWER, 5) + randomString(random, DIGITS, 3) + '!';
    expectFound(`password: "${pw}"`, pw, 'generic-password-assignment');
    // Words joined by a dot are a password when they end in a number, a member chain otherwise.
    const dotted = 'Violet.' + randomString(random, LOWER, 5) + randomString(random, DIGITS, 4);
    expectFound(`jdbc:postgresql://db/app?user=app&password=${dotted}&ssl=true`, dotted, 'generic-password-assignment');
    expect(found('password = request.form.password2')).toEqual([]);
  });

  const decoys = [
    'password = os.getenv("DB_PASSWORD")',
    'password: ${DB_PASSWORD}',
    'password: "{{ .Values.db.password }}"',
    'DB_PASSWORD=changeme',
    'password = "password123"',
    'password = self.password',
    'password = getpass.getpass(prompt)',
    'password_file: /run/secrets/db_password',
    'passwordLength = 16',
    'DB_PASSWORD=********',
    "passwd='geheim$parole'",
    'def __init__(self, stmt="pass", setup="pass", timer=default_timer,',
    'if (password == confirmPassword) { return true; }',
    'password_hash = "pbkdf2_sha256$260000$abcDEF123$ghiJKL456"',
  ];
  for (const decoy of decoys) {
    it(`does not report: ${decoy}`, () => {
      expect(found(decoy).filter((f) => f.ruleId.startsWith('generic-'))).toEqual([]);
    });
  }
});

describe('generic-secret-assignment', () => {
  const keys = ['API_KEY', 'client_secret', 'secretKey', 'auth_token', 'access-token', 'private_key', 'signing_key', 'ENCRYPTION_KEY', 'credentials', 'master_key', 'session_key'];
  for (const key of keys) {
    it(`finds a high-entropy value of ${key}`, () => {
      const secret = value(32);
      expectFound(`${key} = "${secret}"`, secret, 'generic-secret-assignment');
      expectFound(`${key}: ${secret}`, secret, 'generic-secret-assignment');
    });
  }

  it('takes "KEY", "value" as an assignment in a call, not between neighbours in a list of names', () => {
    const secret = value(22);
    expectFound(`os.environ.setdefault('API_SECRET', '${secret}')`, secret, 'generic-secret-assignment');
    expect(found(`  aws_iam_access_key: ['secret', 'ses_smtp_password_v4', 'encrypted_secret'],`)).toEqual([]);
    expect(found(`      tags: ['security', 'secret', 'external/cwe/cwe-798'],`)).toEqual([]);
    expect(found(`names = ["token", "${secret}"]`)).toEqual([]);
  });

  it('finds an API key in an HTTP header line', () => {
    const secret = value(32);
    expectFound(`curl -H "X-Api-Key: ${secret}" https://api.internal/v1`, secret, 'generic-secret-assignment');
  });

  it('needs more than a short or single-class value', () => {
    expect(found(`api_key = "${value(10)}"`)).toEqual([]);
    expect(found(`api_key = "${randomString(random, LOWER, 32)}"`)).toEqual([]);
    expect(found(`api_key = "${randomString(random, DIGITS, 32)}"`)).toEqual([]);
  });

  const decoys = [
    'token = os.environ["API_TOKEN"]',
    'apiKey = process.env.API_KEY',
    'client_secret = var.client_secret',
    'API_KEY=your_api_key_here',
    'secret_name = "prod/db/credentials"',
    'token = tokenize.generate_tokens(readline)',
    'SECRET_KEY = "xxxxxxxxxxxxxxxxxxxxxxxx"',
    'private_key_path = "./keys/service-account.json"',
    'exports2.STRICT_TOKEN = exports2.TOKEN',
    'this.credentials = init.useCredentials',
    "'Access-Control-Allow-Headers': 'Content-Type, Authorization'",
    'next_page_token: "CiAKGjBpNDd2Nmp3ZXE4c3ZmMhIHCgVvcmRlcg"',
    'csrf_token = "a8f5f167f44f4964e6c998dee827110c"',
  ];
  for (const decoy of decoys) {
    it(`does not report: ${decoy}`, () => {
      expect(found(decoy).filter((f) => f.ruleId.startsWith('generic-'))).toEqual([]);
    });
  }
});

describe('generic-url-credentials', () => {
  const schemes = ['postgres', 'postgresql', 'mysql', 'mongodb', 'mongodb+srv', 'redis', 'rediss', 'amqp', 'amqps', 'https', 'ftp', 'smtp', 'jdbc:mysql'];
  for (const scheme of schemes) {
    it(`finds the password of a ${scheme} URL`, () => {
      const pw = value(18);
      expectFound(`url = "${scheme}://app_user:${pw}@db.internal:5432/app"`, pw, 'generic-url-credentials');
    });
  }

  it('finds a password with an empty user (redis://:pw@host)', () => {
    const pw = value(18);
    expectFound(`REDIS_URL=redis://:${pw}@cache:6379/0`, pw, 'generic-url-credentials');
  });

  it('finds a percent-encoded password', () => {
    const pw = value(10) + '%40' + value(6);
    expect(found(`DATABASE_URL=postgres://app:${pw}@db/app`).map((f) => f.ruleId)).toContain('generic-url-credentials');
  });

  const decoys = [
    'DATABASE_URL=postgres://user:password@localhost:5432/db',
    'DATABASE_URL=postgres://user:${DB_PASSWORD}@db:5432/app',
    'REDIS_URL=redis://:<password>@localhost:6379',
    'url = "https://user:****@registry.internal"',
    'amqp://guest:guest@localhost:5672/',
    'postgres://postgres:changeme@db/app',
    'git clone ssh://git@github.com:22/org/repo.git',
    'see http://localhost:8080/path@v1',
    `https://admin:${'Xk29fjQ2mNpL8vRt'}@example.com/login`,
  ];
  for (const decoy of decoys) {
    it(`does not report: ${decoy}`, () => {
      expect(found(decoy).filter((f) => f.ruleId === 'generic-url-credentials')).toEqual([]);
    });
  }
});

describe('generic-netrc-credentials', () => {
  it('finds the password of a .netrc entry, on one line or one token per line', () => {
    const pw = value(18);
    expectFound(`machine api.heroku.com login deploy@corp.internal password ${pw}`, pw, 'generic-netrc-credentials');
    const other = value(18);
    expectFound(`machine git.corp.internal\n  login ci-bot\n  password ${other}\n`, other, 'generic-netrc-credentials');
  });

  it('does not report prose or placeholders', () => {
    expect(found('the state machine login step checks the password field')).toEqual([]);
    expect(found('machine ftp.internal login anonymous password changeme')).toEqual([]);
  });
});

describe('generic-authorization-header', () => {
  it('finds bearer, token and basic credentials in headers', () => {
    for (const scheme of ['Bearer', 'token', 'Basic']) {
      const secret = value(40);
      expectFound(`curl -H "Authorization: ${scheme} ${secret}" https://api.internal`, secret, 'generic-authorization-header');
      expectFound(`headers = {"Authorization": "${scheme} ${secret}"}`, secret, 'generic-authorization-header');
    }
  });

  it('does not report references and placeholders', () => {
    for (const decoy of ['Authorization: Bearer $TOKEN', 'Authorization: Bearer <token>', 'authorization: `Bearer this.session.accessToken`', 'Authorization: Bearer ${{ secrets.API_TOKEN }}', 'headers["Authorization"] = "Bearer " + token']) {
      expect(found(decoy), decoy).toEqual([]);
    }
  });
});

describe('generic rules and provider rules', () => {
  it('report a provider token once, under the provider rule', () => {
    const key = 'AK' + 'IA' + randomString(random, UPPER + '234567', 16);
    const hits = found(`aws_access_key_id = "${key}"`);
    expect(hits.filter((h) => h.secret === key).map((h) => h.ruleId)).toEqual(['aws-access-key-id']);
  });
});
