#!/usr/bin/env bash
# Builds the end-to-end control plane (etcd, kube-apiserver, kube-controller-manager, kube-scheduler,
# kubectl, kwok) from Go modules at the versions pinned in versions.env, or reuses an earlier build.
#
# The binaries go to a cache outside the repository, keyed by the versions and the module files:
#   ${CDK8S_SPARK_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/cdk8s-spark}/controlplane/<key>/bin
# Progress goes to stderr; the bin directory is the only thing printed on stdout, so callers can do
#   bin="$(bash test/e2e/controlplane/build.sh)"
#
# Options:
#   --check   only check that go.mod agrees with versions.env, build nothing
#   --key     print the cache key and exit
#
# Runs unattended (no prompts, no stdin). Needs only a Go toolchain that satisfies go.mod's `go` line
# and access to the Go module proxy (or a warm module cache).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here"
# shellcheck source=../../../scripts/cached-build.sh
source ../../../scripts/cached-build.sh
build_setup controlplane

# --- versions: read versions.env (KEY=value lines only, no shell evaluation) -------------------------
read_versions versions.env
for k in KUBERNETES_VERSION ETCD_VERSION KWOK_VERSION; do
  [[ -n "${want[$k]:-}" ]] || die "versions.env does not set $k"
done
k8s="${want[KUBERNETES_VERSION]}"
etcd="${want[ETCD_VERSION]}"
kwok="${want[KWOK_VERSION]}"
[[ "$k8s" =~ ^v1\.([0-9]+)\.([0-9]+)$ ]] || die "KUBERNETES_VERSION must look like v1.N.M (got '$k8s')"
k8s_minor="${BASH_REMATCH[1]}"
staging="v0.${BASH_REMATCH[1]}.${BASH_REMATCH[2]}"

# --- check that go.mod selects exactly those versions ---------------------------------------------------
check_versions() {
  local selected path version problems=()
  selected="$(go list -m -f '{{.Path}} {{if .Replace}}{{.Replace.Version}}{{else}}{{.Version}}{{end}}' all)" \
    || die "go list -m all failed (is go.sum complete? run 'go mod tidy' in $here)"
  while read -r path version; do
    case "$path" in
      k8s.io/kubernetes) [[ "$version" == "$k8s" ]] || problems+=("$path is $version, versions.env says $k8s") ;;
      go.etcd.io/etcd/server/v3) [[ "$version" == "$etcd" ]] || problems+=("$path is $version, versions.env says $etcd") ;;
      sigs.k8s.io/kwok) [[ "$version" == "$kwok" ]] || problems+=("$path is $version, versions.env says $kwok") ;;
      k8s.io/*)
        # Staging modules follow v0.<minor>.<patch>; kube-openapi, utils and klog have their own numbering.
        if [[ "$version" == "v0.0.0" ]]; then
          problems+=("$path resolves to v0.0.0: add 'replace $path => $path $staging' to go.mod")
        elif [[ "$version" =~ ^v0\.([0-9]+)\.[0-9]+ && "${BASH_REMATCH[1]}" -ge 20 && "$version" != "$staging" ]]; then
          problems+=("$path is $version, expected $staging to match Kubernetes $k8s")
        fi ;;
    esac
  done <<<"$selected"
  for path in k8s.io/kubernetes go.etcd.io/etcd/server/v3 sigs.k8s.io/kwok; do
    grep -q "^$path " <<<"$selected" || problems+=("$path is not in go.mod")
  done
  if ((${#problems[@]})); then
    printf '[controlplane] go.mod disagrees with versions.env:\n' >&2
    printf '  - %s\n' "${problems[@]}" >&2
    exit 1
  fi
}

# --- what to build ---------------------------------------------------------------------------------------
k8s_ldflags="-X k8s.io/component-base/version.gitVersion=$k8s -X k8s.io/component-base/version.gitMajor=1"
k8s_ldflags+=" -X k8s.io/component-base/version.gitMinor=$k8s_minor -X k8s.io/component-base/version.gitTreeState=clean"
k8s_ldflags+=" -X k8s.io/client-go/pkg/version.gitVersion=$k8s -X k8s.io/client-go/pkg/version.gitMajor=1"
k8s_ldflags+=" -X k8s.io/client-go/pkg/version.gitMinor=$k8s_minor -X k8s.io/client-go/pkg/version.gitTreeState=clean"
# name|package|extra ldflags ; the biggest first so a slow machine shows the worst early.
targets=(
  "kube-apiserver|k8s.io/kubernetes/cmd/kube-apiserver|$k8s_ldflags"
  "kube-controller-manager|k8s.io/kubernetes/cmd/kube-controller-manager|$k8s_ldflags"
  "kube-scheduler|k8s.io/kubernetes/cmd/kube-scheduler|$k8s_ldflags"
  "kubectl|k8s.io/kubernetes/cmd/kubectl|$k8s_ldflags"
  "etcd|go.etcd.io/etcd/server/v3|"
  "kwok|sigs.k8s.io/kwok/cmd/kwok|"
)
build_flags="-trimpath -ldflags=-s -w"

cache_key() {
  local digest
  digest="$( {
    cat versions.env go.mod go.sum
    go env GOVERSION GOOS GOARCH
    printf '%s\n' "$build_flags" "${targets[@]}"
  } | sha256sum | cut -c1-12)"
  printf 'k8s-%s_etcd-%s_kwok-%s_%s' "$k8s" "$etcd" "$kwok" "$digest"
}

case "${1:-}" in
  --check) check_versions; log "go.mod agrees with versions.env (kubernetes $k8s, staging $staging, etcd $etcd, kwok $kwok)"; exit 0 ;;
  --key) cache_key; echo; exit 0 ;;
  "") ;;
  *) die "unknown option '$1' (expected --check or --key)" ;;
esac

dir="$(cache_root controlplane)/$(cache_key)"
bin="$dir/bin"

build() {
  local out="$1" t name pkg extra start=$SECONDS
  check_versions
  log "building kubernetes $k8s, etcd $etcd, kwok $kwok with $(go env GOVERSION) on $(nproc 2>/dev/null || echo '?') cores"
  log "into $bin (a cold build takes a long time: every package of kube-apiserver and friends is compiled)"
  mkdir -p "$out/bin"
  for t in "${targets[@]}"; do
    IFS='|' read -r name pkg extra <<<"$t"
    go_build "$name" "$pkg" "$out/bin/$name" "-s -w $extra"
  done
  {
    echo "kubernetes=$k8s etcd=$etcd kwok=$kwok go=$(go env GOVERSION)"
    echo "built_in_seconds=$((SECONDS - start))"
  } >"$out/complete"
}

cached_build "$dir" targets_built build
echo "$bin"
