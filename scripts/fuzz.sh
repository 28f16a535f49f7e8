#!/usr/bin/env bash
# Runs the libFuzzer targets in fuzz/ (cargo-fuzz, nightly).
#
#   scripts/fuzz.sh                  # every target for 60 s (the CI smoke run)
#   scripts/fuzz.sh 300              # every target for 300 s
#   scripts/fuzz.sh runs 10000000    # every target for 10 million executions
#   scripts/fuzz.sh 60 sheet_csv     # one target (any mode)
#
# Needs: rustup toolchain install nightly; cargo install cargo-fuzz.
# Builds go to $CARGO_TARGET_DIR (default /work/fuzz-target): nightly and the sanitizer
# flags cannot share the main target dir. The seeds kept in the repo are fuzz/corpus/<target>;
# new inputs go to fuzz/corpus-run/<target> (not committed; copy good ones back by hand).
# A crash is saved in fuzz/artifacts/<target>/ and the script stops with its exit code.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/work/fuzz-target}"

ALL=(sheet_xlsx sheet_csv id_number dates form_body)
mode="${1:-60}"
if [[ "$mode" == "runs" ]]; then
  limit=(-runs="${2:-10000000}")
  shift 2 || shift $#
else
  limit=(-max_total_time="$mode")
  shift || true
fi
targets=("$@")
if [[ ${#targets[@]} -eq 0 ]]; then targets=("${ALL[@]}"); fi

for t in "${targets[@]}"; do
  mkdir -p "fuzz/corpus/$t" "fuzz/corpus-run/$t"
  echo "== $t (${limit[*]})"
  # -rss_limit_mb: the readers must stay far below the server's 300 MB budget.
  cargo +nightly fuzz run --fuzz-dir fuzz "$t" "fuzz/corpus-run/$t" "fuzz/corpus/$t" -- \
    "${limit[@]}" -rss_limit_mb=1024 -max_len=1048576 -print_final_stats=1
done
