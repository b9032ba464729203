#!/usr/bin/env bash
# Benchmark followup against the file-system floor, side by side in one run.
#
# usage: bench/run.sh [CORPUS...]        CORPUS: smoke | medium | large | huge (default: medium large huge)
#        (huge: the generator's 50 MB single note, alone in a folder)
# env:   SHARED  shared/bench's parent (default: ../shared beside the repo)
#        WORK    scratch folder for corpora, the floor build and results (default /tmp/followup-bench)
#        RUNS, WARMUP   hyperfine settings (default 5 and 2)
#        TOOLS   which commands to time (default: all of them, see cmd_for below)
#
# Prints a table of median wall times, ratios against `floor par` and ripgrep from the
# same run, and peak RSS from one `/usr/bin/time -v` run per command.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
SHARED=${SHARED:-$repo/../shared}
WORK=${WORK:-/tmp/followup-bench}
RUNS=${RUNS:-5}
WARMUP=${WARMUP:-2}
CORPORA=${*:-medium large huge}
TODAY=2026-11-23
mkdir -p "$WORK/corpora" "$WORK/results"

need() { command -v "$1" >/dev/null 2>&1; }
if ! need hyperfine || ! need rg || [ ! -x /usr/bin/time ]; then
  echo "== installing hyperfine, ripgrep and time from Debian's packages"
  apt-get update -qq && apt-get install -y -qq hyperfine ripgrep time >/dev/null
fi

gen() { # name notes customers
  local out=$WORK/corpora/$1
  if [ ! -f "$out.json" ]; then
    echo "== generating $1 ($2 notes)"
    rm -rf "$out"
    python3 "$SHARED/bench/gen-notes.py" --notes "$2" --customers "$3" --seed 1 \
      --out "$out" --stats "$out.json.tmp" >/dev/null
    mv "$out.json.tmp" "$out.json"
  fi
}

echo "== building the parser floor (from shared/bench/floor, in a temporary folder)"
floor_dir=$(mktemp -d)
trap 'rm -rf "$floor_dir"' EXIT
cp -r "$SHARED/bench/floor/." "$floor_dir/"
(cd "$floor_dir" && cargo build --release --quiet)
FLOOR=$WORK/floor
cp "$floor_dir/target/release/floor" "$FLOOR"

echo "== building followup (release)"
(cd "$repo" && cargo build --release --locked --quiet)
FU=$repo/target/release/followup

# The timed runs never use the cache (`--no-cache`) except check-cached, which times the
# second run over unchanged notes; its cache lives here, not in the user's cache folder.
export FOLLOWUP_CACHE_DIR=$WORK/cache
rm -rf "$FOLLOWUP_CACHE_DIR"

cmd_for() { # tool corpus-dir
  case $1 in
    floor-par)        echo "$FLOOR par $2" ;;
    rg-items)         echo "rg -c '^\\s*[*]\\s|\\[ \\]' $2" ;;
    check-concise)    echo "$FU check $2 --today $TODAY --format concise -q --no-cache$EXTRA" ;;
    agenda)           echo "$FU agenda $2 --today $TODAY --no-cache$EXTRA" ;;
    report)           echo "$FU report $2 --today $TODAY --no-cache$EXTRA" ;;
    check-human)      echo "$FU check $2 --today $TODAY --color never -q --no-cache$EXTRA" ;;
    list-json)        echo "$FU list $2 --today $TODAY --format json --no-cache$EXTRA" ;;
    check-cached)     echo "$FU check $2 --today $TODAY --format concise -q$EXTRA" ;;
    check-concise-1t) echo "env RAYON_NUM_THREADS=1 $FU check $2 --today $TODAY --format concise -q --no-cache$EXTRA" ;;
    *) echo "unknown tool $1" >&2; exit 2 ;;
  esac
}
ALL_TOOLS="floor-par rg-items check-concise check-cached list-json agenda report check-human check-concise-1t"

for corpus in $CORPORA; do
  case $corpus in
    smoke)  gen smoke 1000 50 ;;
    medium) gen medium 20000 500 ;;
    large)  gen large 200000 2000 ;;
    huge)
      # The pathological corpus's 50 MB note, alone in a folder (the floor reads folders).
      if [ ! -f "$WORK/corpora/huge/huge-single-note.md" ]; then
        echo "== generating the 50 MB note"
        rm -rf "$WORK/corpora/patho" "$WORK/corpora/huge"
        python3 "$SHARED/bench/gen-notes.py" --notes 10 --customers 2 --seed 1 --pathological \
          --out "$WORK/corpora/patho" >/dev/null
        mkdir -p "$WORK/corpora/huge"
        mv "$WORK/corpora/patho/_pathological/huge-single-note.md" "$WORK/corpora/huge/"
        rm -rf "$WORK/corpora/patho"
      fi ;;
    *) echo "unknown corpus $corpus" >&2; exit 2 ;;
  esac
  dir=$WORK/corpora/$corpus
  # The huge note is over the default size limit, on purpose; the timed runs lift it.
  EXTRA=""
  tools=${TOOLS:-$ALL_TOOLS}
  if [ "$corpus" = huge ]; then
    EXTRA=" --max-file-size 100M"
    tools=${TOOLS:-floor-par check-concise list-json check-human}
  fi
  # A table from one run only: drop what an earlier run left for this corpus.
  rm -f "$WORK/results/$corpus".*
  for t in $tools; do
    c=$(cmd_for "$t" "$dir")
    echo "== $corpus $t: $c"
    # followup check exits 1 when it finds overdue promises, which these corpora have.
    hyperfine -i -N --style basic --warmup "$WARMUP" --runs "$RUNS" \
      --output null --export-json "$WORK/results/$corpus.$t.json" "$c" >/dev/null
    eval "/usr/bin/time -v -o '$WORK/results/$corpus.$t.timev' $c" >/dev/null 2>&1 || true
  done
done

python3 "$repo/bench/report.py" "$WORK" $CORPORA
