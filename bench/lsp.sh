#!/usr/bin/env bash
# Latency of the language server (docs/performance.md, "Language server"): builds followup
# (release, without fat LTO to keep the build short), generates the 20,000-note corpus with
# the shared generator, and runs bench/lsp.py. Usage: bash bench/lsp.sh [KEYSTROKES]
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
SHARED="${SHARED:-$repo/../shared}"
work="${BENCH_DIR:-$repo/target/bench-lsp}"
mkdir -p "$work"
(cd "$repo" && CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
  CARGO_TARGET_DIR="$repo/target/bench" cargo build --release --locked --quiet)
if [ ! -d "$work/medium" ]; then
  python3 "$SHARED/bench/gen-notes.py" --notes 20000 --customers 500 --seed 1 --out "$work/medium"
fi
python3 "$repo/bench/lsp.py" --bin "$repo/target/bench/release/followup" \
  --workspace "$work/medium" --keystrokes "${1:-200}"
