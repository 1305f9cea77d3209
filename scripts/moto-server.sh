#!/usr/bin/env bash
# A local S3-compatible server (moto) on 127.0.0.1 for the S3 tests and benchmark.
#
#   scripts/moto-server.sh [start]   installs moto if needed, starts the server unless it is up, and
#                                    prints its endpoint URL (the only line on stdout; progress
#                                    goes to stderr)
#   scripts/moto-server.sh install   only installs moto (CI setup), starts nothing
#   scripts/moto-server.sh stop      stops the server started on this port
#
# Debian 12 has no moto and this machine reaches no PyPI, so moto and antlr4 come from Debian 13
# ("trixie") as architecture-independent packages, fetched with a private apt source list and
# unpacked into a private folder: the system's apt sources are never touched. Idempotent: a
# second run reuses the unpacked files and the running server.
#
# Environment:
#   LEAKSWEEP_MOTO_DIR    private folder (default /tmp/leaksweep-moto)
#   LEAKSWEEP_MOTO_PORT   port (default 50555)
#   LEAKSWEEP_MOTO_OWNER  a token, e.g. a test run's id: `start` records it when it starts the
#                         server, and `stop` with a token stops only a server started with the
#                         same one (the suite stops the server it started and no other)
#   MOTO_*                moto's own settings, for a server this script starts
set -euo pipefail

command="${1:-start}"
dir="${LEAKSWEEP_MOTO_DIR:-/tmp/leaksweep-moto}"
port="${LEAKSWEEP_MOTO_PORT:-50555}"
owner="${LEAKSWEEP_MOTO_OWNER:-}"
endpoint="http://127.0.0.1:${port}"
root="$dir/root"
site="$root/usr/lib/python3/dist-packages"
pid_file="$dir/server-$port.pid"
owner_file="$dir/server-$port.owner"
log_file="$dir/server-$port.log"
# How long to wait for another call of this script that holds the lock (it may be installing).
lock_wait=240
# How long a running server may take to answer (starting, or busy under load) before we give up.
answer_wait=60
log() { echo "moto-server: $*" >&2; }

is_up() { curl -fsS -o /dev/null --max-time 2 "$endpoint/moto-api/" 2>/dev/null; }

# Something listens on the port (a server started another way, or one too busy to answer yet).
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; }

# The pid of the moto server this script started on this port, if it still runs.
running_pid() {
  local pid
  pid="$(cat "$pid_file" 2>/dev/null)" || return 1
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 1
  tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null | grep -q -- "moto.server .*-p $port" || return 1
  echo "$pid"
}

# Polls until the server answers, for at most $1 seconds; gives up early if process $2 is gone.
wait_up() {
  local deadline=$((SECONDS + $1))
  while [ "$SECONDS" -lt "$deadline" ]; do
    if is_up; then return 0; fi
    if [ -n "${2:-}" ] && ! kill -0 "$2" 2>/dev/null; then return 1; fi
    sleep 0.2
  done
  return 1
}

# Callers may run at the same time (test files, a benchmark): one installs or starts, the others
# wait here, a bounded time. The server never holds this lock (it is started with fd 9 closed);
# servers started by older versions of this script do hold theirs, named .lock, so this is another.
take_lock() {
  mkdir -p "$dir"
  exec 9>"$dir/.setup.lock"
  if ! flock -w "$lock_wait" 9; then
    log "gave up after ${lock_wait}s waiting for $dir/.setup.lock (held by: $(fuser "$dir/.setup.lock" 2>/dev/null || echo unknown))"
    exit 1
  fi
}

install_moto() {
  # moto's own Python dependencies are in Debian 12.
  local py_deps='import flask, flask_cors, werkzeug, boto3, xmltodict, responses, jinja2, dateutil, cryptography, requests, yaml'
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
    local mirror
    mirror="$(awk '/^URIs:/ && $2 !~ /security/ { print $2; exit }' /etc/apt/sources.list.d/*.sources 2>/dev/null || true)"
    mirror="${mirror:-http://deb.debian.org/debian}"
    mkdir -p "$dir/apt/lists/partial" "$dir/apt/cache/archives/partial" "$dir/debs"
    echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $mirror trixie main" > "$dir/apt/sources.list"
    local apt_opts=(
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
}

start() {
  if is_up; then
    echo "$endpoint"
    return
  fi
  take_lock
  # A server that runs but did not answer the probe is starting or busy: wait for it rather than
  # start a second one on its port.
  local pid=""
  if pid="$(running_pid)" || port_open; then
    if wait_up "$answer_wait" "$pid"; then
      echo "$endpoint"
      return
    fi
    log "a server on port $port (pid ${pid:-unknown}) did not answer on $endpoint within ${answer_wait}s"
    tail -n 30 "$log_file" >&2 2>/dev/null || true
    exit 1
  fi
  install_moto
  log "starting moto on $endpoint"
  # 9>&-: the server must not inherit the lock, or it would hold it for its whole life.
  PYTHONPATH="$site" nohup /usr/bin/python3 -m moto.server -H 127.0.0.1 -p "$port" \
    > "$log_file" 2>&1 < /dev/null 9>&- &
  pid=$!
  echo "$pid" > "$pid_file"
  printf '%s\n' "$owner" > "$owner_file"
  if wait_up "$answer_wait" "$pid"; then
    echo "$endpoint"
    return
  fi
  log "moto did not start; its log:"
  tail -n 30 "$log_file" >&2 || true
  kill "$pid" 2>/dev/null || true
  exit 1
}

stop() {
  # A run that did not start the server leaves it alone, quietly and without waiting for the lock.
  if [ -n "$owner" ] && [ "$(cat "$owner_file" 2>/dev/null)" != "$owner" ]; then
    return
  fi
  take_lock
  local pid
  if ! pid="$(running_pid)"; then
    rm -f "$pid_file" "$owner_file"
    return
  fi
  kill "$pid"
  for _ in $(seq 1 50); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  kill -9 "$pid" 2>/dev/null || true
  rm -f "$pid_file" "$owner_file"
  log "stopped moto on $endpoint"
}

command -v curl > /dev/null || { log "needs curl (apt-get install curl)"; exit 1; }
case "$command" in
  start) start ;;
  install) take_lock; install_moto ;;
  stop) stop ;;
  *) log "usage: $0 [start|install|stop]"; exit 2 ;;
esac
