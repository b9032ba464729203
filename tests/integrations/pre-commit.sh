#!/usr/bin/env bash
# The pre-commit hooks, for real: pre-commit from PyPI in a throwaway virtualenv, a git
# repository of notes whose .pre-commit-config.yaml points at this repository's HEAD, a
# commit blocked by an overdue promise, and the same commit passing once it is done. Then the
# `language: python` hooks (the pre-commit/ mirror and a `repo: local` hook), installed from
# a wheel in a local find-links folder with a failing `cargo` first on PATH.
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

# ---- begin: the daily loop's hooks (issue 19) ----------------------------------------------
# `followup` checks only the staged notes: a commit of an unrelated clean note passes while
# another note is overdue, and one adding an invalid date fails naming it. `followup-agenda`
# regenerates AGENDA.md: it fails once, and passes once the file is staged. The docs'
# `repo: local` / `language: system` hooks run offline with the followup on PATH.
daily_loop_hooks() (
  fail() { echo "FAIL: $*"; exit 1; }
  local notes="$work/notes-loop"
  mkdir -p "$notes/acme" "$notes/globex"
  cd "$notes"
  git init -q
  git config user.email test@example.com
  git config user.name Test
  cat > .pre-commit-config.yaml <<YAML
repos:
  - repo: $project
    rev: $rev
    hooks:
      - id: followup
YAML
  cat > acme/2026-01-05-call.md <<'NOTE'
# Call with Dana, 2026-01-05

* Send the pricing sheet @due(2026-01-09)
NOTE
  git add -A
  git commit -q --no-verify -m "an overdue promise, committed before the hook"
  pre-commit install >/dev/null

  echo "== loop: an unrelated clean note passes while another note is overdue"
  cat > globex/2026-01-06-intro.md <<'NOTE'
# Intro with Hank, 2026-01-06

* Send the deck @due(2099-01-09)
NOTE
  git add globex/2026-01-06-intro.md
  git commit -q -m "clean note" > "$work/loop1" 2>&1 || { cat "$work/loop1"; fail "blocked by another note"; }
  cat "$work/loop1"
  grep -q "followup check.*Passed" "$work/loop1" || fail "the hook did not run"

  echo "== loop: a note with an invalid date fails, named"
  cat > globex/2026-01-07-legal.md <<'NOTE'
# Legal review, 2026-01-07

* Send the redlined MSA @due(2026-02-30)
NOTE
  git add globex/2026-01-07-legal.md
  if git commit -q -m "invalid date" > "$work/loop2" 2>&1; then
    cat "$work/loop2"; fail "the commit went through"
  fi
  cat "$work/loop2"
  grep -q "globex/2026-01-07-legal.md:3:.*error\[invalid-date\]" "$work/loop2" || fail "not named"
  grep -q "acme/2026-01-05-call.md" "$work/loop2" && fail "an unstaged note was reported"
  git rm -q --cached globex/2026-01-07-legal.md
  rm globex/2026-01-07-legal.md

  echo "== loop: the agenda hook regenerates AGENDA.md, fails once, passes after git add"
  cat > .pre-commit-config.yaml <<YAML
repos:
  - repo: $project
    rev: $rev
    hooks:
      - id: followup
      - id: followup-agenda
        args: [-o, AGENDA.md]
YAML
  git add .pre-commit-config.yaml
  git commit -q -m "agenda hook" > /dev/null 2>&1 || fail "config commit blocked"
  echo "* Book the demo room @due(2099-01-10)" >> globex/2026-01-06-intro.md
  git add globex/2026-01-06-intro.md
  if git commit -q -m "note change" > "$work/loop3" 2>&1; then
    cat "$work/loop3"; fail "the agenda hook did not fail on a new AGENDA.md"
  fi
  cat "$work/loop3"
  [ -f AGENDA.md ] || fail "AGENDA.md not written"
  grep -q "Send the pricing sheet" AGENDA.md || fail "AGENDA.md misses the overdue item"
  grep -q 'git add AGENDA.md' "$work/loop3" || fail "the message does not say to stage it"
  grep -q 'followup agenda -o AGENDA.md' "$work/loop3" || fail "the message does not say what to run"
  git add AGENDA.md
  git commit -q -m "note change" > "$work/loop4" 2>&1 || { cat "$work/loop4"; fail "blocked after git add"; }
  cat "$work/loop4"
  grep -q "followup agenda.*Passed" "$work/loop4" || fail "the agenda hook did not pass"

  echo "== loop: repo: local, language: system, from the docs, offline"
  local bin
  bin="$(find "$PRE_COMMIT_HOME" -path '*/bin/followup' -type f | head -1)"
  [ -n "$bin" ] || fail "no followup built by the first hooks"
  mkdir -p "$work/system-bin"
  ln -sf "$bin" "$work/system-bin/followup"
  # The YAML block of docs/integrations.md that uses `language: system`, as it is.
  python3 - "$project/docs/integrations.md" > .pre-commit-config.yaml <<'PY'
import re, sys
blocks = re.findall(r"```yaml\n(.*?)```", open(sys.argv[1]).read(), re.S)
local = [b for b in blocks if "repo: local" in b and "language: system" in b and "additional_dependencies" not in b]
assert local, "no repo: local / language: system block in docs/integrations.md"
sys.stdout.write(local[0])
PY
  cat .pre-commit-config.yaml
  git add .pre-commit-config.yaml
  git commit -q --no-verify -m "local hooks"
  echo "* Call Hank back @due(2099-01-11)" >> globex/2026-01-06-intro.md
  git add globex/2026-01-06-intro.md
  # No network: pip and git may not reach anything.
  PATH="$work/system-bin:$PATH" PIP_NO_INDEX=1 PRE_COMMIT_HOME="$work/cache-offline" \
    http_proxy=http://127.0.0.1:9 https_proxy=http://127.0.0.1:9 \
    git commit -q -m "local" > "$work/loop5" 2>&1 && { cat "$work/loop5"; fail "AGENDA.md changed, yet passed"; }
  cat "$work/loop5"
  grep -q "followup check.*Passed" "$work/loop5" || fail "the local check hook did not pass"
  git add AGENDA.md
  PATH="$work/system-bin:$PATH" PIP_NO_INDEX=1 PRE_COMMIT_HOME="$work/cache-offline" \
    http_proxy=http://127.0.0.1:9 https_proxy=http://127.0.0.1:9 \
    git commit -q -m "local" > "$work/loop6" 2>&1 || { cat "$work/loop6"; fail "local hooks blocked"; }
  cat "$work/loop6"
  echo "daily loop hooks: OK"
)
daily_loop_hooks
# ---- end: the daily loop's hooks -----------------------------------------------------------

