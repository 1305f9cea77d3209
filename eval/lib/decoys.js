// The labelled decoys of the evaluation corpus: values a naive scanner reports and a good one
// must not. One maker per false-positive class of issue 3; each returns an item like the
// secret makers do (see secrets.js), plus `code` (written unquoted, as code) or `raw` (a
// whole line written as it is). Documented example values are published by the providers
// themselves; they are assembled from pieces here so this file holds no token-shaped literal.
import { ALPHABETS } from '../../bench/lib/prng.js';

const { base62, base64, hex } = ALPHABETS;

const DOCUMENTED = [
  { key: 'aws_access_key_id', value: 'AKIA' + 'IOSFODNN7' + 'EXAMPLE' },
  { key: 'aws_secret_access_key', value: 'wJalrXUtnFEMI/K7MDENG/' + 'bPxRfiCY' + 'EXAMPLEKEY', fixedKey: true },
  { key: 'github_token', value: 'gh' + 'p_16C7e42F292c6912E7710c' + '838347Ae178B4a' },
  { key: 'stripe_secret_key', value: 'sk_' + 'test_4eC39HqLyjWDarjtT1zdp7dc' },
  { key: 'stripe_publishable_key', value: 'pk_' + 'test_TYooMQauvdEDq54NiTphI7jx' },
  { key: 'stripe_secret_key', value: 'sk_' + 'test_BQokikJOvBiI2HlWgH4olfQ2' },
  { key: 'slack_bot_token', value: 'xox' + 'b-17653672481-19874698323-' + 'pdFZKVeTuE8sk7oOcBrzbqgy' },
  {
    key: 'id_token',
    value: 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9' + '.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ' + '.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c',
  },
  {
    key: 'storage_connection',
    value: 'DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=' + 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==' + ';BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1;',
  },
  { key: 'mailgun_api_key', value: 'key-' + '3ax6xnjp29jd6fds4gc373sgvjxteol0', fixedKey: true },
  { key: 'google_maps_key', value: 'AIza' + 'SyDaGmWKa4JsXZ-HjGw7ISLn_3namBGewQe' },
];

const PROVIDER_SHAPED_FILLER = [
  () => 'sk' + '_live_' + 'x'.repeat(24),
  () => 'gh' + 'p_' + 'x'.repeat(36),
  () => 'AKIA' + 'X'.repeat(16),
  () => 'xox' + 'b-' + 'x'.repeat(11) + '-' + 'x'.repeat(12) + '-' + 'x'.repeat(24),
  () => 'x'.repeat(32),
  () => 'XXXXXXXXXXXXXXXXXXXXXXXX',
];
const MASKS = ['********', '****************', '••••••••••', 'sk' + '_live_' + '*'.repeat(24), 'REDACTED', '[REDACTED]', '[MASKED]'];
const ANGLE = ['<your-api-key>', '<YOUR_GITHUB_TOKEN>', '<password>', '<insert token here>', '<db-password>', '<client-secret>'];
const TEMPLATES = ['${DB_PASSWORD}', '{{ .Values.apiKey }}', '$(cat /run/secrets/api_token)', '%s', '${{ secrets.NPM_TOKEN }}', '%(password)s', '{{ vault "secret/data/app" }}', '#{OctopusApiKey}', '${env:API_TOKEN}', '{0}'];
const WORDS = ['changeme', 'password', 'example', 'dummy', 'test', 'your_api_key_here', 'replace-me', 'secret', 'not-a-real-token', 'fake-key-for-tests', 'TODO', 'password123', 'example-secret-value'];
const SEQUENCES = ['1234567890abcdef', 'abcdefghijklmnopqrstuvwx', 'aaaaaaaaaaaaaaaaaaaa', 'abc123abc123abc123abc123', '0123456789012345', 'ABCDEFGHIJKLMNOP', 'qwertyuiopasdfgh'];

const SECRETISH_KEYS = ['api_key', 'password', 'client_secret', 'auth_token', 'secret_key', 'db_password', 'access_token', 'github_token', 'stripe_secret_key', 'aws_secret_access_key'];

