#!/usr/bin/env bash
# The PyPI package, for real: build followup's wheel with maturin (pyproject.toml) into a
# temporary folder, install it into a fresh virtualenv with a `cargo` that fails loudly first
# on PATH, and run it with nothing but that virtualenv and /usr/bin:/bin on PATH. Then the
# action's release installer (scripts/install-release.sh) on a local copy of a release.
# Run by .ci/run; needs python3 (with venv) and a Rust toolchain to build the wheel.
set -euo pipefail
project="$(cd "$(dirname "$0")/../.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# shellcheck source=tests/integrations/wheel-lib.sh
. "$project/tests/integrations/wheel-lib.sh"
fail() { echo "FAIL: $*"; exit 1; }

version="$(cargo_version)"
echo "== build the wheel (maturin, Cargo.toml version $version)"
build_wheel "$work/dist" "$work/maturin"
wheels=("$work"/dist/*.whl)
[ "${#wheels[@]}" -eq 1 ] || fail "expected one wheel, got: ${wheels[*]}"
wheel="${wheels[0]}"
case "$(basename "$wheel")" in
  "followup-$version-py3-none-"*linux*.whl) ;;
  *) fail "wheel name $(basename "$wheel") is not followup-$version-py3-none-<linux tag>.whl" ;;
esac

echo "== the wheel's metadata"
python3 - "$wheel" "$version" <<'PY'
import sys, zipfile
wheel, version = sys.argv[1], sys.argv[2]
names = zipfile.ZipFile(wheel).namelist()
assert f"followup-{version}.data/scripts/followup" in names, names
meta = zipfile.ZipFile(wheel).read(f"followup-{version}.dist-info/METADATA").decode()
headers, _, body = meta.partition("\n\n")
fields = [line.split(": ", 1) for line in headers.splitlines() if ": " in line]
get = lambda key: [v for k, v in fields if k == key]
assert get("Name") == ["followup"], get("Name")
assert get("Version") == [version], get("Version")
assert get("Description-Content-Type")[0].startswith("text/markdown"), get("Description-Content-Type")
assert body.startswith("# followup\n"), "the README is not the long description"
assert get("License") == ["MIT OR Apache-2.0"], get("License")
assert any(c.startswith("Programming Language :: Rust") for c in get("Classifier")), "no classifiers"
urls = get("Project-URL")
assert urls and all("https://github.com/followup-notes/followup" in u for u in urls), urls
assert not get("Requires-Dist"), "the binary package has no dependencies"
print(f"metadata OK: followup {version}, {len(get('Classifier'))} classifiers, {len(urls)} URLs")
PY

echo "== install it with no Rust on PATH"
mkdir -p "$work/home"
fake_rust_tools "$work/fake-bin" "$work"
python3 -m venv "$work/venv"
env -i PATH="$work/fake-bin:$work/venv/bin:/usr/bin:/bin" HOME="$work/home" \
  "$work/venv/bin/pip" install --quiet --disable-pip-version-check --no-index "$wheel"
ls "$work"/called-* >/dev/null 2>&1 && fail "installing the wheel ran a Rust tool"
run() { env -i PATH="$work/fake-bin:$work/venv/bin:/usr/bin:/bin" HOME="$work/home" "$@"; }
[ "$(run sh -c 'command -v followup')" = "$work/venv/bin/followup" ] ||
  fail "followup on PATH is not the virtualenv's"

echo "== followup --version agrees with the wheel's metadata"
shown="$(run followup --version)"
echo "$shown"
installed="$(run python -c 'import importlib.metadata as m; print(m.version("followup"))')"
[ "$installed" = "$version" ] || fail "installed metadata says $installed, Cargo.toml $version"
[[ "$shown" =~ ^followup\ ([^ ]+)( \([0-9a-f]+\))?$ ]] || fail "unexpected --version: $shown"
[ "${BASH_REMATCH[1]}" = "$installed" ] ||
  fail "--version says ${BASH_REMATCH[1]}, the wheel's metadata $installed"

echo "== followup check on the demo notes, through the installed wheel"
cd "$project"
status=0
run followup check fixtures/notes --today 2026-11-23 --format concise > "$work/out" 2> "$work/err" ||
  status=$?
head -3 "$work/out"
echo "... ($(wc -l < "$work/out") lines)"
cat "$work/err"
[ "$status" -eq 1 ] || fail "exit code $status, expected 1 (the demo has overdue items)"
# The same output the cargo-built binary gives (the demo snapshot of tests/cli/demo.rs).
snapshot=tests/cli/snapshots/cli__demo__check_every_rule_fires_on_the_demo.snap
awk 'n >= 2 { print } /^---$/ { n++ }' "$snapshot" > "$work/expected"
diff -u "$work/expected" "$work/out" || fail "output differs from $snapshot"
grep -q "^Checked .* files\?, .* error" "$work/err" || fail "no summary on stderr"
ls "$work"/called-* >/dev/null 2>&1 && fail "running followup ran a Rust tool"

echo "== the GitHub Action's release installer, on a local copy of a release"
# The archive as .github/workflows/release.yml uploads it (taiki-e/upload-rust-binary-action:
# the binary at the archive's root, followup-TARGET.sha256 in `sha256sum` form beside it).
release="$work/release/v$version"
mkdir -p "$release" "$work/pkg"
cp "$work/venv/bin/followup" "$work/pkg/followup"
tar -czf "$release/followup-x86_64-unknown-linux-musl.tar.gz" -C "$work/pkg" followup
(cd "$release" && sha256sum followup-x86_64-unknown-linux-musl.tar.gz > followup-x86_64-unknown-linux-musl.sha256)
install_release() {
  env -i PATH=/usr/bin:/bin HOME="$work/home" RUNNER_OS=Linux RUNNER_ARCH=X64 \
    RUNNER_TEMP="$work" GITHUB_PATH="$work/github_path" FOLLOWUP_VERSION="v$version" \
    FOLLOWUP_RELEASE_URL="file://$work/release" bash "$project/scripts/install-release.sh"
}
: > "$work/github_path"
install_release > "$work/install.out" 2>&1 || { cat "$work/install.out"; fail "install-release.sh"; }
cat "$work/install.out"
grep -q "sha256 .* verified" "$work/install.out" || fail "checksum not verified"
bindir="$(cat "$work/github_path")"
[ -x "$bindir/followup" ] || fail "no followup in the folder added to GITHUB_PATH ($bindir)"
[ "$("$bindir/followup" --version)" = "$shown" ] || fail "installed binary differs"

echo "== a tampered archive is refused"
echo "tampered" >> "$release/followup-x86_64-unknown-linux-musl.tar.gz"
: > "$work/github_path"
if install_release > "$work/install.out" 2>&1; then
  cat "$work/install.out"; fail "a tampered archive was installed"
fi
cat "$work/install.out"
grep -q "checksum mismatch" "$work/install.out" || fail "no checksum message"
[ ! -s "$work/github_path" ] || fail "a tampered archive reached GITHUB_PATH"
echo "wheel: OK"
