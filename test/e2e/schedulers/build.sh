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

# shellcheck source=../../../scripts/cached-build.sh
source ../../../scripts/cached-build.sh
build_setup schedulers
read_versions versions.env

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

dir="$(cache_root schedulers)/$(cache_key)"

build() {
  local out="$1" t name pkg extra moddir pattern f found start=$SECONDS
  check_versions
  log "building $unit ($module $version${k8s:+ with kubernetes $k8s}) with $(go env GOVERSION) on $(nproc 2>/dev/null || echo '?') cores into $dir"
  mkdir -p "$out/bin" "$out/crds"
  for t in "${targets[@]}"; do
    IFS='|' read -r name pkg extra <<<"$t"
    go_build "$name" "$pkg" "$out/bin/$name" "-s -w $extra"
  done

  # The CRDs, from the module the binaries were built from (the module cache is read-only: copy).
  moddir="$(go list -m -f '{{.Dir}}' "$module")"
  [[ -d "$moddir" ]] || die "the module folder of $module is not in the module cache"
  for pattern in "${crds[@]}"; do
    found=0
    for f in "$moddir"/$pattern; do
      [[ -f "$f" ]] || continue
      install -m 0644 "$f" "$out/crds/"
      found=1
    done
    ((found)) || die "no CRD matches $pattern in $module $version"
  done
  log "copied $(ls "$out/crds" | wc -l) CRDs: $(cd "$out/crds" && echo *)"

  {
    echo "$unit=$version${k8s:+ kubernetes=$k8s} go=$(go env GOVERSION)"
    echo "built_in_seconds=$((SECONDS - start))"
  } >"$out/complete"
}

cached_build "$dir" targets_built build
echo "$dir"
