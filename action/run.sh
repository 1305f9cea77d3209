#!/usr/bin/env bash
# The GitHub Action's scan step: installs leaksweep from the action's own checkout, scans, writes
# SARIF, and reports exit code and finding count as step outputs and a job summary. It exits 0
# when the scan ran (whatever it found), so the SARIF upload still happens; the action's last
# step fails the job on findings. A usage error (exit 2) fails here, with leaksweep's message.
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
command="${LEAKSWEEP_COMMAND:-git}"
target="${LEAKSWEEP_PATH:-.}"
sarif="${LEAKSWEEP_SARIF:-leaksweep.sarif}"
out="${GITHUB_OUTPUT:-/dev/null}"
summary="${GITHUB_STEP_SUMMARY:-/dev/null}"

if [ -z "${LEAKSWEEP_SKIP_INSTALL:-}" ] && [ ! -f "$here/dist/cli/main.js" ]; then
  (cd "$here" && npm ci --no-audit --no-fund >&2) || { echo "leaksweep: install failed" >&2; exit 2; }
fi

# Extra arguments are split like a shell would, without running anything in them.
read -r -a extra <<< "${LEAKSWEEP_ARGS:-}"
node "$here/bin/leaksweep.js" "$command" "$target" --format sarif --output "$sarif" --no-progress "${extra[@]}"
code=$?
if [ "$code" -eq 2 ]; then
  echo "exit-code=2" >> "$out"
  exit 2
fi
findings=$(node -e 'const r=JSON.parse(require("fs").readFileSync(process.argv[1],"utf8"));console.log(r.runs.reduce((n,run)=>n+run.results.length,0))' "$sarif")
{
  echo "exit-code=$code"
  echo "findings=$findings"
  echo "sarif-file=$sarif"
} >> "$out"
{
  echo "### leaksweep"
  case "$code" in
    0) echo "No secrets found by \`leaksweep $command $target\`." ;;
    1) echo "**$findings finding(s)** from \`leaksweep $command $target\`: see the code scanning alerts (category \`leaksweep\`)." ;;
    *) echo "**The scan was incomplete** (exit $code): some input could not be read; $findings finding(s) reported." ;;
  esac
} >> "$summary"
exit 0
