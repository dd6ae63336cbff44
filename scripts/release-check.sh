#!/usr/bin/env bash
# make release-check: cross-compile every target .goreleaser.yml releases,
# with plain `go build` (no goreleaser download), and check the registry
# manifest. Fails on the first error.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

goos=$(sed -n '/^    goos:/,/^    goarch:/p' .goreleaser.yml | sed -n 's/^      - //p')
goarch=$(sed -n '/^    goarch:/,/^    binary:/p' .goreleaser.yml | sed -n 's/^      - //p')
[[ -n "$goos" && -n "$goarch" ]] || { echo "could not read goos/goarch from .goreleaser.yml" >&2; exit 1; }
grep -q '"6.0"' terraform-registry-manifest.json || { echo "terraform-registry-manifest.json must declare protocol 6.0" >&2; exit 1; }

out=$(mktemp -d "${TMPDIR:-/tmp}/entrupy-release.XXXXXX")
trap 'rm -rf "$out"' EXIT
version=0.0.0-check
count=0
for os in $goos; do
  for arch in $goarch; do
    ext=""; [[ $os == windows ]] && ext=.exe
    bin="$out/terraform-provider-entrupy_${version}_${os}_${arch}/terraform-provider-entrupy_v${version}${ext}"
    CGO_ENABLED=0 GOOS=$os GOARCH=$arch go build -trimpath -ldflags "-s -w -X main.version=$version" -o "$bin" .
    printf '  %-8s %-6s %s\n' "$os" "$arch" "$(du -h "$bin" | cut -f1)"
    count=$((count + 1))
  done
done
echo "release-check: built $count targets"
[[ $count -eq 8 ]] || { echo "expected 8 targets, built $count" >&2; exit 1; }
