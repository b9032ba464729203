#!/usr/bin/env bash
# Install a released followup binary: the archive for this runner's OS and architecture from
# the GitHub release, checked against the release's .sha256 file before it is unpacked.
# Used by action.yml when its `version` input is set; tests/integrations/wheel.sh runs it on a
# local copy of a release (file:// URL), with a good and a tampered checksum.
#
# Environment (the action sets it; nothing is pasted into shell code):
#   FOLLOWUP_VERSION      0.2.0 or v0.2.0 (required)
#   FOLLOWUP_REPOSITORY   owner/name of the release (default followup-notes/followup)
#   FOLLOWUP_RELEASE_URL  base URL of the releases' downloads (default
#                         https://github.com/$FOLLOWUP_REPOSITORY/releases/download)
#   RUNNER_OS, RUNNER_ARCH, RUNNER_TEMP, GITHUB_PATH  as GitHub Actions sets them
# The archive names are those of .github/workflows/release.yml and of
# [package.metadata.binstall] in Cargo.toml: followup-TARGET.tar.gz (zip on Windows), with
# followup-TARGET.sha256 beside it.
set -euo pipefail

version="${FOLLOWUP_VERSION:?FOLLOWUP_VERSION is required}"
version="${version#v}"
if ! [[ "$version" =~ ^[0-9]+\.[0-9]+\.[0-9]+([.+-][0-9A-Za-z.+-]+)?$ ]]; then
  echo "followup: version must look like 1.2.3, got: $version" >&2
  exit 2
fi
repository="${FOLLOWUP_REPOSITORY:-followup-notes/followup}"
base="${FOLLOWUP_RELEASE_URL:-https://github.com/$repository/releases/download}"

os="${RUNNER_OS:-$(uname -s)}"
arch="${RUNNER_ARCH:-$(uname -m)}"
case "$arch" in
  X64 | x86_64 | amd64) arch=x86_64 ;;
  ARM64 | arm64 | aarch64) arch=aarch64 ;;
  *) echo "followup: no released binary for the architecture $arch" >&2; exit 2 ;;
esac
ext=tar.gz
case "$os" in
  Linux) target="$arch-unknown-linux-musl" ;; # static: runs on any Linux runner or container
  macOS | Darwin) target="$arch-apple-darwin" ;;
  Windows | MINGW* | MSYS* | CYGWIN*)
    [ "$arch" = x86_64 ] || { echo "followup: no released binary for Windows on $arch" >&2; exit 2; }
    target=x86_64-pc-windows-msvc ext=zip ;;
  *) echo "followup: no released binary for the OS $os" >&2; exit 2 ;;
esac

archive="followup-$target.$ext"
work="$(mktemp -d "${RUNNER_TEMP:-${TMPDIR:-/tmp}}/followup.XXXXXX")"
cd "$work"
echo "followup: downloading $base/v$version/$archive"
curl --fail --silent --show-error --location --retry 3 -o "$archive" "$base/v$version/$archive"
curl --fail --silent --show-error --location --retry 3 -o checksum "$base/v$version/followup-$target.sha256"

expected="$(awk -v f="$archive" '{ name = $2; sub(/^\*/, "", name) } name == f { print $1 }' checksum)"
if command -v sha256sum >/dev/null 2>&1; then
  actual="$(sha256sum "$archive" | awk '{ print $1 }')"
else
  actual="$(shasum -a 256 "$archive" | awk '{ print $1 }')"
fi
if [ -z "$expected" ] || [ "$expected" != "$actual" ]; then
  echo "followup: checksum mismatch for $archive: expected ${expected:-nothing}, got $actual" >&2
  exit 1
fi
echo "followup: sha256 $actual verified"

mkdir bin
if [ "$ext" = zip ] && command -v unzip >/dev/null 2>&1; then
  unzip -q "$archive" -d bin
elif [ "$ext" = zip ]; then
  powershell -NoProfile -Command "Expand-Archive -LiteralPath '$archive' -DestinationPath bin"
else
  tar -xzf "$archive" -C bin
fi
[ -f bin/followup ] || [ -f bin/followup.exe ] || { echo "followup: no binary in $archive" >&2; exit 1; }
chmod +x bin/followup* 2>/dev/null || true
"$work/bin/followup" --version
if [ -n "${GITHUB_PATH:-}" ]; then
  echo "$work/bin" >> "$GITHUB_PATH"
else
  echo "$work/bin"
fi