/** Code that reads the secret from somewhere else, by language. */
const REFERENCES = [
  { formats: ['python'], value: 'os.getenv("DB_PASSWORD")', key: 'db_password' },
  { formats: ['python'], value: 'os.environ["API_TOKEN"]', key: 'api_token' },
  { formats: ['python'], value: 'settings.SECRET_KEY', key: 'secret_key' },
  { formats: ['js', 'ts'], value: 'process.env.STRIPE_SECRET_KEY', key: 'stripe_secret_key' },
  { formats: ['js', 'ts'], value: 'import.meta.env.VITE_API_KEY', key: 'api_key' },
  { formats: ['hcl'], value: 'var.db_password', key: 'password' },
  { formats: ['hcl'], value: 'data.aws_secretsmanager_secret_version.db.secret_string', key: 'master_password' },
  { formats: ['hcl'], value: 'local.client_secret', key: 'client_secret' },
  { formats: ['java'], value: 'System.getenv("API_TOKEN")', key: 'api_token' },
  { formats: ['go'], value: 'os.Getenv("AUTH_TOKEN")', key: 'auth_token' },
  { formats: ['yaml'], value: '${{ secrets.DEPLOY_TOKEN }}', key: 'deploy_token', quoted: false },
  { formats: ['yaml'], value: '{{ .Values.postgresql.password }}', key: 'password' },
  { formats: ['env', 'shell'], value: '$DB_PASSWORD', key: 'database_password' },
  { formats: ['json'], value: 'secrets.API_KEY', key: 'api_key' },
];

function uuid(rng) {
  const h = (n) => rng.chars(hex, n);
  return `${h(8)}-${h(4)}-4${h(3)}-${rng.pick(['8', '9', 'a', 'b'])}${h(3)}-${h(12)}`;
}

/** Base64 of bytes: `prefix` (hex) then random bytes, `total` bytes long. */
function derBase64(rng, prefixHex, total) {
  const prefix = Buffer.from(prefixHex, 'hex');
  const rest = Buffer.from(Array.from({ length: total - prefix.length }, () => rng.int(0, 255)));
  return Buffer.concat([prefix, rest]).toString('base64');
}

export function spkiPublicKey(rng) {
  return rng.chance(0.5)
    ? derBase64(rng, '3059301306072a8648ce3d020106082a8648ce3d030107034200', 91) // EC P-256
    : derBase64(rng, '30820122300d06092a864886f70d01010105000382010f00', 294); // RSA 2048
}

export function certificateBase64(rng) {
  return derBase64(rng, '30820377308202' + '5fa003020102', 891);
}

export function sshPublicKey(rng) {
  return rng.chance(0.5)
    ? 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI' + rng.chars(base64, 43) + ' deploy@ci-runner'
    : 'ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABgQ' + rng.chars(base64, 510) + '= ops@bastion';
}

function dataUri(rng) {
  const [mime, magic] = rng.pick([
    ['image/png', 'iVBORw0KGgoAAAANSUhEUgAA'],
    ['image/gif', 'R0lGODlhAQABAIAAAP'],
    ['image/jpeg', '/9j/4AAQSkZJRgABAQ'],
    ['font/woff2', 'd09GMgABAAAAA'],
    ['image/svg+xml', 'PHN2ZyB4bWxucz0iaHR0cDovL3d3dy53My5vcmcv'],
  ]);
  return `data:${mime};base64,${magic}${rng.chars(base64, rng.int(120, 400))}`;
}

