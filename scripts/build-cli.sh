#!/usr/bin/env bash
# Builds a Terraform or OpenTofu CLI from the Go module proxy and prints its path.
#
#   scripts/build-cli.sh terraform 1.16.4   ->  .cache/cli/terraform-1.16.4/terraform
#   scripts/build-cli.sh tofu 1.12.6        ->  .cache/cli/tofu-1.12.6/tofu
#
# Neither CLI installs with `go install`: both go.mod files carry `replace`
# directives, so each is built in a writable copy of the downloaded module
# directory. Terraform's module zip also lacks the nested modules its go.mod
# replaces with local folders (the remote-state backends s3, gcs, azure,
# consul, cos, kubernetes, oss, pg, oci, and internal/legacy). The tests need
# only the local backend, so those folders become bare go.mod stubs and their
# registrations are dropped from internal/backend/init/init.go. Terraform's
# http and inmem backends are in the main module and stay.
#
# The binary is cached by name and version under .cache/cli (git-ignored), so a
# later run prints the path at once. Nothing is ever downloaded but Go modules.
# Progress goes to stderr; only the binary's path goes to stdout.
set -euo pipefail

name=${1:?usage: build-cli.sh terraform|tofu VERSION}
version=${2:?usage: build-cli.sh terraform|tofu VERSION}
root=$(cd "$(dirname "$0")/.." && pwd)
cache=${CLI_CACHE:-$root/.cache/cli}
out=$cache/$name-$version/$name

say() { echo "build-cli: $*" >&2; }

if [[ -x $out ]]; then
  echo "$out"
  exit 0
fi

case $name in
  terraform)
    module=github.com/hashicorp/terraform
    pkg=.
    ldflags="-s -w -X github.com/hashicorp/terraform/version.dev=no"
    ;;
  tofu)
    module=github.com/opentofu/opentofu
    pkg=./cmd/tofu
    ldflags="-s -w -X github.com/opentofu/opentofu/version.dev=no"
    ;;
  *)
    say "unknown CLI '$name' (terraform or tofu)"
    exit 2
    ;;
esac

start=$(date +%s)
elapsed() { echo "$(($(date +%s) - start))s"; }
work=$(mktemp -d "${TMPDIR:-/tmp}/build-$name-$version.XXXXXX")
ticker=
cleanup() {
  [[ -z $ticker ]] || kill "$ticker" 2>/dev/null || true
  chmod -R u+w "$work" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

say "$name $version: downloading $module@v$version from the Go module proxy"
# Outside any module, so that this project's go.mod and go.sum stay as they are.
dir=$(cd "$work" && GOFLAGS=-mod=mod go mod download -json "$module@v$version" |
  sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
if [[ -z $dir || ! -d $dir ]]; then
  say "could not download $module@v$version"
  exit 1
fi

say "$name $version: copying the module to $work"
cp -R "$dir/." "$work/src"
chmod -R u+w "$work/src"
cd "$work/src"

if [[ $name == terraform ]]; then
  say "$name $version: stubbing the remote-state backends and internal/legacy (only the local backend is needed)"
  for b in azure consul cos gcs kubernetes oss pg s3 oci; do
    mkdir -p "internal/backend/remote-state/$b"
    printf 'module github.com/hashicorp/terraform/internal/backend/remote-state/%s\n' "$b" \
      >"internal/backend/remote-state/$b/go.mod"
  done
  mkdir -p internal/legacy
  printf 'module github.com/hashicorp/terraform/internal/legacy\n' >internal/legacy/go.mod
  # Drop the stubbed backends' imports and their lines in the backends map.
  init=internal/backend/init/init.go
  sed -i -E \
    -e '/backend(Azure|Consul|Cos|GCS|Kubernetes|OCI|OSS|Pg|S3) "/d' \
    -e '/return backend(Azure|Consul|Cos|GCS|Kubernetes|OCI|OSS|Pg|S3)\.New\(\)/d' \
    "$init"
  if grep -qE 'backend(Azure|Consul|Cos|GCS|Kubernetes|OCI|OSS|Pg|S3)' "$init"; then
    say "$init still names a stubbed backend; the script needs updating for $version"
    exit 1
  fi
fi

say "$name $version: downloading its dependencies and compiling (5 to 15 minutes on 2 cores)"
# A line every minute, so that a CI log shows the build is alive.
(while sleep 60; do say "$name $version: still compiling ($(elapsed))"; done) &
ticker=$!
mkdir -p "$(dirname "$out")"
GOFLAGS=-mod=mod CGO_ENABLED=0 go build -trimpath -ldflags "$ldflags" -o "$out.$$.tmp" "$pkg"
kill "$ticker" 2>/dev/null || true
ticker=

# The binary must report exactly this version (without version.dev=no,
# Terraform says 1.16.4-dev). No CLI configuration: OpenTofu prints a
# warning about a missing one on standard output.
want="Terraform v$version"
[[ $name == tofu ]] && want="OpenTofu v$version"
got=$(TF_CLI_CONFIG_FILE=/dev/null "$out.$$.tmp" version | sed -n 1p)
if [[ $got != "$want" ]]; then
  rm -f "$out.$$.tmp"
  say "$name $version: the binary reports '$got', not '$want'"
  exit 1
fi
mv "$out.$$.tmp" "$out"
say "$name $version: built in $(elapsed): $got at $out"
echo "$out"
