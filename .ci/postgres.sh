#!/usr/bin/env bash
# CI: make sure the PostgreSQL server binaries (initdb, pg_ctl, postgres) are installed for tests/pg.
# The tests start their own throwaway cluster (as the 'postgres' user when run as root); nothing is
# started here. Debian/Ubuntu: installs the distribution's 'postgresql' package when the binaries are
# missing. tests/pg fails in CI (CI set) when they are still missing, so a failure here is not hidden.
set -euo pipefail

have_server() {
  compgen -G "/usr/lib/postgresql/*/bin/pg_ctl" >/dev/null || { command -v pg_ctl >/dev/null && command -v initdb >/dev/null; }
}

if have_server; then
  echo "[ci] PostgreSQL server binaries present"
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "[ci] PostgreSQL server binaries missing and no apt-get; install PostgreSQL for tests/pg" >&2
  exit 1
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
# Debian's package creates a default cluster and may start it; the tests do not use it.
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq postgresql
have_server || { echo "[ci] postgresql installed but no server binaries found" >&2; exit 1; }
echo "[ci] PostgreSQL server binaries installed"
