#!/usr/bin/env bash
# Hostile-input benchmark: the big cases of tests/cli/hostile.rs (which only checks that
# they are right), timed against a budget, and the numbers docs/security.md quotes.
#
# usage: bench/hostile.sh            (builds followup --release first)
# env:   FOLLOWUP  a followup binary to time instead of building one
#        WORK      scratch folder (default /tmp/followup-hostile)
#        SCALE     budgets are multiplied by this on a slow machine (default 1)
#
# Each case prints CPU time (user + system), wall time, peak RSS and its budget; the
# script exits 1 when a case's CPU time goes over its budget (a quadratic corner coming
# back shows as 10x or more, not 20%). CPU time, not wall time, because it holds still on
# a machine shared with other work. Budgets are for the release build on a 2020s laptop
# or CI runner.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
WORK=${WORK:-/tmp/followup-hostile}
SCALE=${SCALE:-1}
TODAY=2026-11-23
if [ -z "${FOLLOWUP:-}" ]; then
  (cd "$repo" && cargo build --release --quiet)
  FOLLOWUP=$repo/target/release/followup
fi
FOLLOWUP=$(realpath "$FOLLOWUP")
[ -x "$FOLLOWUP" ] || { echo "no followup binary at $FOLLOWUP"; exit 2; }
[ -x /usr/bin/time ] || { echo "needs /usr/bin/time (apt-get install time)"; exit 2; }
rm -rf "$WORK" && mkdir -p "$WORK"
over=0

# case NAME BUDGET_SECONDS DIR ARGS...: run followup ARGS in DIR, output discarded.
case_() {
  local name=$1 budget=$2 dir=$3; shift 3
  local t
  (cd "$dir" && /usr/bin/time -o "$WORK/time" -f '%e %U %S %M' "$FOLLOWUP" "$@" >/dev/null 2>&1) || true
  local wall user sys kb secs
  read -r wall user sys kb < <(tail -1 "$WORK/time")
  secs=$(python3 -c "print(round($user + $sys, 2))")
  local limit
  limit=$(python3 -c "print($budget * $SCALE)")
  local verdict=ok
  if python3 -c "import sys; sys.exit(0 if $secs <= $limit else 1)"; then :; else verdict=OVER; over=1; fi
  printf '%-44s cpu %6.2f s  wall %6.2f s %6d MB   budget %5.1f s  %s\n' \
    "$name" "$secs" "$wall" $((kb / 1024)) "$limit" "$verdict"
}

gen() { python3 - "$@"; }

# The 65.6 KB line with a finding at its end (it made miette panic).
mkdir -p "$WORK/line"
gen "$WORK/line/a.md" <<'PY'
import sys; open(sys.argv[1], "w").write("* " + "x" * 65600 + " @due(2026-02-30)\n")
PY
# 10,000 findings on one line (quadratic in every format before).
mkdir -p "$WORK/findings"
gen "$WORK/findings/a.md" <<'PY'
import sys; open(sys.argv[1], "w").write("* x " + " ".join(["@due(2026-02-30)"] * 10000) + "\n")
PY
# A 4 MB line of findings (issue #20: over 60 s).
mkdir -p "$WORK/line4m"
gen "$WORK/line4m/a.md" <<'PY'
import sys
n = 4_000_000 // 17
open(sys.argv[1], "w").write("* x " + " ".join(["@due(2026-02-30)"] * n) + "\n")
PY
# Many findings in one note, one per line (human output was quadratic).
mkdir -p "$WORK/perline"
gen "$WORK/perline/a.md" <<'PY'
import sys
open(sys.argv[1], "w").write("".join("* P%d @due(2026-02-30)\n" % i for i in range(100_000)))
PY
# A YAML size bomb in front matter.
mkdir -p "$WORK/bomb"
gen "$WORK/bomb/a.md" <<'PY'
import sys
yaml = "customer: Acme\nbig: &big %s\nb: &b [%s]\nc: [%s]\n" % ("x" * 3_300_000, ", ".join(["*big"] * 100), ", ".join(["*b"] * 100))
open(sys.argv[1], "w").write("---\n" + yaml + "---\n* Promise @due(2026-11-20)\n")
PY
# 208,000 relative dates for fix (issue #20: 204 s).
mkdir -p "$WORK/dates"
gen "$WORK/dates/2026-11-16-call.md" <<'PY'
import sys
open(sys.argv[1], "w").write("# Call 2026-11-16\n\n" + "".join("* P%d @due(+%dd)\n" % (i, i % 30 + 1) for i in range(208_000)))
PY
cp "$WORK/dates/2026-11-16-call.md" "$WORK/dates.orig"
# One million one-word promises in one 4 MiB note (the figure docs/security.md quotes).
mkdir -p "$WORK/million"
gen "$WORK/million/a.md" <<'PY'
import sys
open(sys.argv[1], "w").write("* a\n" * 1_000_000)
PY
# A 4 MiB note of ordinary text (the other figure there).
mkdir -p "$WORK/ordinary"
gen "$WORK/ordinary/a.md" <<'PY'
import sys
line = "* Send the weekly report to Dana before the review @due(2026-11-20)\n"
open(sys.argv[1], "w").write(line * (4_000_000 // len(line)))
PY

echo "followup: $FOLLOWUP"
for f in human concise github json sarif; do
  case_ "65.6 KB line, check --format $f" 1 "$WORK/line" check . --today $TODAY --format $f
done
for f in human concise github json sarif; do
  case_ "10k findings on one line, check $f" 10 "$WORK/findings" check . --today $TODAY --format $f
done
for f in concise json; do
  case_ "4 MB line of findings, check $f" 30 "$WORK/line4m" check . --today $TODAY --format $f --max-file-size 8M
done
case_ "100k findings in one note, check human" 30 "$WORK/perline" check . --today $TODAY --format human
case_ "YAML size bomb, list" 2 "$WORK/bomb" list . --today $TODAY --max-file-size 8M
case_ "YAML size bomb, check" 2 "$WORK/bomb" check . --today $TODAY --max-file-size 8M
case_ "208k relative dates, fix --dry-run" 10 "$WORK/dates" fix . --dry-run --today $TODAY --max-file-size 64M
case_ "208k relative dates, fix" 10 "$WORK/dates" fix . --today $TODAY --max-file-size 64M
case_ "1M one-word promises (4 MiB), list" 10 "$WORK/million" list . --today $TODAY --format json
case_ "1M one-word promises (4 MiB), check" 10 "$WORK/million" check . --today $TODAY --format concise
case_ "4 MiB of ordinary promises, list" 2 "$WORK/ordinary" list . --today $TODAY --format json
exit $over
