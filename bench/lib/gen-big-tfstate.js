// A large v4 Terraform state built at run time, for the memory case of the fault suite (issue 10):
// many resources with many attributes (nested blocks, maps, lists, numbers, nulls), long
// user_data strings, escaped multi-line values, sensitive_attributes and sensitive outputs, with a
// few fake secrets planted at the start, the middle and the end. Written in pieces, so the
// generator itself never holds the whole state.
import fs from 'node:fs';
import { ALPHABETS, createRng } from './prng.js';
import { githubToken, pemPrivateKey } from './fake-secrets.js';

const HEX = '0123456789abcdef';

/** A managed resource with one instance, as Terraform writes it (the provider named by the type's prefix). */
function managed(type, name, instance) {
  const provider = type.slice(0, type.indexOf('_'));
  return { mode: 'managed', type, name, provider: `provider["registry.terraform.io/hashicorp/${provider}"]`, instances: [instance] };
}

/**
 * A WAF IP set: a long list of short strings, the shape that costs a reader the most per byte
 * (about 4 KB minified).
 */
function ipSet(rng, i) {
  const addresses = Array.from({ length: 200 }, () => `${rng.int(1, 223)}.${rng.int(0, 255)}.${rng.int(0, 255)}.${rng.int(0, 255)}/32`);
  return managed('aws_wafv2_ip_set', `blocked_${i}`, {
    schema_version: 0,
    attributes: { addresses, arn: `arn:aws:wafv2:eu-west-1:123456789012:regional/ipset/blocked-${i}/${rng.chars(HEX, 32)}`, ip_address_version: 'IPV4', scope: 'REGIONAL', tags: {} },
    sensitive_attributes: [],
  });
}

/** One filler resource: an aws_instance as a provider writes it (3-4 KB minified), or an IP set. */
function fillerResource(rng, i, ipSets) {
  if (i % 2 === 1 || ipSets === 'all') return ipSet(rng, i);
  const id = `i-${rng.chars(HEX, 17)}`;
  const volumes = Array.from({ length: 3 }, (_, v) => ({
    delete_on_termination: true,
    device_name: `/dev/sd${'bcd'[v]}`,
    encrypted: v % 2 === 0,
    iops: 3000,
    kms_key_id: '',
    snapshot_id: `snap-${rng.chars(HEX, 17)}`,
    tags: { Name: `vol-${i}-${v}`, team: 'platform' },
    throughput: 125,
    volume_id: `vol-${rng.chars(HEX, 17)}`,
    volume_size: 100 + v,
    volume_type: 'gp3',
  }));
  return managed('aws_instance', `web_${i}`, {
    schema_version: 1,
    attributes: {
      ami: `ami-${rng.chars(HEX, 17)}`,
      arn: `arn:aws:ec2:eu-west-1:123456789012:instance/${id}`,
      associate_public_ip_address: false,
      availability_zone: 'eu-west-1a',
      cpu_core_count: 2,
      credit_specification: [],
      ebs_block_device: volumes,
      ebs_optimized: true,
      get_password_data: false,
      iam_instance_profile: '',
      id,
      instance_state: 'running',
      instance_type: 'm5.large',
      ipv6_addresses: [],
      key_name: 'deploy',
      metadata_options: [{ http_endpoint: 'enabled', http_put_response_hop_limit: 1, http_tokens: 'required' }],
      monitoring: false,
      password_data: '',
      private_dns: `ip-10-0-${i % 250}-${i % 200}.eu-west-1.compute.internal`,
      private_ip: `10.0.${i % 250}.${i % 200}`,
      public_ip: '',
      secondary_private_ips: [`10.1.${i % 250}.1`, `10.1.${i % 250}.2`],
      security_groups: [],
      subnet_id: `subnet-${rng.chars(HEX, 17)}`,
      tags: { Name: `web-${i}`, env: 'prod', owner: 'platform', cost_center: String(1000 + (i % 50)) },
      tenancy: 'default',
      timeouts: null,
      user_data: `#!/bin/bash\nset -eu\n${'echo provisioning step; '.repeat(40)}\n`,
      vpc_security_group_ids: [`sg-${rng.chars(HEX, 17)}`],
    },
    sensitive_attributes: [],
    private: rng.chars(ALPHABETS.base64, 120),
    dependencies: ['aws_subnet.main', 'aws_security_group.web'],
  });
}

