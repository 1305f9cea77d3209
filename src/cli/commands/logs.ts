import { logsSource } from '../../sources/logs/logs-source.js';
import { cacheUsage, commonUsage } from '../common.js';
import { limitsUsage, runFileWalkCommand } from './artifact.js';

export const usage = `leaksweep logs PATH... [options]

Scans CI logs: files, folders of them, gzip'd logs and GitHub Actions run-log zips (the
N_job.txt and job/N_step.txt entries). Lines are normalised before matching: timestamps,
colour codes, GitHub/Azure ##[group]/##[endgroup]/##[debug] markers, GitLab section markers,
the job/step columns of \`gh run view --log\`, Jenkins [timestamps] and \\r progress redraws are
removed, and every finding points at the raw file and line (inside a zip: the job/step file).
Secrets printed base64-encoded (also twice) or percent-encoded are decoded and found; values
the CI masked as *** are not findings.

${limitsUsage}

${cacheUsage}

${commonUsage}`;

export function run(argv: string[]): Promise<number> {
  return runFileWalkCommand(argv, 'logs', logsSource);
}
