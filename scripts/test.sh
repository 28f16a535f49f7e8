#!/usr/bin/env bash
# The whole test suite on a fresh machine: installs and starts PostgreSQL and headless
# Chromium when it can, runs every test on SQLite and PostgreSQL, then the browser tests.
#   bash scripts/test.sh                      # PostgreSQL tests skip if no server can be had
#   bash scripts/test.sh --require-postgres   # as CI: no PostgreSQL or Chromium is a failure
set -euo pipefail
cd "$(dirname "$0")/.."

require_pg=0
[ "${1:-}" = "--require-postgres" ] && require_pg=1

PG_URL="${EMIS_TEST_POSTGRES_URL:-postgres://emis:emis@127.0.0.1:5432/emis_test}"

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

start_postgres() {
  if ! command -v pg_ctlcluster >/dev/null 2>&1; then
    echo "== installing PostgreSQL"
    as_root apt-get update -q
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -q postgresql
  fi
  local version
  version=$(ls /usr/lib/postgresql | sort -n | tail -1)
  if ! pg_lsclusters -h 2>/dev/null | grep -q "^$version main"; then
    as_root pg_createcluster "$version" main
  fi
  as_root pg_ctlcluster "$version" main start 2>/dev/null || true
  # After an unclean stop the server replays its WAL before it accepts connections
  # ("not yet accepting connections"): wait for that, up to five minutes.
  local ready=0
  for _ in $(seq 1 300); do
    if as_root su postgres -c "psql -qtAc 'select 1'" >/dev/null 2>&1; then ready=1; break; fi
    sleep 1
  done
  if [ "$ready" != 1 ]; then
    echo "PostgreSQL did not accept connections within 300 s" >&2
    return 1
  fi
  as_root su postgres -c "psql -qtAc \"DO \\\$\\\$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'emis') THEN CREATE ROLE emis LOGIN PASSWORD 'emis'; END IF; END \\\$\\\$;\""
  # Each test makes its own schema in emis_test and leaves it for inspection; start every
  # run from an empty database so that they do not pile up across runs (and slow the
  # server's crash recovery, which syncs every file).
  as_root su postgres -c "dropdb --if-exists --force emis_test"
  as_root su postgres -c "createdb -O emis emis_test"
}

if start_postgres; then
  echo "== PostgreSQL ready at $PG_URL"
else
  if [ "$require_pg" = 1 ]; then echo "PostgreSQL could not be started: CI requires it" >&2; exit 1; fi
  echo "== PostgreSQL unavailable: its tests will be skipped"
fi

export EMIS_TEST_POSTGRES_URL="$PG_URL"
[ "$require_pg" = 1 ] && export EMIS_TEST_REQUIRE_POSTGRES=1

# Headless Chromium and CJK fonts for the browser tests, and LibreOffice Writer for the test
# that opens the annual summary's .docx in an office suite (Debian packages).
if ! command -v chromium >/dev/null 2>&1 || ! command -v soffice >/dev/null 2>&1; then
  echo "== installing chromium, fonts-noto-cjk and libreoffice-writer-nogui"
  if ! (as_root apt-get update -q && DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -q chromium fonts-noto-cjk libreoffice-writer-nogui); then
    if [ "$require_pg" = 1 ]; then echo "chromium could not be installed: CI requires the browser tests" >&2; exit 1; fi
  fi
fi

# A debug build of the workspace with its tests takes about 5 GB; say so plainly rather than
# fail later inside rustc with "No space left on device".
free_kb=$(df -Pk . | awk 'NR == 2 { print $4 }')
if [ "${free_kb:-0}" -lt 8000000 ]; then
  echo "== warning: only $((free_kb / 1024)) MB free here; the build needs about 8 GB" >&2
fi

status=0
if [ "$require_pg" = 1 ]; then
  echo "== cargo fmt --check and clippy -D warnings"
  cargo fmt --all -- --check || status=1
  cargo clippy -q --workspace --all-targets -- -D warnings || status=1
fi
if command -v cargo-nextest >/dev/null 2>&1; then
  cargo nextest run --workspace --no-fail-fast || status=$?
else
  cargo test --workspace --no-fail-fast || status=$?
fi

# Browser tests drive the debug `emis` binary the Rust tests just built.
if command -v chromium >/dev/null 2>&1 && command -v node >/dev/null 2>&1; then
  echo "== browser tests (headless Chromium)"
  cargo build -q -p emis
  (cd browser-tests && npm install --no-audit --no-fund --silent && EMIS_BIN="$PWD/../target/debug/emis" node --test) || status=$?
else
  if [ "$require_pg" = 1 ]; then echo "chromium or node missing: CI requires the browser tests" >&2; exit 1; fi
  echo "SKIPPED: browser tests (no chromium or node on this machine)"
fi
# Soak smoke: 10 clients for 20 s on pages, API reads and writes with a web import running;
# no error allowed (the 10-minute, 50-client run is a benchmark: bash scripts/soak.sh).
echo "== soak smoke"
SECONDS_TOTAL=20 CLIENTS=10 MAX_GROWTH=10 PORT=18283 EMIS_BIN="$PWD/target/debug/emis" \
  bash scripts/soak.sh 2>&1 | grep -v " INFO \| WARN " || status=1

# Fuzz smoke: every libFuzzer target for FUZZ_SECONDS (default 60) on nightly with
# cargo-fuzz; the 10-million-run campaign is a benchmark (scripts/fuzz.sh runs 10000000).
if rustup toolchain list 2>/dev/null | grep -q nightly; then
  command -v cargo-fuzz >/dev/null 2>&1 || cargo install -q cargo-fuzz --locked || true
fi
if command -v cargo-fuzz >/dev/null 2>&1 && rustup toolchain list | grep -q nightly; then
  echo "== fuzz smoke (${FUZZ_SECONDS:-60} s per target)"
  CARGO_TARGET_DIR="$PWD/target/fuzz" bash scripts/fuzz.sh "${FUZZ_SECONDS:-60}" || status=1
else
  if [ "$require_pg" = 1 ]; then echo "nightly or cargo-fuzz missing: CI requires the fuzz smoke" >&2; exit 1; fi
  echo "SKIPPED: fuzz smoke (no nightly toolchain or cargo-fuzz)"
fi
exit $status
