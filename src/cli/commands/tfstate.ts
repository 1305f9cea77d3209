import { parseArgs } from 'node:util';
import { TargetError, tfstateSources, type OpenSources } from '../../sources/tfstate-targets.js';
import { cacheOptions, cacheUsage, commonOptions, commonUsage, parseSize, positiveInt, runScanCommand, UsageError } from '../common.js';

export const usage = `leaksweep tfstate TARGET... [options]

Scans Terraform state as state: every string value goes through the rules with its resource
address and attribute, values marked sensitive and known secret attributes are reported
whatever they look like. A TARGET is a state file, a folder (finds *.tfstate, *.tfstate.backup,
terraform.tfstate.d/<workspace>/terraform.tfstate and .terraform/terraform.tfstate) or
s3://bucket[/prefix] (state objects under the prefix, workspaces under env:/ included).

S3 options (credentials come from the AWS SDK's default chain: environment, profiles, SSO, roles):
  --all-versions             scan every object version, noncurrent and deleted ones included
  --all-keys                 take every object but *.tflock, not only *.tfstate keys
  --workspace-key-prefix P   the backend's workspace_key_prefix (default env:)
  --profile NAME             shared config profile
  --region REGION            bucket region (default: from the environment, redirects followed)
  --endpoint-url URL         S3-compatible endpoint (MinIO, Ceph); implies path-style addressing
  --path-style               path-style addressing without --endpoint-url
  --max-object-size SIZE     larger objects are listed in errors, not read (default 100MB)
  --jobs, -j N               also: objects fetched at once (default 8)

${cacheUsage}

${commonUsage}`;

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: {
      ...commonOptions,
      ...cacheOptions,
      'all-versions': { type: 'boolean' },
      'all-keys': { type: 'boolean' },
      'workspace-key-prefix': { type: 'string' },
      profile: { type: 'string' },
      region: { type: 'string' },
      'endpoint-url': { type: 'string' },
      'path-style': { type: 'boolean' },
      'max-object-size': { type: 'string' },
    },
    allowPositionals: true,
  });
  if (positionals.length === 0) throw new UsageError('tfstate needs at least one TARGET (file, folder or s3://bucket[/prefix])');
  const jobs = positiveInt(values.jobs, '--jobs');
  const maxObjectSize = values['max-object-size'] ? parseSize(values['max-object-size'], '--max-object-size') : undefined;
  let opened: OpenSources;
  try {
    opened = await tfstateSources(positionals, {
      root: process.cwd(),
      allVersions: values['all-versions'],
      allKeys: values['all-keys'],
      workspaceKeyPrefix: values['workspace-key-prefix'],
      region: values.region,
      endpoint: values['endpoint-url'],
      profile: values.profile,
      forcePathStyle: values['path-style'] || undefined,
      jobs,
      maxObjectSize,
    });
  } catch (err) {
    if (err instanceof TargetError) throw new UsageError(err.message);
    throw err;
  }
  try {
    return await runScanCommand(opened.sources, values, { root: process.cwd(), cacheScope: { workspaceKeyPrefix: values['workspace-key-prefix'] } });
  } finally {
    opened.close();
  }
}
