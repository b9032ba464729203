#!/usr/bin/env bash
# The report for fixtures/notes in headless Chromium (Debian's `chromium` package,
# installed when missing): a screenshot in light and in dark mode that is not blank, and
# the DOM as Chromium parsed it with each section, chart and table. Run by .ci/run; needs
# cargo, python3 and (as root) apt-get.
set -euo pipefail
project="$(cd "$(dirname "$0")/../.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$project"

if ! command -v chromium >/dev/null 2>&1; then
  echo "== installing chromium from Debian's packages"
  apt-get update -qq && apt-get install -y -qq --no-install-recommends chromium >/dev/null
fi

cargo build --locked --quiet
target/debug/followup report fixtures/notes --today 2026-11-23 -o "$work/report.html"

browse() { # extra flags...
  chromium --headless --no-sandbox --disable-gpu --disable-background-networking \
    --disable-component-update --disable-sync --no-first-run \
    --user-data-dir="$(mktemp -d -p "$work")" "$@" 2>>"$work/chromium.log"
}
browse --hide-scrollbars --window-size=1200,3000 --screenshot="$work/light.png" \
  "file://$work/report.html" >/dev/null
browse --hide-scrollbars --window-size=1200,3000 --force-dark-mode \
  --blink-settings=preferredColorScheme=0 --screenshot="$work/dark.png" \
  "file://$work/report.html" >/dev/null
browse --dump-dom "file://$work/report.html" >"$work/dom.html"

python3 tests/integrations/png-check.py "$work/light.png" 20 light
python3 tests/integrations/png-check.py "$work/dark.png" 20 dark

fail=0
for id in follow-through chart-follow-through table-follow-through table-customers \
  both-ways chart-both-ways table-both-ways contact-rhythm chart-contact-rhythm \
  table-contact-rhythm open-by-age chart-open-by-age table-open-by-age table-oldest \
  coming-up table-occasions table-due-soon; do
  grep -q "id=\"$id\"" "$work/dom.html" || { echo "DOM: no #$id"; fail=1; }
done
for h in "Follow-through" "Promises both ways" "Contact rhythm" "Open promises by age" "Coming up"; do
  grep -q "<h2>$h</h2>" "$work/dom.html" || { echo "DOM: no section \"$h\""; fail=1; }
done
svgs=$(grep -o "<svg" "$work/dom.html" | wc -l)
[ "$svgs" -ge 4 ] || { echo "DOM: $svgs charts"; fail=1; }
rects=$(grep -o "<rect" "$work/dom.html" | wc -l)
[ "$rects" -ge 20 ] || { echo "DOM: $rects bars"; fail=1; }
if grep -q "<script" "$work/dom.html"; then echo "DOM: a script"; fail=1; fi
if [ "$fail" -ne 0 ]; then
  echo "chromium said:"; tail -20 "$work/chromium.log"
  exit 1
fi
echo "report in Chromium: $svgs charts, $rects bars, every section; screenshots not blank"
