#!/usr/bin/env bash
# Soak (issue #11): 50 clients for 10 minutes on 127.0.0.1 against the release server on the
# demo county, on pages, API reads and writes, with a school importing its roll through the
# web page meanwhile; p99 and memory sampled every 10 s (scripts/soak.py prints the table).
#   bash scripts/soak.sh                              # the benchmark: 600 s, 50 clients
#   SECONDS_TOTAL=20 CLIENTS=10 MAX_GROWTH=10 EMIS_BIN=target/debug/emis bash scripts/soak.sh
#       # the CI smoke: no errors allowed; memory is only judged over the long run
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${EMIS_BIN:-}" ]; then
  cargo build --release -q -p emis
  EMIS_BIN="$PWD/target/release/emis"
fi
SECONDS_TOTAL=${SECONDS_TOTAL:-600}
CLIENTS=${CLIENTS:-50}
PORT=${PORT:-18282}
WORK=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$WORK"' EXIT
DB="sqlite://$WORK/soak.db"

"$EMIS_BIN" --db "$DB" demo >/dev/null
account() {  # NAME:ONE-TIME-PASSWORD of a new account
  "$EMIS_BIN" --db "$DB" user add "$1" --role "$2" --org "$3" \
    | sed -n 's/.*账号 \([^（]*\)（.*初始密码：\([A-Za-z0-9]*\).*/\1:\2/p'
}
SCHOOL=$("$EMIS_BIN" --db "$DB" export schools -o "$WORK/schools.csv" >/dev/null && sed -n '2p' "$WORK/schools.csv" | cut -d, -f1 | tr -d '\r\357\273\277')
"$EMIS_BIN" --db "$DB" export students --term 2021-autumn --school "$SCHOOL" --unmasked -o "$WORK/roll.csv" >/dev/null
ADMIN=$(account soakadmin officer 431224)
SCHOOL_ACCOUNT=$(account soakschool school "$SCHOOL")

"$EMIS_BIN" --db "$DB" serve --listen "127.0.0.1:$PORT" >"$WORK/server.log" 2>&1 &
PID=$!
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$PORT/health" >/dev/null && break; sleep 0.1; done
echo "== soak: $CLIENTS clients, ${SECONDS_TOTAL}s, school $SCHOOL ($(wc -l <"$WORK/roll.csv") roll lines), server pid $PID"
python3 scripts/soak.py --port "$PORT" --pid "$PID" --seconds "$SECONDS_TOTAL" --clients "$CLIENTS" \
  --admin "$ADMIN" --school "$SCHOOL_ACCOUNT" --school-code "$SCHOOL" --roll "$WORK/roll.csv" \
  --warmup "${WARMUP:-$(( SECONDS_TOTAL < 60 ? 0 : 60 ))}" --max-growth "${MAX_GROWTH:-0.10}"