/** kind -> maker(rng, index) -> item. */
export const DECOY_KINDS = {
  'documented-example': (rng, i) => ({ ...DOCUMENTED[i % DOCUMENTED.length] }),
  'placeholder-filler': (rng, i) => ({ key: rng.pick(SECRETISH_KEYS), value: PROVIDER_SHAPED_FILLER[i % PROVIDER_SHAPED_FILLER.length]() }),
  'placeholder-mask': (rng, i) => ({ key: rng.pick(SECRETISH_KEYS), value: MASKS[i % MASKS.length] }),
  'placeholder-angle': (rng, i) => ({ key: rng.pick(SECRETISH_KEYS), value: ANGLE[i % ANGLE.length] }),
  'placeholder-template': (rng, i) => ({ key: rng.pick(SECRETISH_KEYS), value: TEMPLATES[i % TEMPLATES.length], formats: ['yaml', 'json', 'toml', 'ini', 'env', 'hcl', 'properties', 'python', 'xml'] }),
  'placeholder-word': (rng, i) => ({ key: rng.pick(SECRETISH_KEYS), value: WORDS[i % WORDS.length] }),
  'placeholder-sequence': (rng, i) => ({ key: rng.pick(SECRETISH_KEYS), value: SEQUENCES[i % SEQUENCES.length] }),
  reference: (rng, i) => ({ ...REFERENCES[i % REFERENCES.length], code: true }),
  'git-sha': (rng, i) => {
    const sha = rng.chars(hex, 40);
    return [
      { key: 'commit', value: sha },
      { key: 'git_commit', value: sha },
      { key: 'gitHead', value: sha, formats: ['json'] },
      { raw: `      - uses: actions/checkout@${sha} # v4`, formats: ['yaml'] },
      { key: 'rev', value: sha, formats: ['toml', 'yaml', 'json'] },
      { raw: `${new Date(1714557600000 + i * 1000).toISOString()} HEAD is now at ${sha} Merge pull request`, formats: ['log'] },
    ][i % 6];
  },
  'sha256-digest': (rng, i) => {
    const digest = rng.chars(hex, 64);
    return [
      { raw: `    image: registry.internal/api@sha256:${digest}`, formats: ['yaml'] },
      { key: 'sha256', value: digest },
      { key: 'checksum', value: `sha256:${digest}` },
      { key: 'image_digest', value: `sha256:${digest}` },
      { raw: `${digest}  dist/app-linux-amd64.tar.gz`, formats: ['markdown', 'log'] },
    ][i % 5];
  },
  'sri-integrity': (rng, i) => {
    const sri = i % 2 === 0 ? `sha384-${rng.chars(base64, 64)}` : `sha512-${rng.chars(base64, 86)}==`;
    return i % 3 === 0
      ? { raw: `<script src="https://cdn.example.net/lib.min.js" integrity="${sri}" crossorigin="anonymous"></script>`, formats: ['markdown', 'xml'] }
      : { key: 'integrity', value: sri, formats: ['json', 'yaml'] };
  },
  uuid: (rng, i) => ({ key: ['request_id', 'trace_id', 'tenant_id', 'subscription_id', 'client_token', 'idempotency_token', 'correlation_id', 'session_token'][i % 8], value: uuid(rng) }),
  'ssh-public-key': (rng) => ({ key: 'ssh_public_key', value: sshPublicKey(rng), formats: ['yaml', 'json', 'hcl', 'toml', 'python'] }),
  'spki-public-key': (rng, i) => ({ key: ['public_key', 'jwt_public_key', 'verification_key', 'signing_public_key'][i % 4], value: spkiPublicKey(rng) }),
  'certificate-base64': (rng, i) => ({ key: ['ca_cert', 'x5c', 'client_certificate', 'tls_crt'][i % 4], value: certificateBase64(rng) }),
  'data-uri': (rng, i) => {
    const uri = dataUri(rng);
    return [
      { raw: `.logo { background-image: url("${uri}"); }`, formats: ['markdown'] },
      { key: 'icon', value: uri, formats: ['json', 'yaml', 'js', 'ts', 'python'] },
      { raw: `<img alt="logo" src="${uri}" />`, formats: ['markdown', 'xml'] },
    ][i % 3];
  },
  prose: (rng, i) => ({
    raw: [
      'Your password must be at least 12 characters long and contain a digit.',
      'Rotate the API token every 90 days; the secret key is stored in Vault.',
      '# The client_secret is read from the environment at startup.',
      'If the token expired, request a new access token with the refresh token.',
      'Never commit credentials: use the password manager instead.',
    ][i % 5],
    formats: ['markdown', 'log'],
  }),
  declaration: (rng, i) => ({
    raw: [
      '  password: string;',
      '\tPassword string `json:"password" yaml:"password"`',
      '    private String apiToken;',
      '  password VARCHAR(255) NOT NULL,',
      'def login(username: str, password: str | None = None) -> Session:',
      '    @Column(name = "password_hash", nullable = false)',
      '        secretKeyRef: { name: app-secrets, key: api-token }',
      'export type Credentials = { accessKeyId: string; secretAccessKey: string };',
    ][i % 8],
    formats: ['markdown'],
  }),
  'random-id': (rng, i) => ({ key: ['build_id', 'instance_id', 'etag', 'object_version', 'trace_parent'][i % 5], value: rng.chars(base62, 24) }),
};

export { uuid };
