// The labelled secrets of the evaluation corpus: one maker per kind, in the shapes real
// providers issue, built at run time from the seeded PRNG (no secret-looking literal is
// committed; provider prefixes are assembled from pieces). A maker returns an item:
//   { key, value, secret?, multiline?, formats? }
// `value` is what is written after the key, `secret` the part a scanner must report (default:
// the value), `formats` the file formats the item may appear in (default: any line format).
import { ALPHABETS } from '../../bench/lib/prng.js';
import { awsKeyPair, githubToken, npmToken, pemPrivateKey, slackBotToken } from '../../bench/lib/fake-secrets.js';

const { base62, base64, hex, digits, upperBase32 } = ALPHABETS;
const base64url = base62 + '-_';
const upperAlnum = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const letters = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const bech32 = 'QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L';
/** Formats where a multi-line value can be written as it is. */
export const MULTILINE_FORMATS = ['yaml', 'json', 'hcl', 'python', 'pem'];

/** A random base62 string that starts and ends with an alphanumeric and has a digit. */
function token(rng, n, alphabet = base62) {
  for (;;) {
    const s = rng.chars(alphabet, n);
    if (/[0-9]/.test(s) && /[A-Za-z]/.test(s) && /^[A-Za-z0-9].*[A-Za-z0-9]$/.test(s) && !/(.)\1\1/.test(s)) return s;
  }
}

function base64Of(text) {
  return Buffer.from(text, 'utf8').toString('base64url');
}

