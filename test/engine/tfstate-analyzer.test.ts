import { describe, expect, it } from 'vitest';
import { tfstateAnalyzer, isSecretAttribute } from '../../src/engine/tfstate/analyzer.js';
import { SECRET_ATTRIBUTES } from '../../src/engine/tfstate/secret-attributes.js';
import { parsePattern } from '../../src/engine/tfstate/paths.js';
import type { Chunk, Match, Origin } from '../../src/types.js';
import { Engine } from '../../src/engine/engine.js';
import { scanChunk } from '../../src/engine/pipeline.js';
import { loadBuiltinRules } from '../../src/engine/rules.js';
import { githubToken, rng } from '../helpers/secrets.js';
import { ctyKey, ctyPath, fakePem, fakeValue, lineAt, lineOf, stateV4, type ResourceSpec } from './tfstate-fixtures.js';

const noRules = (): Match[] => [];
const origin = (path = 'envs/prod/terraform.tfstate'): Origin => ({ kind: 'file', path });

function analyze(text: string, path?: string, detect: (c: Chunk) => Match[] = noRules) {
  const chunk: Chunk = { text, origin: origin(path) };
  expect(tfstateAnalyzer.applies(chunk.origin, text)).toBe(true);
  return tfstateAnalyzer.analyze(chunk, detect);
}

/** Puts `value` at the place a table pattern names (`user[*].password` → {user:[{password}]}). */
function placeAt(pattern: string, value: string): { attributes: Record<string, unknown>; attribute: string } {
  const steps = parsePattern(pattern).map((s) => (s === '*' ? 0 : s));
  let leaf: unknown = value;
  for (let i = steps.length - 1; i >= 0; i--) {
    const step = steps[i];
    leaf = typeof step === 'number' ? [leaf] : { [step]: leaf };
  }
  return { attributes: leaf as Record<string, unknown>, attribute: pattern.replaceAll('[*]', '[0]') };
}

/** Non-secret neighbours every test resource carries: none of them may be reported. */
function harmless(type: string, name: string): Record<string, unknown> {
  return {
    id: `${name}-0a1b2c3d`,
    arn: `arn:aws:iam::123456789012:${type}/${name}`,
    endpoint: `${name}.cluster-abc.eu-west-1.rds.amazonaws.com:5432`,
    public_key_openssh: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIH5RvZ1kQ leaksweep-test',
    bcrypt_cost: 10,
    created_at: '2024-05-01T12:00:00Z',
    tags: { Name: name, team: 'platform' },
  };
}

