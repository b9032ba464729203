#!/usr/bin/env bash
# The GitHub Action's step (action.yml): annotations, a job summary, optional SARIF.
# Inputs come from the environment (FOLLOWUP_PATHS, FOLLOWUP_ARGS, FOLLOWUP_FAIL_ON,
# FOLLOWUP_SARIF); they are split into words, never evaluated.
set -uo pipefail

read -r -a paths <<< "${FOLLOWUP_PATHS:-.}"
read -r -a extra <<< "${FOLLOWUP_ARGS:-}"
fail_on="${FOLLOWUP_FAIL_ON:-error}"
[ "${#paths[@]}" -gt 0 ] || paths=(.)

# Annotations on the pull request; this run decides the step's exit code.
status=0
followup check "${paths[@]}" "${extra[@]}" --format github --fail-on "$fail_on" || status=$?

if [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then
  counts="$(mktemp)"
  findings="$(followup check "${paths[@]}" "${extra[@]}" --format concise --exit-zero 2>"$counts")"
  {
    echo "## followup check"
    echo
    cat "$counts"
    if [ -n "$findings" ]; then
      echo
      # An indented code block: no note text can end it or be read as markdown.
      printf '%s\n' "$findings" | sed 's/^/    /'
    fi
  } >> "$GITHUB_STEP_SUMMARY"
  rm -f "$counts"
fi

if [ -n "${FOLLOWUP_SARIF:-}" ]; then
  followup check "${paths[@]}" "${extra[@]}" --format sarif --exit-zero -q > "$FOLLOWUP_SARIF" || status=2
fi

exit "$status"
