import { parseArgs } from 'node:util';
import { TfstateSource } from '../../sources/tfstate.js';
import type { Source } from '../../sources/source.js';
import { parseS3Url, type S3Target } from '../../sources/s3/target.js';
import { commonOptions, commonUsage, parseSize, runScanCommand, UsageError } from '../common.js';

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

${commonUsage}`;

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: {
      ...commonOptions,
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
  const s3Targets: S3Target[] = [];
  const paths: string[] = [];
  for (const target of positionals) {
    if (!target.startsWith('s3://')) {
      paths.push(target);
      continue;
    }
    const parsed = parseS3Url(target);
    if (!parsed) throw new UsageError(`"${target}" is not an s3://bucket[/prefix] URL`);
    s3Targets.push(parsed);
  }
  const jobs = values.jobs !== undefined && /^\d+$/.test(values.jobs) ? Number(values.jobs) : undefined;
  const maxObjectSize = values['max-object-size'] ? parseSize(values['max-object-size'], '--max-object-size') : undefined;

  const sources: Source[] = [];
  if (paths.length > 0) sources.push(new TfstateSource({ paths, root: process.cwd() }));
  let close = (): void => {};
  if (s3Targets.length > 0) {
    // Loaded only here: the SDK is large and most scans never need it.
    const [{ connectS3 }, { S3Source }] = await Promise.all([import('../../sources/s3/client.js'), import('../../sources/s3/source.js')]);
    const connection = await connectS3({
      region: values.region,
      endpoint: values['endpoint-url'],
      profile: values.profile,
      forcePathStyle: values['path-style'] || undefined,
    });
    close = () => connection.client.destroy();
    sources.push(
      new S3Source({
        targets: s3Targets,
        connection,
        allVersions: values['all-versions'],
        anyKey: values['all-keys'],
        workspaceKeyPrefix: values['workspace-key-prefix'],
        jobs,
        maxObjectSize,
      }),
    );
  }
  try {
    return await runScanCommand(sources, values, { root: process.cwd() });
  } finally {
    close();
  }
}