describe('tfstate analyzer: secret-attribute table', () => {
  const entries = Object.entries(SECRET_ATTRIBUTES).flatMap(([type, patterns]) =>
    patterns.filter(() => !type.startsWith('terraform.backend.')).map((pattern) => ({ type, pattern })),
  );

  it('has entries for the resources the issue names', () => {
    for (const [type, attr] of [
      ['aws_iam_access_key', 'secret'],
      ['aws_iam_access_key', ['ses', 'smtp', 'password', 'v4'].join('_')],
      ['aws_db_instance', 'password'],
      ['aws_rds_cluster', 'master_password'],
      ['random_password', 'result'],
      ['random_password', 'bcrypt_hash'],
      ['tls_private_key', 'private_key_pem'],
      ['tls_private_key', 'private_key_openssh'],
      ['google_service_account_key', 'private_key'],
      ['azurerm_storage_account', 'primary_access_key'],
      ['kubernetes_secret', 'data'],
      ['github_actions_secret', 'plaintext_value'],
    ]) {
      expect(isSecretAttribute(type, [attr]), `${type}.${attr}`).toBe(true);
    }
    expect(isSecretAttribute('random_password', ['bcrypt_cost'])).toBe(false);
    expect(isSecretAttribute('aws_iam_access_key', ['id'])).toBe(false);
    expect(isSecretAttribute('aws_mq_broker', ['user', 0, 'password'])).toBe(true);
    expect(isSecretAttribute('aws_mq_broker', ['user', 'x', 'password'])).toBe(false);
  });

  it('finds every table attribute with its resource, attribute and stored line, and nothing else', () => {
    const expected: { resource: string; attribute: string; secret: string }[] = [];
    const resources: ResourceSpec[] = entries.map(({ type, pattern }, i) => {
      const secret = fakeValue(24);
      const { attributes, attribute } = placeAt(pattern, secret);
      const name = `r${i}`;
      expected.push({ resource: `${type}.${name}`, attribute, secret });
      return { type, name, instances: [{ attributes: { ...harmless(type, name), ...attributes } }] };
    });
    const text = stateV4({ serial: 7, lineage: 'lin-1', resources });
    const { matches, errors, warnings } = analyze(text);
    expect(errors).toEqual([]);
    expect(warnings).toEqual([]);
    expect(matches).toHaveLength(expected.length);
    for (const want of expected) {
      const m = matches.find((x) => x.secret === want.secret);
      expect(m, `${want.resource}.${want.attribute}`).toBeDefined();
      expect(m!.ruleId).toBe('tfstate-secret-attribute');
      expect(m!.origin).toMatchObject({ resource: want.resource, attribute: want.attribute, serial: 7, lineage: 'lin-1', workspace: 'default' });
      expect(text.slice(m!.start, m!.end)).toBe(want.secret);
      expect(lineAt(text, m!.start)).toBe(lineOf(text, want.secret));
    }
  });

  it('finds a map attribute per key, a PEM at its stored line, and skips placeholders and empty values', () => {
    const pem = fakePem();
    const dbPass = fakeValue(16);
    const text = stateV4({
      resources: [
        { type: 'kubernetes_secret', name: 'app', instances: [{ attributes: { data: { 'tls.key': pem, password: dbPass }, metadata: [{ name: 'app' }] } }] },
        { type: 'tls_private_key', name: 'ca', instances: [{ attributes: { private_key_pem: pem, public_key_pem: 'public', algorithm: 'RSA' } }] },
        { type: 'aws_db_instance', name: 'a', instances: [{ attributes: { password: '${var.db_password}' } }] },
        { type: 'aws_db_instance', name: 'b', instances: [{ attributes: { password: '' } }] },
        { type: 'aws_db_instance', name: 'c', instances: [{ attributes: { password: null } }] },
      ],
    });
    const { matches } = analyze(text);
    expect(matches.map((m) => [m.origin?.resource, m.origin?.attribute])).toEqual([
      ['kubernetes_secret.app', 'data["tls.key"]'],
      ['kubernetes_secret.app', 'data.password'],
      ['tls_private_key.ca', 'private_key_pem'],
    ]);
    const pemMatch = matches[2];
    expect(pemMatch.secret).toBe(pem);
    // Stored JSON-escaped on one line: the span is the escaped text of the value.
    expect(text.slice(pemMatch.start, pemMatch.end)).toBe(JSON.stringify(pem).slice(1, -1));
    expect(lineAt(text, pemMatch.start)).toBe(lineOf(text, '"private_key_pem"'));
  });
});

describe('tfstate analyzer: sensitive values', () => {
  it('reports values listed in sensitive_attributes whatever their entropy, with module and index addresses', () => {
    const shortPass = 'abcabcabc123'; // 12 characters, low entropy: no rule would find it
    const nested = fakeValue(14);
    const tagValue = fakeValue(10);
    const text = stateV4({
      resources: [
        {
          module: 'module.db',
          type: 'aws_instance',
          name: 'main',
          instances: [
            {
              index_key: 0,
              attributes: { id: 'i-0abc', user_data: shortPass, connection: [{ host: 'db.internal', password: nested }], tags: { Secret: tagValue, Name: 'db' } },
              sensitive_attributes: [ctyPath('user_data'), ctyPath('connection', 0, 'password'), [{ type: 'get_attr', value: 'tags' }, ctyKey('Secret')]],
            },
          ],
        },
        {
          type: 'null_resource',
          name: 'each',
          instances: [{ index_key: 'eu-west-1', attributes: { id: '42', triggers: { token: nested } }, sensitive_attributes: [ctyPath('triggers')] }],
        },
      ],
    });
    const { matches } = analyze(text);
    const got = matches.map((m) => ({ rule: m.ruleId, resource: m.origin?.resource, attribute: m.origin?.attribute, secret: m.secret, line: lineAt(text, m.start) }));
    expect(got).toEqual([
      { rule: 'tfstate-sensitive-value', resource: 'module.db.aws_instance.main[0]', attribute: 'user_data', secret: shortPass, line: lineOf(text, shortPass) },
      { rule: 'tfstate-sensitive-value', resource: 'module.db.aws_instance.main[0]', attribute: 'connection[0].password', secret: nested, line: lineOf(text, nested) },
      { rule: 'tfstate-sensitive-value', resource: 'module.db.aws_instance.main[0]', attribute: 'tags.Secret', secret: tagValue, line: lineOf(text, tagValue) },
      { rule: 'tfstate-sensitive-value', resource: 'null_resource.each["eu-west-1"]', attribute: 'triggers.token', secret: nested, line: lineAt(text, text.lastIndexOf(nested)) },
    ]);
  });

  it('reports sensitive outputs and not the others', () => {
    const secret = fakeValue(18);
    const plain = fakeValue(18);
    const text = stateV4({
      outputs: {
        db_password: { value: secret, sensitive: true, type: 'string' },
        conn: { value: { user: 'admin', pass: secret }, sensitive: true },
        vpc_id: { value: plain, type: 'string' },
        placeholder: { value: 'changeme', sensitive: true },
      },
    });
    const { matches } = analyze(text);
    expect(matches.map((m) => [m.ruleId, m.origin?.resource, m.origin?.attribute, m.secret])).toEqual([
      ['tfstate-sensitive-value', 'output.db_password', 'value', secret],
      ['tfstate-sensitive-value', 'output.conn', 'value.user', 'admin'],
      ['tfstate-sensitive-value', 'output.conn', 'value.pass', secret],
    ]);
  });
});

