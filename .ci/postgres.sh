#!/usr/bin/env bash
# Install Debian's PostgreSQL server when initdb is missing, so that the service's store
# tests can start a throw-away cluster of their own (tests/service_pg.py). Idempotent;
# non-interactive; needs root (as CI and the sessions are). Starts no server: the tests do.
set -euo pipefail
find_initdb() {
  command -v initdb 2>/dev/null || ls /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sort -V | tail -n 1
}
if [ -z "$(find_initdb)" ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends postgresql > /dev/null
fi
echo "postgres: $(find_initdb)"
