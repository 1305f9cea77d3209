#!/usr/bin/env bash
# Installs Debian's chromium for the HTML report's browser test (playwright-core drives it at
# /usr/bin/chromium). Idempotent: does nothing when chromium is already there. Playwright's own
# browser download cannot be used: this machine reaches Debian's and npm's registries only.
set -euo pipefail

if [ -x /usr/bin/chromium ]; then
  exit 0
fi

log() { echo "install-chromium: $*" >&2; }
export DEBIAN_FRONTEND=noninteractive
sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi

log "installing chromium from Debian"
$sudo apt-get update -qq >&2 || true
$sudo apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >&2
test -x /usr/bin/chromium
