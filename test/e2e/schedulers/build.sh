#!/usr/bin/env bash
# Builds one batch scheduler of the end-to-end tests from its Go module at the versions pinned in
# versions.env, with the CRDs it needs taken from the same module, or reuses an earlier build:
#   scheduler-plugins   kube-scheduler (with the Coscheduling plugin) and controller (PodGroup status);
#                       CRDs PodGroup and ElasticQuota (scheduling.x-k8s.io)
#   kueue               kueue (the controller manager); every CRD of kueue.x-k8s.io
#
# Each unit is a module of its own (<unit>/go.mod). The result goes to a cache outside the
# repository, keyed by the versions, the module files and the Go version:
#   ${CDK8S_SPARK_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/cdk8s-spark}/schedulers/<key>/{bin,crds}
# Progress goes to stderr; the unit's folder is the only thing printed on stdout, so callers can do
#   dir="$(bash test/e2e/schedulers/build.sh kueue)"   # then "$dir/bin/kueue", "$dir/crds/*.yaml"
#
# Usage: build.sh [--check | --key] <scheduler-plugins | kueue>
#   --check   only check that the unit's go.mod agrees with versions.env, build nothing
#   --key     print the cache key and exit
#
# Runs unattended. Volcano and YuniKorn are not here: the Go module proxy refuses their modules
# (versions.env says which were tried).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here"

log() { printf '[schedulers] %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

export GOTOOLCHAIN=local
export CGO_ENABLED=0
export GOFLAGS="-mod=readonly -buildvcs=false"
unset GOOS GOARCH || true
export GOWORK=off

command -v go >/dev/null 2>&1 || die "go is not on PATH (a Go toolchain >= the 'go' line of the unit's go.mod is needed)"

declare -A want=()
while IFS='=' read -r k v; do
  [[ "$k" =~ ^[A-Z_]+$ ]] || continue
  want[$k]="$v"
done < <(grep -E '^[A-Z_]+=' versions.env)

action=build
unit=
for arg in "$@"; do
  case "$arg" in
    --check | --key) action="${arg#--}" ;;
    scheduler-plugins | kueue) unit="$arg" ;;
    *) die "unknown argument '$arg' (expected --check, --key, scheduler-plugins or kueue)" ;;
  esac
done
[[ -n "$unit" ]] || die "which scheduler? (expected scheduler-plugins or kueue)"

