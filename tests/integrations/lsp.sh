#!/usr/bin/env bash
# The language server end to end: pytest-lsp (from PyPI, in a throwaway virtualenv)
# drives `followup lsp` through tests/lsp, then Neovim's built-in client opens a note
# (tests/integrations/nvim-lsp.sh). Run by .ci/run; needs python3 (with venv) and cargo.
set -euo pipefail
project="$(cd "$(dirname "$0")/../.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

python3 -m venv "$work/venv"
"$work/venv/bin/pip" install --quiet --disable-pip-version-check 'pytest-lsp>=1,<2'
(cd "$project" && cargo build --locked --quiet)
export FOLLOWUP_BIN="$project/target/debug/followup"

status=0
(cd "$project/tests/lsp" && "$work/venv/bin/python" -m pytest -q -p no:cacheprovider .) || status=$?
# Exit 5 is "no tests collected": a test run that tested nothing is a failure.
if [ "$status" -ne 0 ]; then
  echo "pytest-lsp: pytest exited with $status" >&2
  exit 1
fi
bash "$project/tests/integrations/nvim-lsp.sh"
