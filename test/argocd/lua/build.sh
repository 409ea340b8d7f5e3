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

# shellcheck source=../../../scripts/cached-build.sh
source ../../../scripts/cached-build.sh
build_setup argocd-lua

key="$( { cat go.mod go.sum main.go; go env GOVERSION GOOS GOARCH; } | sha256sum | cut -c1-12)"
dir="$(cache_root argocd-lua)/$key"

is_complete() { [[ -x "$1/luahealth" ]]; }

build() {
  log "building luahealth with $(go env GOVERSION) into $dir"
  go_build luahealth . "$1/luahealth" "-s -w"
  echo "go=$(go env GOVERSION)" >"$1/complete"
}

cached_build "$dir" is_complete build
echo "$dir/luahealth"