# name|package|ldflags ; crd globs are relative to the module's folder.
case "$unit" in
  scheduler-plugins)
    module=sigs.k8s.io/scheduler-plugins
    version="${want[SCHEDULER_PLUGINS_VERSION]:?versions.env does not set SCHEDULER_PLUGINS_VERSION}"
    k8s="${want[SCHEDULER_PLUGINS_KUBERNETES_VERSION]:?versions.env does not set SCHEDULER_PLUGINS_KUBERNETES_VERSION}"
    [[ "$k8s" =~ ^v1\.([0-9]+)\.([0-9]+)$ ]] || die "SCHEDULER_PLUGINS_KUBERNETES_VERSION must look like v1.N.M (got '$k8s')"
    staging="v0.${BASH_REMATCH[1]}.${BASH_REMATCH[2]}"
    # The Kubernetes version stamps, as Kubernetes' own build writes them: kube-scheduler derives its
    # emulation and compatibility versions from them (a v0.34.7 stamp, scheduler-plugins' own
    # version, is refused at start: "emulation version 0.34 is not between [1.31, 0.34.0]").
    minor="${k8s#v1.}"; minor="${minor%%.*}"
    ldflags="-X k8s.io/component-base/version.gitVersion=$k8s -X k8s.io/component-base/version.gitMajor=1"
    ldflags+=" -X k8s.io/component-base/version.gitMinor=$minor -X k8s.io/component-base/version.gitTreeState=clean"
    ldflags+=" -X k8s.io/client-go/pkg/version.gitVersion=$k8s -X k8s.io/client-go/pkg/version.gitMajor=1"
    ldflags+=" -X k8s.io/client-go/pkg/version.gitMinor=$minor -X k8s.io/client-go/pkg/version.gitTreeState=clean"
    targets=(
      "kube-scheduler|$module/cmd/scheduler|$ldflags"
      "controller|$module/cmd/controller|$ldflags"
    )
    crds=(config/crd/bases/scheduling.x-k8s.io_podgroups.yaml config/crd/bases/scheduling.x-k8s.io_elasticquotas.yaml)
    prefix="scheduler-plugins-$version-k8s-$k8s"
    ;;
  kueue)
    module=sigs.k8s.io/kueue
    version="${want[KUEUE_VERSION]:?versions.env does not set KUEUE_VERSION}"
    k8s=
    staging=
    targets=("kueue|$module/cmd/kueue|-X $module/pkg/version.GitVersion=$version")
    crds=(config/components/crd/bases/*.yaml)
    prefix="kueue-$version"
    ;;
esac

selected() { go list -m -f '{{.Path}} {{if .Replace}}{{.Replace.Version}}{{else}}{{.Version}}{{end}}' all \
  || die "go list -m all failed in $here/$unit (is go.sum complete? run 'go mod tidy' there)"; }

# The unit's module at versions.env's version; for scheduler-plugins also k8s.io/kubernetes and every
# staging module (v0.<minor>.<patch>) at SCHEDULER_PLUGINS_KUBERNETES_VERSION.
check_versions() {
  local problems=() path v
  while read -r path v; do
    case "$path" in
      "$module") [[ "$v" == "$version" ]] || problems+=("$path is $v, versions.env says $version") ;;
      k8s.io/kubernetes) [[ -z "$k8s" || "$v" == "$k8s" ]] || problems+=("$path is $v, versions.env says $k8s") ;;
      k8s.io/*)
        if [[ "$v" == "v0.0.0" ]]; then
          problems+=("$path resolves to v0.0.0: add 'replace $path => $path ${staging:-v0.N.M}' to $unit/go.mod")
        elif [[ -n "$staging" && "$v" =~ ^v0\.([0-9]+)\.[0-9]+$ && "${BASH_REMATCH[1]}" -ge 20 && "$v" != "$staging" ]]; then
          problems+=("$path is $v, expected $staging to match Kubernetes $k8s")
        fi ;;
    esac
  done < <(selected)
  grep -q "^$module " < <(selected) || problems+=("$module is not in $unit/go.mod")
  if ((${#problems[@]})); then
    printf '[schedulers] %s/go.mod disagrees with versions.env:\n' "$unit" >&2
    printf '  - %s\n' "${problems[@]}" >&2
    exit 1
  fi
}

cd "$unit"
build_flags="-trimpath -ldflags=-s -w"
cache_key() {
  local digest
  digest="$( {
    echo "$unit $version $k8s"
    cat go.mod go.sum
    go env GOVERSION GOOS GOARCH
    printf '%s\n' "$build_flags" "${targets[@]}" "${crds[@]}"
  } | sha256sum | cut -c1-12)"
  printf '%s_%s' "$prefix" "$digest"
}

case "$action" in
  check) check_versions; log "$unit: go.mod agrees with versions.env ($module $version${k8s:+, kubernetes $k8s})"; exit 0 ;;
  key) cache_key; echo; exit 0 ;;
esac

cache_root="${CDK8S_SPARK_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/cdk8s-spark}/schedulers"
key="$(cache_key)"
dir="$cache_root/$key"

complete() {
  [[ -f "$dir/complete" ]] || return 1
  local t
  for t in "${targets[@]}"; do [[ -x "$dir/bin/${t%%|*}" ]] || return 1; done
}

if complete; then
  log "reusing $dir"
  echo "$dir"
  exit 0
fi

check_versions
mkdir -p "$cache_root"
if command -v flock >/dev/null 2>&1; then
  exec 9>"$cache_root/$key.lock"
  flock 9
  if complete; then log "reusing $dir (built by another run while we waited)"; echo "$dir"; exit 0; fi
fi

log "building $unit ($module $version${k8s:+ with kubernetes $k8s}) with $(go env GOVERSION) on $(nproc 2>/dev/null || echo '?') cores into $dir"
partial="$dir.partial"
rm -rf "$partial" "$dir"
mkdir -p "$partial/bin" "$partial/crds"

start=$SECONDS
for t in "${targets[@]}"; do
  IFS='|' read -r name pkg extra <<<"$t"
  log "building $name ($pkg) ..."
  t0=$SECONDS
  ( while sleep 60; do log "  ... still building $name ($((SECONDS - t0))s)"; done ) &
  beat=$!
  status=0
  go build -trimpath -ldflags="-s -w $extra" -o "$partial/bin/$name" "$pkg" || status=$?
  kill "$beat" 2>/dev/null || true
  wait "$beat" 2>/dev/null || true
  ((status == 0)) || die "building $name failed (exit $status)"
  log "built $name in $((SECONDS - t0))s (total $((SECONDS - start))s)"
done

# The CRDs, from the module the binaries were built from (the module cache is read-only: copy).
moddir="$(go list -m -f '{{.Dir}}' "$module")"
[[ -d "$moddir" ]] || die "the module folder of $module is not in the module cache"
for pattern in "${crds[@]}"; do
  found=0
  for f in "$moddir"/$pattern; do
    [[ -f "$f" ]] || continue
    install -m 0644 "$f" "$partial/crds/"
    found=1
  done
  ((found)) || die "no CRD matches $pattern in $module $version"
done
log "copied $(ls "$partial/crds" | wc -l) CRDs: $(cd "$partial/crds" && echo *)"

{
  echo "$unit=$version${k8s:+ kubernetes=$k8s} go=$(go env GOVERSION)"
  echo "built_in_seconds=$((SECONDS - start))"
} >"$partial/complete"
mv "$partial" "$dir"
log "done in $((SECONDS - start))s: $dir"
echo "$dir"