/** Resources that hold the planted secrets; `tag` keeps their names apart. */
function secretResources(rng, tag) {
  const password = rng.chars(ALPHABETS.base62, 24);
  const token = githubToken(rng);
  const pem = pemPrivateKey(rng, 'RSA', 640);
  const resources = [
    managed('aws_db_instance', `db_${tag}`, { schema_version: 2, attributes: { id: `db-${tag}`, password, username: 'admin' }, sensitive_attributes: [[{ type: 'get_attr', value: 'password' }]] }),
    managed('null_resource', `hook_${tag}`, { schema_version: 0, attributes: { id: tag, triggers: { script: `curl -H "Authorization: token ${token}" https://api.github.com` } }, sensitive_attributes: [] }),
    managed('tls_private_key', `key_${tag}`, { schema_version: 1, attributes: { algorithm: 'RSA', id: tag, private_key_pem: pem }, sensitive_attributes: [] }),
  ];
  const planted = [
    { secret: password, resource: `aws_db_instance.db_${tag}`, attribute: 'password' },
    { secret: token, resource: `null_resource.hook_${tag}`, attribute: 'triggers.script' },
    { secret: pem, resource: `tls_private_key.key_${tag}`, attribute: 'private_key_pem' },
  ];
  return { resources, planted };
}

/**
 * Writes a state of about `bytes` bytes (never more) to `path`; `pretty` indents it as Terraform
 * does, else it is one line. The filler resources alternate instances and IP sets, or are all IP
 * sets with `ipSets: 'all'`. Returns its size and the planted secrets (raw values, for the test to
look for) with the resource and attribute that hold them.
 */
export function writeBigState(path, { bytes, pretty = false, ipSets = 'half', seed = 0x7f5a7e }) {
  const rng = createRng(seed);
  const encode = (value, depth) => {
    if (!pretty) return JSON.stringify(value);
    // Indented as if it sat at `depth` inside the document.
    return JSON.stringify(value, null, 2).replaceAll('\n', `\n${'  '.repeat(depth)}`);
  };
  const nl = pretty ? '\n' : '';
  const ind = (depth) => (pretty ? '  '.repeat(depth) : '');
  const colon = pretty ? ': ' : ':';
  const first = secretResources(rng, 'first');
  const middle = secretResources(rng, 'middle');
  const last = secretResources(rng, 'last');
  const outputToken = githubToken(rng);
  const outputs = { api_token: { value: outputToken, type: 'string', sensitive: true }, region: { value: 'eu-west-1', type: 'string' } };
  const head =
    `{${nl}${ind(1)}"version"${colon}4,${nl}${ind(1)}"terraform_version"${colon}"1.9.5",${nl}${ind(1)}"serial"${colon}42,${nl}` +
    `${ind(1)}"lineage"${colon}"3f1c2b7e-0d4a-4c8e-9b1a-2f6d5e4c3b2a",${nl}${ind(1)}"outputs"${colon}${encode(outputs, 1)},${nl}${ind(1)}"resources"${colon}[`;
  const tail = `${nl}${ind(1)}],${nl}${ind(1)}"check_results"${colon}null${nl}}${nl}`;
  const item = (resource) => nl + ind(2) + encode(resource, 2);
  const lastItems = last.resources.map(item).join(',');
  const fd = fs.openSync(path, 'w');
  try {
    let written = 0;
    const write = (s) => {
      fs.writeSync(fd, s);
      written += Buffer.byteLength(s);
    };
    write(head);
    write(first.resources.map(item).join(','));
    const budget = bytes - Buffer.byteLength(tail) - Buffer.byteLength(lastItems) - 1;
    let middleDone = false;
    for (let i = 0; ; i++) {
      if (!middleDone && written >= budget / 2) {
        const s = ',' + middle.resources.map(item).join(',');
        write(s);
        middleDone = true;
      }
      const s = ',' + item(fillerResource(rng, i, ipSets));
      if (written + Buffer.byteLength(s) + 4096 > budget) break;
      write(s);
    }
    write(',' + lastItems);
    write(tail);
    const output = { secret: outputToken, resource: 'output.api_token', attribute: 'value' };
    return { bytes: written, planted: [output, ...first.planted, ...middle.planted, ...last.planted] };
  } finally {
    fs.closeSync(fd);
  }
}
