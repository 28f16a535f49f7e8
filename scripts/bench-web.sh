#!/usr/bin/env bash
# Web load benchmark (issue #3): the student list filtered by school and the student
# search by name, 50 concurrent clients from wrk on 127.0.0.1, against the release
# server on the demo county; SQLite, then PostgreSQL when reachable.
#   bash scripts/bench-web.sh            # needs wrk (apt-get install wrk)
#   EMIS_BENCH_PG=0 DURATION=10s bash scripts/bench-web.sh   # SQLite only, shorter
# The home page ("/") is measured first: every account lands there, with its module cards.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release -q -p emis
EMIS="$PWD/target/release/emis"
WORK=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$WORK"' EXIT
PORT=18181
DURATION=${DURATION:-15s}

signin() {  # prints a session cookie value for a fresh account with a known password
  local db=$1 jar="$WORK/jar"
  local one_time
  one_time=$("$EMIS" --db "$db" user add "bench$RANDOM" --role admin --org 431224 | sed -n 's/.*账号 \([^（]*\)（.*初始密码：\([A-Za-z0-9]*\).*/\1 \2/p')
  local name=${one_time% *} pass=${one_time#* }
  rm -f "$jar"
  local token
  token=$(curl -s -c "$jar" -b "$jar" "http://127.0.0.1:$PORT/login" | sed -n 's/.*name="_csrf" value="\([0-9a-f]*\)".*/\1/p')
  curl -s -c "$jar" -b "$jar" -o /dev/null --data "username=$name&password=$pass&_csrf=$token&next=/" "http://127.0.0.1:$PORT/login"
  token=$(curl -s -c "$jar" -b "$jar" "http://127.0.0.1:$PORT/password" | sed -n 's/.*name="_csrf" value="\([0-9a-f]*\)".*/\1/p' | head -1)
  curl -s -c "$jar" -b "$jar" -o /dev/null --data "old=$pass&new=Bench2021pass&confirm=Bench2021pass&_csrf=$token" "http://127.0.0.1:$PORT/password"
  awk '$6 == "emis_sid" { print $7 }' "$jar"
}

run() {
  local label=$1 db=$2
  "$EMIS" --db "$db" serve --listen "127.0.0.1:$PORT" >/dev/null 2>&1 &
  local pid=$!
  for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$PORT/health" >/dev/null && break; sleep 0.1; done
  local sid school name
  sid=$(signin "$db")
  school=$(curl -s -b "emis_sid=$sid" "http://127.0.0.1:$PORT/api/v1/schools?per_page=1&sort=code" | sed -n 's/.*"code":"\([0-9]*\)".*/\1/p')
  # A full name from the roll (the usual search), and the commonest surname alone (worst case).
  name=$(curl -s -b "emis_sid=$sid" "http://127.0.0.1:$PORT/api/v1/students?per_page=1" | sed -n 's/.*"name":"\([^"]*\)".*/\1/p')
  name=$(python3 -c "import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1]))" "$name")
  echo "== $label (school $school)"
  for target in "/" "/students?school=$school" "/students?q=$name" "/students?q=%E5%BC%A0" "/api/v1/students?school=$school"; do
    echo "-- GET $target"
    wrk -t2 -c50 -d"$DURATION" --latency -H "Cookie: emis_sid=$sid" "http://127.0.0.1:$PORT$target" | grep -E "Requests/sec|50%|99%|Non-2xx|Socket errors" || true
  done
  grep -E "VmHWM|VmRSS" "/proc/$pid/status"
  kill "$pid"; wait "$pid" 2>/dev/null || true
}

"$EMIS" --db "$WORK/demo.db" demo >/dev/null
run "SQLite" "sqlite://$WORK/demo.db"

PG_BASE=${EMIS_TEST_POSTGRES_URL:-postgres://emis:emis@127.0.0.1:5432/emis_test}
if [ "${EMIS_BENCH_PG:-1}" = 1 ] && psql "$PG_BASE" -qtAc "select 1" >/dev/null 2>&1; then
  SCHEMA="bench_$RANDOM"
  psql "$PG_BASE" -qtAc "CREATE SCHEMA $SCHEMA"
  PG_URL="$PG_BASE?options[search_path]=$SCHEMA"
  "$EMIS" --db "$PG_URL" demo >/dev/null
  run "PostgreSQL" "$PG_URL"
  psql "$PG_BASE" -qtAc "DROP SCHEMA $SCHEMA CASCADE" >/dev/null
else
  echo "PostgreSQL not reachable at $PG_BASE: skipped"
fi
