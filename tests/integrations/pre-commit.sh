#!/usr/bin/env bash
# The pre-commit hooks, for real: pre-commit from PyPI in a throwaway virtualenv, a git
# repository of notes whose .pre-commit-config.yaml points at this repository's HEAD, a
# commit blocked by an overdue promise, and the same commit passing once it is done.
# Run by .ci/run; needs python3 (with venv), git and cargo.
set -euo pipefail
project="$(cd "$(dirname "$0")/../.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

python3 -m venv "$work/venv"
"$work/venv/bin/pip" install --quiet --disable-pip-version-check 'pre-commit>=3,<5'
export PATH="$work/venv/bin:$PATH"
export PRE_COMMIT_HOME="$work/cache"
# pre-commit builds followup with `cargo install`; a plain release build is enough here
# and much faster than the fat-LTO one, and the project's target folder keeps its deps.
export CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16
export CARGO_TARGET_DIR="$project/target/pre-commit"
rev="$(git -C "$project" rev-parse HEAD)"
pre-commit validate-manifest "$project/.pre-commit-hooks.yaml"

repo="$work/notes"
mkdir -p "$repo/acme"
cd "$repo"
git init -q
git config user.email test@example.com
git config user.name Test
today="$(date +%F)"
cat > .pre-commit-config.yaml <<YAML
repos:
  - repo: $project
    rev: $rev
    hooks:
      - id: followup
YAML
cat > acme/call.md <<NOTE
---
date: 2026-01-05
---
# Call with Dana

* Send the pricing sheet @due(2026-01-09)
NOTE
git add -A
pre-commit install >/dev/null

echo "== a commit with an overdue promise is blocked"
if git commit -q -m "notes" > "$work/out1" 2>&1; then
  cat "$work/out1"; echo "FAIL: the commit went through"; exit 1
fi
cat "$work/out1"
grep -q "error\[overdue\]" "$work/out1" || { echo "FAIL: no overdue diagnostic"; exit 1; }
grep -q "acme/call.md:6:" "$work/out1" || { echo "FAIL: no location"; exit 1; }

echo "== once it is done, the commit passes"
sed -i "s/@due(2026-01-09)/@due(2026-01-09) @done($today)/" acme/call.md
git add -A
git commit -q -m "notes" > "$work/out2" 2>&1 || { cat "$work/out2"; echo "FAIL: blocked"; exit 1; }
cat "$work/out2"
grep -q "followup check.*Passed" "$work/out2" || { echo "FAIL: hook did not run"; exit 1; }
echo "pre-commit: OK"
