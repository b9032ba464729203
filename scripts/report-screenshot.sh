#!/usr/bin/env bash
# Regenerate docs/report.png, the README's picture of the report: the report for
# fixtures/notes as of 2026-11-23, rendered by headless Chromium (Debian's `chromium`
# package, installed when missing) in light mode at 1200 pixels wide.
set -euo pipefail
project="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$project"

if ! command -v chromium >/dev/null 2>&1; then
  apt-get update -qq && apt-get install -y -qq --no-install-recommends chromium >/dev/null
fi
cargo build --locked --quiet
target/debug/followup report fixtures/notes --today 2026-11-23 -o "$work/report.html"
chromium --headless --no-sandbox --disable-gpu --disable-background-networking \
  --disable-component-update --disable-sync --no-first-run --user-data-dir="$work/profile" \
  --hide-scrollbars --blink-settings=preferredColorScheme=1 --window-size=1200,3000 \
  --screenshot="$work/report.png" "file://$work/report.html" >/dev/null 2>"$work/chromium.log"
python3 tests/integrations/png-check.py "$work/report.png" 20 light
cp "$work/report.png" docs/report.png
echo "wrote docs/report.png"
