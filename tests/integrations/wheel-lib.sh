# shellcheck shell=bash
# Sourced by tests/integrations/wheel.sh and tests/integrations/pre-commit.sh: build the
# PyPI package of followup (pyproject.toml, maturin, `bindings = "bin"`) the way a user's
# `pip install followup` would get it, minus the slow release settings.
#
#   build_wheel OUT_DIR VENV_DIR   # maturin into a new virtualenv, one wheel into OUT_DIR
#   cargo_version                  # the version in Cargo.toml
#   fake_rust_tools BIN_DIR MARK_DIR  # cargo, rustc, rustup, maturin that fail and leave
#                                  # MARK_DIR/called-TOOL: put BIN_DIR first on PATH
#
# Needs `project` set to the repository's root. The wheel is a release build without fat LTO
# (CARGO_PROFILE_RELEASE_LTO=false, 16 codegen units), in the same target folder as the
# pre-commit test's `cargo install`, so dependencies are compiled once for both.

project="${project:?set project to the repository root before sourcing wheel-lib.sh}"

build_wheel() {
  local out="$1" venv="$2" start
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check 'maturin>=1.7,<2'
  mkdir -p "$out"
  start=$(date +%s)
  if ! (cd "$project" &&
    CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
      CARGO_TARGET_DIR="$project/target/pre-commit" CARGO_TERM_COLOR=never \
      "$venv/bin/maturin" build --release --locked --out "$out") > "$out.log" 2>&1; then
    cat "$out.log"
    echo "FAIL: maturin build"
    return 1
  fi
  echo "wheel built in $(($(date +%s) - start))s: $(cd "$out" && ls -- *.whl)"
}

cargo_version() {
  python3 -c 'import sys, tomllib; print(tomllib.load(open(sys.argv[1], "rb"))["package"]["version"])' \
    "$project/Cargo.toml"
}

fake_rust_tools() {
  local bin="$1" marks="$2" tool
  mkdir -p "$bin"
  # pip itself runs `rustc --version` (for its User-Agent): that probe fails as a missing
  # rustc would, and is not a build, so it leaves no mark.
  for tool in cargo rustc rustup maturin; do
    printf '#!/bin/sh\n[ "%s $*" = "rustc --version" ] && exit 97\necho "FAIL: %s was called: $*" >&2\ntouch "%s/called-%s"\nexit 97\n' \
      "$tool" "$tool" "$marks" "$tool" > "$bin/$tool"
    chmod +x "$bin/$tool"
  done
}
