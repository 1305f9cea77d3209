// Finding the gitleaks binary to compare against, and reading its JSON report.
import fs from 'node:fs';
import path from 'node:path';

/** Where the peers installer (/work/shared/peers/install.sh) puts gitleaks 8.16. */
export const PEER_GITLEAKS = '/tmp/leaksweep-peers/gitleaks/usr/bin/gitleaks';

function isExecutable(file) {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/** gitleaks on PATH, else the peers install, else undefined. */
export function findGitleaks(searchPath = process.env.PATH ?? '', fallback = PEER_GITLEAKS) {
  for (const dir of searchPath.split(path.delimiter)) {
    if (dir && isExecutable(path.join(dir, 'gitleaks'))) return path.join(dir, 'gitleaks');
  }
  return isExecutable(fallback) ? fallback : undefined;
}

/** Arguments for a plain-directory scan that writes a JSON report and never fails on leaks. */
export function gitleaksDirArgs(source, reportPath) {
  return ['detect', '--no-git', '--no-banner', '--source', source, '--report-format', 'json', '--report-path', reportPath, '--exit-code', '0'];
}