// A stand-in for the rule pipeline: finds `tok_` + 20 characters, as any regex rule would.
const tokenRule = (chunk: Chunk): Match[] =>
  [...chunk.text.matchAll(/tok_[A-Za-z0-9]{20}/g)].map((m) => ({ ruleId: 'fake-token', secret: m[0], start: m.index!, end: m.index! + m[0].length }));


describe('tfstate analyzer: rules on values', () => {
  it('runs the rules over the state, escaped values decoded, and gives each match its resource and attribute', () => {
    const token = 'tok_' + fakeValue(20);
    const seen: Chunk[] = [];
    const detect = (c: Chunk) => (seen.push(c), tokenRule(c));
    const text = stateV4({
      serial: 3,
      resources: [
        // Escapes before the token: decoded and stored offsets differ.
        { type: 'aws_instance', name: 'web', instances: [{ attributes: { user_data: `#!/bin/sh\n\texport "T"=${token}\n`, ami: 'ami-1' } }] },
        // A table attribute whose whole value a rule matches: one finding (the table's), not two.
        { type: 'aws_ssm_document', name: 'x', instances: [{ attributes: { content: token } }] },
        { type: 'github_actions_secret', name: 'ci', instances: [{ attributes: { plaintext_value: token, secret_name: 'TOKEN' } }] },
        // A rule match of a part of a table value is kept beside the table's finding.
        { type: 'azurerm_storage_account', name: 'sa', instances: [{ attributes: { primary_connection_string: `AccountName=sa;Key=${token};Suffix=x` } }] },
      ],
    });
    const { matches } = analyze(text, 'a/terraform.tfstate.d/staging/terraform.tfstate', detect);
    expect(matches.map((m) => [m.ruleId, m.origin?.attribute, text.slice(m.start, m.end) === token])).toEqual([
      ['fake-token', 'user_data', true],
      ['fake-token', 'content', true],
      ['tfstate-secret-attribute', 'plaintext_value', true],
      ['fake-token', 'primary_connection_string', true],
      ['tfstate-secret-attribute', 'primary_connection_string', false],
    ]);
    for (const m of matches) {
      expect(m.origin?.workspace).toBe('staging');
      expect(m.origin?.serial).toBe(3);
    }
    const userData = seen.find((c) => c.origin.attribute === 'user_data')!;
    expect(userData.text.startsWith('"user_data": "#!/bin/sh\n')).toBe(true);
    expect(userData.origin.resource).toBe('aws_instance.web');
    expect(userData.lineMap?.every((l) => l === lineOf(text, '"user_data"'))).toBe(true);
    // The whole state goes through the rules once; only escaped values again, decoded.
    expect(seen.map((c) => c.origin.attribute)).toEqual([undefined, 'user_data']);
  });
});

