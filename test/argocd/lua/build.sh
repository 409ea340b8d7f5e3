#!/usr/bin/env bash
# Builds luahealth (main.go: Argo CD health scripts run in gopher-lua), or reuses an earlier build.
#
# The binary goes to a cache outside the repository, keyed by this folder's Go files and the Go version:
#   ${CDK8S_SPARK_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/cdk8s-spark}/argocd-lua/<key>/luahealth
# Progress goes to stderr; the binary's path is the only thing printed on stdout.
#
# Needs only a Go toolchain that satisfies go.mod's `go` line and the Go module proxy (or a warm
# module cache).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here"

log() { printf '[argocd-lua] %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

export GOTOOLCHAIN=local
export CGO_ENABLED=0
export GOFLAGS="-mod=readonly -buildvcs=false"
export GOWORK=off
unset GOOS GOARCH || true

command -v go >/dev/null 2>&1 || die "go is not on PATH (a Go toolchain >= the 'go' line of $here/go.mod is needed)"

key="$( { cat go.mod go.sum main.go; go env GOVERSION GOOS GOARCH; } | sha256sum | cut -c1-12)"
dir="${CDK8S_SPARK_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/cdk8s-spark}/argocd-lua/$key"
bin="$dir/luahealth"

if [[ ! -x "$bin" ]]; then
  mkdir -p "$dir"
  log "building luahealth with $(go env GOVERSION) into $dir"
  # Build next to the target and rename, so a concurrent run never sees half a binary.
  go build -trimpath -ldflags="-s -w" -o "$bin.partial.$$" . || die "go build failed"
  mv -f "$bin.partial.$$" "$bin"
fi
echo "$bin"