function jwt(rng) {
  const header = base64Of(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
  const payload = base64Of(JSON.stringify({ sub: rng.chars(digits, 10), role: 'service', iat: 1700000000 + rng.int(0, 9e6) }));
  return `${header}.${payload}.${token(rng, 43, base64url)}`;
}

/** A password as people and generators make them: mixed classes, sometimes symbols. */
export function password(rng) {
  const style = rng.int(0, 2);
  if (style === 0) return token(rng, rng.int(12, 24));
  if (style === 1) return token(rng, rng.int(10, 16)) + rng.pick(['!', '#', '%', '^', '*', '@']) + rng.chars(digits, 2);
  const words = ['Maple', 'River', 'Copper', 'Falcon', 'Violet', 'Harbor', 'Quartz', 'Ember', 'Tundra', 'Saffron'];
  return rng.pick(words) + rng.pick(['-', '_', '.', '!']) + rng.pick(words).toLowerCase() + rng.chars(digits, rng.int(2, 4)) + rng.pick(['!', '?', '#', '']);
}

const PASSWORD_KEYS = ['db_password', 'password', 'db_pass', 'admin_password', 'smtp_password', 'mysql_root_password', 'redis_password', 'ldap_bind_password', 'keystore_pass', 'rabbitmq_pass', 'pg_passwd', 'passphrase'];
const SECRET_KEYS = ['api_key', 'client_secret', 'secret_key', 'app_secret', 'webhook_secret', 'auth_token', 'access_token', 'signing_key', 'encryption_key', 'session_secret', 'jwt_secret', 'internal_api_token', 'service_token', 'refresh_token', 'master_key'];

function urlCredentials(rng) {
  const pw = password(rng).replace(/[@#?/:]/g, '');
  const [scheme, port, path] = rng.pick([
    ['postgres', 5432, '/orders'],
    ['postgresql', 5432, '/app?sslmode=require'],
    ['mysql', 3306, '/shop'],
    ['mongodb+srv', 0, '/prod?retryWrites=true&w=majority'],
    ['mongodb', 27017, '/admin'],
    ['redis', 6379, '/0'],
    ['rediss', 6380, ''],
    ['amqp', 5672, '/vhost'],
    ['amqps', 5671, ''],
    ['https', 0, '/artifactory/api/npm/npm-virtual/'],
    ['ftp', 21, '/drop'],
    ['smtp', 587, ''],
  ]);
  const user = rng.pick(['app', 'svc_orders', 'deploy', 'ci-bot', 'reporting', 'etl_user', '']);
  const host = `${rng.pick(['db', 'cache', 'mq', 'registry', 'mail', 'cluster0'])}-${rng.chars('abcdefghijklmnopqrstuvwxyz', 5)}.${rng.pick(['internal', 'corp.lan', 'svc.cluster.local', 'a1b2c.mongodb.net'])}`;
  const userinfo = scheme.startsWith('redis') && user === '' ? `:${pw}` : `${user || 'admin'}:${pw}`;
  const url = `${scheme}://${userinfo}@${host}${port ? `:${port}` : ''}${path}`;
  return { key: rng.pick(['database_url', 'broker_url', 'registry_url', 'connection_string', 'dsn', 'mongo_uri', 'redis_url']), value: url, secret: pw };
}

/** kind -> maker(rng) -> item. ≥ 30 kinds; the harness checks the counts. */
export const SECRET_KINDS = {
  'aws-access-key-id': (rng) => ({ key: 'aws_access_key_id', value: awsKeyPair(rng).accessKeyId }),
  'aws-secret-access-key': (rng) => ({ key: 'aws_secret_access_key', value: token(rng, 40, base64), fixedKey: true }),
  'github-pat-classic': (rng) => ({ key: 'github_token', value: githubToken(rng, 'p') }),
  'github-oauth-token': (rng) => ({ key: 'gh_oauth_token', value: githubToken(rng, 'o') }),
  'github-fine-grained-pat': (rng) => ({ key: 'github_pat', value: 'github' + '_pat_' + token(rng, 22) + '_' + token(rng, 59) }),
  'gitlab-pat': (rng) => ({ key: 'gitlab_token', value: 'gl' + 'pat-' + token(rng, 20) }),
  'slack-bot-token': (rng) => ({ key: 'slack_bot_token', value: slackBotToken(rng) }),
  'slack-webhook-url': (rng) => ({
    key: 'slack_webhook',
    value: 'https://hooks.' + 'slack.com/services/T' + rng.chars(upperAlnum, 10) + '/B' + rng.chars(upperAlnum, 10) + '/' + token(rng, 24),
  }),
  'stripe-live-secret-key': (rng) => ({ key: 'stripe_secret_key', value: 'sk' + '_live_' + token(rng, rng.pick([24, 99])) }),
  'openai-project-key': (rng) => ({ key: 'openai_api_key', value: 'sk' + '-proj-' + token(rng, 74, base62) + 'T3Blbk' + 'FJ' + token(rng, 74, base62) }),
  'anthropic-api-key': (rng) => ({ key: 'anthropic_api_key', value: 'sk' + '-ant-api03-' + token(rng, 93, base62) + 'AA' }),
  'google-api-key': (rng) => ({ key: 'google_maps_key', value: 'AI' + 'zaSy' + token(rng, 33, base62) }),
  'npm-access-token': (rng) => ({ key: 'npm_token', value: npmToken(rng) }),
  'pypi-upload-token': (rng) => ({ key: 'pypi_token', value: 'pypi-' + 'AgEIcHlwaS5vcmc' + token(rng, 70, base62) }),
  'sendgrid-api-key': (rng) => ({ key: 'sendgrid_api_key', value: 'S' + 'G.' + token(rng, 22) + '.' + token(rng, 43) }),
  'twilio-api-key': (rng) => ({ key: 'twilio_api_key', value: 'S' + 'K' + token(rng, 32, hex), fixedKey: true }),
  jwt: (rng) => ({ key: 'id_token', value: jwt(rng) }),
  'huggingface-access-token': (rng) => ({ key: 'hf_token', value: 'h' + 'f_' + rng.chars(letters, 34) }),
  'databricks-token': (rng) => ({ key: 'databricks_token', value: 'dap' + 'i' + token(rng, 32, hex) }),
  'digitalocean-pat': (rng) => ({ key: 'do_token', value: 'dop' + '_v1_' + token(rng, 64, hex) }),
  'shopify-access-token': (rng) => ({ key: 'shopify_token', value: 'shp' + 'at_' + token(rng, 32, hex) }),
  'dockerhub-pat': (rng) => ({ key: 'docker_token', value: 'dckr' + '_pat_' + token(rng, 27) }),
  'age-secret-key': (rng) => ({ key: 'sops_age_key', value: 'AGE-SECRET' + '-KEY-1' + rng.chars(bech32, 58) }),
  'postman-api-key': (rng) => ({ key: 'postman_key', value: 'PM' + 'AK-' + token(rng, 24, hex) + '-' + token(rng, 34, hex) }),
  'linear-api-key': (rng) => ({ key: 'linear_key', value: 'lin' + '_api_' + token(rng, 40) }),
  'doppler-personal-token': (rng) => ({ key: 'doppler_token', value: 'dp' + '.pt.' + token(rng, 43) }),
  'telegram-bot-token': (rng) => ({ key: 'telegram_bot_token', value: String(rng.int(1, 9)) + rng.chars(digits, 9) + ':AA' + token(rng, 33) }),
  'discord-webhook-url': (rng) => ({
    key: 'discord_webhook',
    value: 'https://discord.com/api/' + 'webhooks/' + String(rng.int(1, 9)) + rng.chars(digits, 17) + '/' + token(rng, 68),
  }),
  'vault-service-token': (rng) => ({ key: 'vault_token', value: 'hv' + 's.' + token(rng, 95) }),
  'datadog-api-key': (rng) => ({ key: 'dd_api_key', value: token(rng, 32, hex), fixedKey: true }),
  'azure-storage-account-key': (rng) => {
    const key = token(rng, 86, base64) + '==';
    return { key: 'storage_connection', value: `DefaultEndpointsProtocol=https;AccountName=st${rng.chars('abcdefghijklmnopqrstuvwxyz', 8)};AccountKey=${key};EndpointSuffix=core.windows.net`, secret: key };
  },
  'private-key-rsa': (rng) => ({ key: 'tls_key', value: pemPrivateKey(rng, 'RSA', 1588), multiline: true }),
  'private-key-ec': (rng) => ({ key: 'signing_key_pem', value: pemPrivateKey(rng, 'EC', 220), multiline: true }),
  'private-key-openssh': (rng) => ({ key: 'deploy_key', value: pemPrivateKey(rng, 'OPENSSH', 1800), multiline: true }),
  'url-credentials': urlCredentials,
  'url-query-password': (rng) => {
    const pw = password(rng).replace(/[&#?/:@]/g, '');
    return { key: 'jdbc_url', value: `jdbc:postgresql://db-${rng.int(1, 9)}.internal:5432/orders?user=app&password=${pw}&ssl=true`, secret: pw };
  },
  'netrc-password': (rng) => {
    const pw = password(rng);
    return { raw: `machine ${rng.pick(['api.heroku.com', 'git.corp.internal', 'ftp.partner.example'])} login deploy password ${pw}`, secret: pw, formats: ['markdown', 'log'] };
  },
  'docker-config-auth': (rng) => {
    const auth = Buffer.from(`ci-bot:${token(rng, 24)}`).toString('base64');
    return { raw: `{"auths": {"registry.corp.internal": {"auth": "${auth}"}}}`, secret: auth, formats: ['markdown', 'log'] };
  },
  'compose-environment': (rng) => {
    const pw = password(rng);
    return { raw: `      - ${rng.pick(['POSTGRES_PASSWORD', 'MYSQL_ROOT_PASSWORD', 'RABBITMQ_DEFAULT_PASS', 'MINIO_ROOT_PASSWORD'])}=${pw}`, secret: pw, formats: ['yaml'] };
  },
  'password-assignment': (rng) => ({ key: rng.pick(PASSWORD_KEYS), value: password(rng) }),
  'secret-assignment': (rng) => ({ key: rng.pick(SECRET_KEYS), value: token(rng, rng.pick([24, 32, 40, 48]), rng.pick([base62, hex, base64url])) }),
  'authorization-header': (rng) => {
    const secret = token(rng, rng.pick([32, 40]));
    return { key: 'Authorization', value: rng.pick(['Bearer ', 'token ']) + secret, secret, fixedKey: true, formats: ['yaml', 'json', 'python', 'js', 'shell', 'log', 'markdown'] };
  },
};
