#!/usr/bin/env bash
# The README's test command on a machine without vim, groff and script(1): runs
# `cargo test --locked` with those programs hidden from PATH (and CI unset) and checks that
# it passes and that every test needing one printed a `skipped: NAME not installed` line.
# `.ci/run` installs them all, so CI runs every test; this is for a reviewer to rerun.
#
#   scripts/test-without-tools.sh               # hides vim, groff and script
#   scripts/test-without-tools.sh runuser       # hides the programs named instead (each must
#                                               # be one a test checks for; runuser: as root)
set -euo pipefail
cd "$(dirname "$0")/.."

hidden=("$@")
[ "${#hidden[@]}" -gt 0 ] || hidden=(vim groff script)

# A folder with a link to every program on PATH (the first of each name, as a shell would
# find it) except the hidden ones; it becomes the whole PATH.
shim=$(mktemp -d)
log=$(mktemp)
trap 'rm -rf "$shim" "$log"' EXIT
IFS=: read -ra dirs <<<"$PATH"
for dir in "${dirs[@]}"; do
  [ -d "$dir" ] || continue
  for entry in "$dir"/*; do
    name=${entry##*/}
    case " ${hidden[*]} " in *" $name "*) continue ;; esac
    [ -e "$shim/$name" ] || [ -L "$shim/$name" ] || ln -s "$entry" "$shim/$name"
  done
done
for tool in "${hidden[@]}"; do
  if PATH=$shim command -v "$tool" >/dev/null; then
    echo "could not hide $tool" >&2
    exit 1
  fi
done

echo "== cargo test --locked, without: ${hidden[*]}"
status=0
env -u CI PATH="$shim" cargo test --locked >"$log" 2>&1 || status=$?
# Not anchored: a skip line can land in the middle of the harness's `test NAME ... ok`.
grep -oE 'skipped: [^ ]+ not installed|^test result: .*' "$log" || true
if [ "$status" -ne 0 ]; then
  cat "$log"
  echo "cargo test failed (exit $status)" >&2
  exit 1
fi
for tool in "${hidden[@]}"; do
  if ! grep -q "skipped: $tool not installed" "$log"; then
    echo "no test said \"skipped: $tool not installed\"" >&2
    exit 1
  fi
done
echo "== passed; the tests needing ${hidden[*]} were skipped, each saying so"