describe('tfstate analyzer: other formats', () => {
  it('reads v3 states (modules, flat attributes, counts) and their outputs', () => {
    const pass = fakeValue(16);
    const flatPass = fakeValue(16);
    const out = fakeValue(16);
    const text =
      JSON.stringify(
        {
          version: 3,
          terraform_version: '0.11.14',
          serial: 12,
          lineage: 'old-lineage',
          modules: [
            { path: ['root'], outputs: { admin: { sensitive: true, type: 'string', value: out } }, resources: {} },
            {
              path: ['root', 'db'],
              outputs: {},
              resources: {
                'aws_db_instance.main.1': { type: 'aws_db_instance', primary: { id: 'db-1', attributes: { id: 'db-1', password: pass, 'tags.%': '1', 'tags.Name': 'db' } } },
                'aws_mq_broker.mq': { type: 'aws_mq_broker', primary: { id: 'b-1', attributes: { 'user.#': '1', 'user.0.password': flatPass, 'user.0.username': 'admin' } } },
              },
            },
          ],
        },
        null,
        2,
      ) + '\n';
    const { matches } = analyze(text);
    expect(matches.map((m) => [m.ruleId, m.origin?.resource, m.origin?.attribute, m.secret, lineAt(text, m.start), m.origin?.serial])).toEqual([
      ['tfstate-sensitive-value', 'output.admin', 'value', out, lineOf(text, out), 12],
      ['tfstate-secret-attribute', 'module.db.aws_db_instance.main[1]', 'password', pass, lineOf(text, pass), 12],
      ['tfstate-secret-attribute', 'module.db.aws_mq_broker.mq', 'user[0].password', flatPass, lineOf(text, flatPass), 12],
    ]);
  });

  it('reads members in any order: the address after the instances, the flat form and the marks before the attributes', () => {
    const marked = fakeValue(16);
    const flat = fakeValue(16);
    const token = 'tok_' + fakeValue(20);
    const text = JSON.stringify(
      {
        resources: [
          {
            instances: [
              {
                sensitive_attributes: [ctyPath('note')],
                attributes_flat: { 'user.0.password': flat },
                attributes: { note: marked, tags: { t: token } },
                index_key: 'a',
              },
            ],
            name: 'q',
            type: 'aws_mq_broker',
            module: 'module.mq',
          },
        ],
        lineage: 'l',
        version: 4,
      },
      null,
      2,
    );
    const { matches } = analyze(text, 'x.tfstate', tokenRule);
    // In the order the values are stored.
    expect(matches.map((m) => [m.ruleId, m.origin?.resource, m.origin?.attribute, m.secret, lineAt(text, m.start)])).toEqual([
      ['tfstate-secret-attribute', 'module.mq.aws_mq_broker.q["a"]', 'user[0].password', flat, lineOf(text, flat)],
      ['tfstate-sensitive-value', 'module.mq.aws_mq_broker.q["a"]', 'note', marked, lineOf(text, marked)],
      ['fake-token', 'module.mq.aws_mq_broker.q["a"]', 'tags.t', token, lineOf(text, token)],
    ]);
  });

  it('reads the backend block of .terraform/terraform.tfstate', () => {
    const secretKey = fakeValue(40);
    const text = JSON.stringify({ version: 3, serial: 1, lineage: 'l', backend: { type: 's3', config: { bucket: 'states', key: 'k', region: 'eu-west-1', secret_key: secretKey }, hash: 123 } }, null, 2);
    const { matches } = analyze(text, 'infra/.terraform/terraform.tfstate');
    expect(matches.map((m) => [m.ruleId, m.origin?.resource, m.origin?.attribute, m.secret])).toEqual([
      ['tfstate-secret-attribute', 'terraform.backend.s3', 'config.secret_key', secretKey],
    ]);
  });

  it('says an OpenTofu-encrypted state is encrypted and does not scan its ciphertext', () => {
    const text = JSON.stringify({ serial: 2, lineage: 'x', meta: { 'key_provider.pbkdf2.main': 'e30=' }, encrypted_data: fakeValue(200), encryption_version: 'v0' });
    let called = false;
    const { matches, errors } = analyze(text, 'terraform.tfstate', () => ((called = true), []));
    expect(matches).toEqual([]);
    expect(called).toBe(false);
    expect(errors).toEqual([{ kind: 'tfstate-encrypted', path: 'terraform.tfstate', message: expect.stringContaining('encrypted') }]);
  });

  it('drops matches in SOPS ENC[...] values and says so, still reporting clear values', () => {
    const token = 'tok_' + fakeValue(20);
    const state = JSON.parse(stateV4({ resources: [{ type: 'aws_instance', name: 'm', instances: [{ attributes: { user_data: `ENC[AES256_GCM,data:${token},type:str]`, tags: { t: token } } }] }] }));
    state.sops = { version: '3.8.1', lastmodified: '2024-01-01T00:00:00Z' };
    const text = JSON.stringify(state, null, 2);
    const { matches, errors, warnings } = analyze(text, 'x.tfstate', tokenRule);
    // The whole text was scanned; the encrypted values only as ciphertext: a warning.
    expect(errors).toEqual([]);
    expect(warnings).toEqual([{ kind: 'tfstate-sops', path: 'x.tfstate', message: expect.stringContaining('ENC[...]') }]);
    expect(matches.map((m) => m.origin?.attribute)).toEqual(['tags.t']);
  });

  it('scans a truncated state as text and names it in a warning', () => {
    const full = stateV4({ resources: [{ type: 'aws_db_instance', name: 'm', instances: [{ attributes: { password: fakeValue(16) } }] }] });
    const text = full.slice(0, Math.floor(full.length / 2));
    const seen: Chunk[] = [];
    const chunk: Chunk = { text, origin: { kind: 's3', path: 's3://b/k.tfstate', versionId: 'v1' } };
    expect(tfstateAnalyzer.applies(chunk.origin, text)).toBe(true);
    const { errors, warnings } = tfstateAnalyzer.analyze(chunk, (c) => (seen.push(c), []));
    expect(seen).toEqual([chunk]);
    expect(errors).toEqual([]);
    expect(warnings).toEqual([{ kind: 'tfstate', path: 's3://b/k.tfstate', message: expect.stringMatching(/not a complete JSON state.*version v1/) }]);
  });

  it('applies to state files by name, to state content by its keys, and not to other text', () => {
    const text = stateV4({});
    expect(tfstateAnalyzer.applies({ kind: 'file', path: 'a/b.tfstate.backup' }, '{}')).toBe(true);
    expect(tfstateAnalyzer.applies({ kind: 's3', path: 's3://b/env:/dev/states/net' }, text)).toBe(true);
    expect(tfstateAnalyzer.applies({ kind: 'file', path: 'package.json' }, '{"name":"x"}')).toBe(false);
    expect(tfstateAnalyzer.applies({ kind: 'git', path: 'terraform.tfstate' }, '      "password": "x",\n')).toBe(false);
    // Any JSON that is not state shape goes to the plain rules, without a notice.
    const chunk: Chunk = { text: '{"lineage": 1}', origin: origin('x.json') };
    expect(tfstateAnalyzer.analyze(chunk, () => [{ ruleId: 'r', secret: 's', start: 0, end: 1 }])).toEqual({
      matches: [{ ruleId: 'r', secret: 's', start: 0, end: 1 }],
      errors: [],
      warnings: [],
    });
  });
});

