#!/usr/bin/env bash
# Starts a local S3-compatible server (moto) on 127.0.0.1 for the S3 tests and benchmark, and
# prints its endpoint URL on stdout (the only line on stdout; progress goes to stderr).
#
# Debian 12 has no moto and this machine reaches no PyPI, so moto and antlr4 come from Debian 13
# ("trixie") as architecture-independent packages, fetched with a private apt source list and
# unpacked into a private folder: the system's apt sources are never touched. Idempotent: a
# second run reuses the unpacked files and the running server.
#
# Environment:
#   LEAKSWEEP_MOTO_DIR   private folder (default /tmp/leaksweep-moto)
#   LEAKSWEEP_MOTO_PORT  port (default 50555)
set -euo pipefail

dir="${LEAKSWEEP_MOTO_DIR:-/tmp/leaksweep-moto}"
port="${LEAKSWEEP_MOTO_PORT:-50555}"
endpoint="http://127.0.0.1:${port}"
root="$dir/root"
site="$root/usr/lib/python3/dist-packages"
log() { echo "moto-server: $*" >&2; }

is_up() { curl -fsS -o /dev/null --max-time 2 "$endpoint/moto-api/" 2>/dev/null; }

if is_up; then
  echo "$endpoint"
  exit 0
fi

mkdir -p "$dir"
# Test files may call this at the same time: one installs and starts, the others wait.
exec 9>"$dir/.lock"
flock 9
if is_up; then
  echo "$endpoint"
  exit 0
fi

# moto's own Python dependencies are in Debian 12.
py_deps='import flask, flask_cors, werkzeug, boto3, xmltodict, responses, jinja2, dateutil, cryptography, requests, yaml'
if ! /usr/bin/python3 -c "$py_deps" 2>/dev/null; then
  log "installing moto's dependencies from Debian 12"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2 || true
  apt-get install -y -qq python3-flask python3-flask-cors python3-werkzeug python3-boto3 \
    python3-xmltodict python3-responses python3-jinja2 python3-dateutil python3-cryptography \
    python3-requests python3-yaml >&2
fi

if [ ! -d "$site/moto" ] || [ ! -d "$site/antlr4" ]; then
  log "fetching python3-moto and python3-antlr4 from Debian 13 into $dir"
  # Reuse the mirror the system already uses, with the trixie suite, in a private list.
  mirror="$(awk '/^URIs:/ && $2 !~ /security/ { print $2; exit }' /etc/apt/sources.list.d/*.sources 2>/dev/null || true)"
  mirror="${mirror:-http://deb.debian.org/debian}"
  mkdir -p "$dir/apt/lists/partial" "$dir/apt/cache/archives/partial" "$dir/debs"
  echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $mirror trixie main" > "$dir/apt/sources.list"
  apt_opts=(
    -o "Dir::Etc::sourcelist=$dir/apt/sources.list"
    -o "Dir::Etc::sourceparts=-"
    -o "Dir::State::Lists=$dir/apt/lists"
    -o "Dir::Cache=$dir/apt/cache"
    -o "APT::Get::List-Cleanup=0"
  )
  apt-get "${apt_opts[@]}" update -qq >&2
  (cd "$dir/debs" && apt-get "${apt_opts[@]}" download python3-moto python3-antlr4 >&2)
  for deb in "$dir"/debs/*.deb; do dpkg -x "$deb" "$root"; done
fi

log "starting moto on $endpoint"
PYTHONPATH="$site" nohup /usr/bin/python3 -m moto.server -H 127.0.0.1 -p "$port" \
  > "$dir/server.log" 2>&1 < /dev/null &
echo $! > "$dir/server.pid"

for _ in $(seq 1 100); do
  if is_up; then
    echo "$endpoint"
    exit 0
  fi
  if ! kill -0 "$(cat "$dir/server.pid")" 2>/dev/null; then break; fi
  sleep 0.2
done
log "moto did not start; its log:"
tail -n 30 "$dir/server.log" >&2 || true
exit 1
