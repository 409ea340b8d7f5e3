#!/usr/bin/env bash
# Builds the upstream (Kubeflow) spark-operator binary, whose `controller start` the benchmark runs,
# from its Go module at the version pinned in versions.env, or reuses an earlier build.
#
# The binary goes to a cache outside the repository, keyed by the version and the module files:
#   ${CDK8S_SPARK_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/cdk8s-spark}/upstream-operator/<key>/bin/spark-operator
# and the CRDs of that release (the module's config/crd/bases) are copied next to it, into <key>/crds.
# Progress goes to stderr; the <key> directory is the only thing printed on stdout, so callers can do
#   dir="$(bash bench/upstream/build.sh)"
#
# Options:
#   --check   only check that go.mod agrees with versions.env, build nothing
#   --key     print the cache key and exit
#
# Runs unattended (no prompts, no stdin). Needs only a Go toolchain that satisfies go.mod's `go` line
# and access to the Go module proxy (or a warm module cache). Nothing is vendored.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here"

# shellcheck source=../../scripts/cached-build.sh
source ../../scripts/cached-build.sh
build_setup upstream
read_versions versions.env '[A-Z0-9_]+'
version="${want[SPARK_OPERATOR_VERSION]:-}"
pin="${want[SPARK_OPERATOR_K8S_PIN]:-}"
[[ "$version" =~ ^v2\.[0-9]+\.[0-9]+$ ]] || die "versions.env: SPARK_OPERATOR_VERSION must look like v2.N.M (got '$version')"
[[ "$pin" =~ ^v0\.[0-9]+\.[0-9]+$ ]] || die "versions.env: SPARK_OPERATOR_K8S_PIN must look like v0.N.M (got '$pin')"
module=github.com/kubeflow/spark-operator/v2

check_versions() {
  local selected path v problems=()
  selected="$(go list -m -f '{{.Path}} {{if .Replace}}{{.Replace.Version}}{{else}}{{.Version}}{{end}}' all)" \
    || die "go list -m all failed (is go.sum complete? run 'go mod tidy' in $here)"
  grep -q "^$module $version\$" <<<"$selected" || problems+=("$module is not $version: $(grep "^$module " <<<"$selected" || echo 'missing')")
  for path in k8s.io/api k8s.io/apimachinery k8s.io/client-go k8s.io/apiextensions-apiserver k8s.io/component-base; do
    v="$(awk -v p="$path" '$1 == p { print $2 }' <<<"$selected")"
    [[ "$v" == "$pin" ]] || problems+=("$path is ${v:-missing}, versions.env says $pin (upstream's replace pins)")
  done
  if ((${#problems[@]})); then
    printf '[upstream] go.mod disagrees with versions.env:\n' >&2
    printf '  - %s\n' "${problems[@]}" >&2
    exit 1
  fi
}

# The version stamps upstream's Makefile sets (`spark-operator version` prints them).
ldflags="-s -w -X k8s.io/component-base/version.gitVersion=$version -X k8s.io/component-base/version.gitTreeState=clean"
build_flags="-trimpath -ldflags=$ldflags"

cache_key() {
  local digest
  digest="$( { cat versions.env go.mod go.sum; go env GOVERSION GOOS GOARCH; printf '%s\n' "$build_flags"; } | sha256sum | cut -c1-12)"
  printf 'spark-operator-%s_%s' "$version" "$digest"
}

case "${1:-}" in
  --check) check_versions; log "go.mod agrees with versions.env ($module $version, k8s.io pins $pin)"; exit 0 ;;
  --key) cache_key; echo; exit 0 ;;
  "") ;;
  *) die "unknown option '$1' (expected --check or --key)" ;;
esac

dir="$(cache_root upstream-operator)/$(cache_key)"

is_complete() { [[ -f "$1/complete" && -x "$1/bin/spark-operator" && -d "$1/crds" ]]; }

build() {
  local out="$1" src start=$SECONDS
  check_versions
  log "building $module $version with $(go env GOVERSION) into $dir"
  mkdir -p "$out/bin" "$out/crds"
  go_build spark-operator "$module/cmd/operator" "$out/bin/spark-operator" "$ldflags"

  # The CRDs of the same release, from the module as the proxy served it (checked against go.sum).
  src="$(go list -m -f '{{.Dir}}' "$module")"
  [[ -n "$src" && -d "$src/config/crd/bases" ]] || die "the module source of $module has no config/crd/bases (is the module cache complete?)"
  cp "$src"/config/crd/bases/*.yaml "$out/crds/"
  chmod -R u+w "$out/crds"

  echo "spark-operator=$version go=$(go env GOVERSION) built_in_seconds=$((SECONDS - start))" >"$out/complete"
}

cached_build "$dir" is_complete build
echo "$dir"