describe('tfstate analyzer with the built-in rules', () => {
  const engine = new Engine(loadBuiltinRules());

  it('reports nothing for ids, ARNs, endpoints, public keys, costs and timestamps', () => {
    const text = stateV4({
      resources: [
        { type: 'random_password', name: 'db', instances: [{ attributes: { bcrypt_cost: 10, id: 'none', length: 24, result: '', override_special: '!#$%' } }] },
        { type: 'aws_iam_access_key', name: 'ci', instances: [{ attributes: { id: 'AKIAIOSFODNN7EXAMPLE', user: 'ci', status: 'Active', create_date: '2024-01-02T03:04:05Z', secret: null } }] },
        { type: 'tls_private_key', name: 'k', instances: [{ attributes: { algorithm: 'ED25519', public_key_openssh: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGq0p2yq3yVq8c5Q2nX leaksweep', public_key_fingerprint_sha256: 'SHA256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU', private_key_pem: null } }] },
        { type: 'aws_db_instance', name: 'm', instances: [{ attributes: { ...harmless('aws_db_instance', 'm'), address: 'm.abc.eu-west-1.rds.amazonaws.com', latest_restorable_time: '2024-05-01T12:00:00Z', password: null } }] },
      ],
    });
    const { matches, errors, warnings } = scanChunk({ text, origin: origin() }, engine);
    expect([...errors, ...warnings]).toEqual([]);
    expect(matches).toEqual([]);
  });

  it('finds a provider token in any attribute with its resource and attribute', () => {
    const token = githubToken(undefined, rng(99));
    const text = stateV4({
      resources: [{ type: 'aws_lambda_function', name: 'hook', instances: [{ attributes: { function_name: 'hook', environment: [{ variables: { GITHUB_TOKEN: token, STAGE: 'prod' } }] } }] }],
    });
    const { matches } = scanChunk({ text, origin: origin() }, engine);
    expect(matches.length).toBeGreaterThan(0);
    for (const m of matches) {
      expect([m.secret, m.origin?.resource, m.origin?.attribute, lineAt(text, m.start)]).toEqual([token, 'aws_lambda_function.hook', 'environment[0].variables.GITHUB_TOKEN', lineOf(text, token)]);
    }
    expect(matches.some((m) => m.ruleId.startsWith('github'))).toBe(true);
  });
});
