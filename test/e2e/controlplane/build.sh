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

log() { printf '[controlplane] %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

# Builds must never fetch a toolchain, use cgo or pick up a developer's GOFLAGS that change the result.
export GOTOOLCHAIN=local
export CGO_ENABLED=0
export GOFLAGS="-mod=readonly -buildvcs=false"
unset GOOS GOARCH GOWORK || true
export GOWORK=off

command -v go >/dev/null 2>&1 || die "go is not on PATH (a Go toolchain >= the 'go' line of $here/go.mod is needed)"

# --- versions: read versions.env (KEY=value lines only, no shell evaluation) -------------------------
declare -A want=()
while IFS='=' read -r k v; do
  [[ "$k" =~ ^[A-Z_]+$ ]] || continue
  want[$k]="$v"
done < <(grep -E '^[A-Z_]+=' versions.env)
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

cache_root="${CDK8S_SPARK_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/cdk8s-spark}/controlplane"
key="$(cache_key)"
dir="$cache_root/$key"
bin="$dir/bin"

complete() {
  [[ -f "$dir/complete" ]] || return 1
  local t
  for t in "${targets[@]}"; do [[ -x "$bin/${t%%|*}" ]] || return 1; done
}

if complete; then
  log "reusing $bin"
  echo "$bin"
  exit 0
fi

check_versions
mkdir -p "$cache_root"
# Two builds of the same key (two terminals, a test run and a manual run) wait for each other.
if command -v flock >/dev/null 2>&1; then
  exec 9>"$cache_root/$key.lock"
  flock 9
  if complete; then log "reusing $bin (built by another run while we waited)"; echo "$bin"; exit 0; fi
fi

log "building kubernetes $k8s, etcd $etcd, kwok $kwok with $(go env GOVERSION) on $(nproc 2>/dev/null || echo '?') cores"
log "into $bin (a cold build takes a long time: every package of kube-apiserver and friends is compiled)"
partial="$dir/bin.partial"
rm -rf "$partial" "$bin" "$dir/complete"
mkdir -p "$partial"

start=$SECONDS
for t in "${targets[@]}"; do
  IFS='|' read -r name pkg extra <<<"$t"
  log "building $name ($pkg) ..."
  t0=$SECONDS
  # A heartbeat so CI logs show life during the long compile of the first binary.
  ( while sleep 60; do log "  ... still building $name ($((SECONDS - t0))s)"; done ) &
  beat=$!
  status=0
  go build -trimpath -ldflags="-s -w $extra" -o "$partial/$name" "$pkg" || status=$?
  kill "$beat" 2>/dev/null || true
  wait "$beat" 2>/dev/null || true
  ((status == 0)) || die "building $name failed (exit $status)"
  log "built $name in $((SECONDS - t0))s (total $((SECONDS - start))s)"
done

mv "$partial" "$bin"
{
  echo "kubernetes=$k8s etcd=$etcd kwok=$kwok go=$(go env GOVERSION)"
  echo "built_in_seconds=$((SECONDS - start))"
} >"$dir/complete"
log "done in $((SECONDS - start))s: $bin"
echo "$bin"
