#!/usr/bin/env bash
# Builds the programs of the end-to-end real node that come from Go modules, or reuses an earlier build:
#   kubernetes (the default): kubelet and kube-proxy at the Kubernetes version of ../controlplane/versions.env
#   coredns: CoreDNS (coredns/main.go, the plugins the node needs) at the version coredns/go.mod pins
#
# A module of its own (go.mod here) with the same k8s.io/kubernetes require and staging `replace` lines
# as ../controlplane/go.mod: adding these targets to the control plane's module would change its go.mod
# and go.sum, hence its cache key, and force a rebuild of every control-plane binary for nothing. The
# check below holds the two modules to the same Kubernetes modules, so the node runs what the control
# plane was built from.
#
# The binaries go to a cache outside the repository, beside the control plane's, one folder per unit:
#   ${CDK8S_SPARK_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/cdk8s-spark}/node/<key>/bin
# Progress goes to stderr; the bin directory is the only thing printed on stdout.
#
# Usage: build.sh [--check | --key] [kubernetes | coredns]
#   --check   only check that go.mod agrees with the control plane's, build nothing
#   --key     print the cache key and exit
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here"

# shellcheck source=../../../scripts/cached-build.sh
source ../../../scripts/cached-build.sh
build_setup node

k8s="$(sed -n 's/^KUBERNETES_VERSION=//p' ../controlplane/versions.env)"
[[ "$k8s" =~ ^v1\.([0-9]+)\.([0-9]+)$ ]] || die "../controlplane/versions.env: KUBERNETES_VERSION must look like v1.N.M (got '$k8s')"
k8s_minor="${BASH_REMATCH[1]}"

selected() { (cd "$1" && go list -m -f '{{.Path}} {{if .Replace}}{{.Replace.Version}}{{else}}{{.Version}}{{end}}' all) \
  || die "go list -m all failed in $1 (is go.sum complete? run 'go mod tidy' there)"; }

# Every k8s.io module both modules select must be at the same version, and k8s.io/kubernetes at versions.env's.
check_versions() {
  local problems=() path mine theirs
  declare -A cp=()
  while read -r path theirs; do cp[$path]="$theirs"; done < <(selected ../controlplane)
  while read -r path mine; do
    [[ "$path" == k8s.io/* ]] || continue
    theirs="${cp[$path]:-}"
    [[ -z "$theirs" || "$mine" == "$theirs" ]] || problems+=("$path is $mine here, $theirs in ../controlplane/go.mod")
    [[ "$path" != k8s.io/kubernetes || "$mine" == "$k8s" ]] || problems+=("$path is $mine, versions.env says $k8s")
  done < <(selected .)
  if ((${#problems[@]})); then
    printf '[node] go.mod disagrees with the control plane:\n' >&2
    printf '  - %s\n' "${problems[@]}" >&2
    exit 1
  fi
}

ldflags="-X k8s.io/component-base/version.gitVersion=$k8s -X k8s.io/component-base/version.gitMajor=1"
ldflags+=" -X k8s.io/component-base/version.gitMinor=$k8s_minor -X k8s.io/component-base/version.gitTreeState=clean"
ldflags+=" -X k8s.io/client-go/pkg/version.gitVersion=$k8s -X k8s.io/client-go/pkg/version.gitMajor=1"
ldflags+=" -X k8s.io/client-go/pkg/version.gitMinor=$k8s_minor -X k8s.io/client-go/pkg/version.gitTreeState=clean"
action=build
unit=kubernetes
for arg in "$@"; do
  case "$arg" in
    --check | --key) action="${arg#--}" ;;
    kubernetes | coredns) unit="$arg" ;;
    *) die "unknown argument '$arg' (expected --check, --key, kubernetes or coredns)" ;;
  esac
done

if [[ "$unit" == kubernetes ]]; then
  targets=(
    "kubelet|k8s.io/kubernetes/cmd/kubelet"
    "kube-proxy|k8s.io/kubernetes/cmd/kube-proxy"
  )
  sources=(go.mod go.sum)
  version="$k8s"
  prefix="k8s-$k8s"
else
  cd coredns
  version="$(go list -m -f '{{.Version}}' github.com/coredns/coredns)" || die "coredns/go.mod does not require github.com/coredns/coredns"
  ldflags="-X github.com/coredns/coredns/coremain.GitCommit=$version"
  targets=("coredns|cdk8s-spark.dev/e2e/node/coredns")
  sources=(go.mod go.sum main.go)
  prefix="coredns-$version"
  check_versions() { :; }
fi

cache_key() {
  local digest
  digest="$( {
    echo "$version"
    cat "${sources[@]}"
    go env GOVERSION GOOS GOARCH
    printf '%s\n' "$ldflags" "${targets[@]}"
  } | sha256sum | cut -c1-12)"
  printf '%s_%s' "$prefix" "$digest"
}

case "$action" in
  check) check_versions; log "$unit: go.mod agrees with the control plane (kubernetes $k8s)"; exit 0 ;;
  key) cache_key; echo; exit 0 ;;
esac

dir="$(cache_root node)/$(cache_key)"
bin="$dir/bin"

build() {
  local out="$1" t name pkg start=$SECONDS
  check_versions
  log "building ${targets[*]%%|*} $version with $(go env GOVERSION) on $(nproc 2>/dev/null || echo '?') cores into $bin"
  mkdir -p "$out/bin"
  for t in "${targets[@]}"; do
    IFS='|' read -r name pkg <<<"$t"
    go_build "$name" "$pkg" "$out/bin/$name" "-s -w $ldflags"
  done
  {
    echo "$unit=$version go=$(go env GOVERSION)"
    echo "built_in_seconds=$((SECONDS - start))"
  } >"$out/complete"
}

cached_build "$dir" targets_built build
echo "$bin"
