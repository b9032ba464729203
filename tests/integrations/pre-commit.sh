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