# ---- begin: `language: python` hooks, no cargo (issue 25) ---------------------------------
# pre-commit installs a `language: python` hook repository with `pip install .`. The
# pre-commit/ folder is the mirror repository (followup-notes/followup-pre-commit): a package
# that pins `followup==VERSION`, whose wheel carries the binary. Here the mirror is a local
# git repository, the wheel comes from a find-links folder (PIP_FIND_LINKS, PIP_NO_INDEX: no
# network), and cargo, rustc and maturin are stand-ins that fail and leave a mark: the hooks
# must install and run without them. A `repo: local` hook with `additional_dependencies` is
# checked the same way.
python_hooks_without_cargo() (
  # shellcheck source=tests/integrations/wheel-lib.sh
  . "$project/tests/integrations/wheel-lib.sh"
  fail() { echo "FAIL: $*"; exit 1; }
  local version links="$work/links" mirror="$work/mirror" notes="$work/notes-py"
  version="$(cargo_version)"

  echo "== the mirror's hooks are the language: rust hooks, on the PyPI package"
  python3 - "$project/.pre-commit-hooks.yaml" "$project/pre-commit/.pre-commit-hooks.yaml" \
    "$project/pre-commit/pyproject.toml" "$version" <<'PY'
import sys, tomllib, yaml
rust, python = (yaml.safe_load(open(p)) for p in sys.argv[1:3])
pyproject, version = tomllib.load(open(sys.argv[3], "rb")), sys.argv[4]
assert [h["id"] for h in rust] == [h["id"] for h in python], "hook ids differ"
for r, p in zip(rust, python):
    assert r["language"] == "rust" and p["language"] == "python", (r["id"], p["language"])
    for key in ("name", "entry", "types", "pass_filenames", "require_serial"):
        assert r[key] == p[key], (r["id"], key, r[key], p[key])
assert pyproject["project"]["version"] == version, "pre-commit/pyproject.toml version"
assert pyproject["project"]["dependencies"] == [f"followup=={version}"], "the pin"
print(f"mirror OK: {len(python)} hooks, followup=={version}")
PY

  echo "== the wheel, in a find-links folder with the mirror's build backend"
  build_wheel "$links" "$work/maturin"
  pip download --quiet --disable-pip-version-check --dest "$links" 'setuptools>=61' wheel

  git init -q "$mirror"
  cp -R "$project/pre-commit/." "$mirror/"
  git -C "$mirror" add -A
  git -C "$mirror" -c user.email=test@example.com -c user.name=Test commit -q -m mirror
  git -C "$mirror" tag "v$version"

  fake_rust_tools "$work/fake-bin" "$work"
  export PATH="$work/fake-bin:$PATH" PIP_FIND_LINKS="$links" PIP_NO_INDEX=1
  export PRE_COMMIT_HOME="$work/cache-py"
  ! command -v cargo >/dev/null || [ "$(command -v cargo)" = "$work/fake-bin/cargo" ] ||
    fail "the stand-in cargo is not first on PATH"

  mkdir -p "$notes/acme"
  cd "$notes"
  git init -q
  git config user.email test@example.com
  git config user.name Test
  cat > .pre-commit-config.yaml <<YAML
repos:
  - repo: $mirror
    rev: v$version
    hooks:
      - id: followup
  - repo: local
    hooks:
      - id: followup-local
        name: followup check (repo local)
        entry: followup check --format concise
        language: python
        additional_dependencies: [followup==$version]
        types: [markdown]
        pass_filenames: false
        require_serial: true
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

  echo "== python hooks: a commit with an overdue promise is blocked"
  if git commit -q -m "notes" > "$work/py1" 2>&1; then
    cat "$work/py1"; fail "the commit went through"
  fi
  cat "$work/py1"
  [ "$(grep -c "error\[overdue\]" "$work/py1")" -eq 2 ] || fail "not one overdue per hook"
  grep -q -- "- hook id: followup$" "$work/py1" || fail "the mirror's hook did not run"
  grep -q -- "- hook id: followup-local$" "$work/py1" || fail "the repo: local hook did not run"
  grep -q "acme/call.md:6:" "$work/py1" || fail "no location"

  echo "== python hooks: once it is done, the commit passes"
  sed -i "s/@due(2026-01-09)/@due(2026-01-09) @done($today)/" acme/call.md
  git add -A
  git commit -q -m "notes" > "$work/py2" 2>&1 || { cat "$work/py2"; fail "blocked"; }
  cat "$work/py2"
  [ "$(grep -c "followup check.*Passed" "$work/py2")" -eq 2 ] || fail "the hooks did not both run"

  if ls "$work"/called-* >/dev/null 2>&1; then fail "a Rust tool was called: $(ls "$work"/called-*)"; fi
  local hook_bin
  hook_bin="$(find "$PRE_COMMIT_HOME" -path '*/bin/followup' -type f | head -1)"
  [ -n "$hook_bin" ] || fail "no followup installed in pre-commit's environments"
  [[ "$("$hook_bin" --version)" == "followup $version"* ]] || fail "hook's followup is not $version"
  echo "python hooks: installed from the wheel, cargo never called"
)
python_hooks_without_cargo
# ---- end: `language: python` hooks ---------------------------------------------------------

echo "pre-commit: OK"
