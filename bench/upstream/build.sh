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

log() { printf '[upstream] %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

# No toolchain download, no cgo (upstream's Makefile builds it static too), no developer GOFLAGS.
export GOTOOLCHAIN=local
export CGO_ENABLED=0
export GOFLAGS="-mod=readonly -buildvcs=false"
unset GOOS GOARCH || true
export GOWORK=off

command -v go >/dev/null 2>&1 || die "go is not on PATH (a Go toolchain >= the 'go' line of $here/go.mod is needed)"

declare -A want=()
while IFS='=' read -r k v; do
  [[ "$k" =~ ^[A-Z0-9_]+$ ]] || continue
  want[$k]="$v"
done < <(grep -E '^[A-Z0-9_]+=' versions.env)
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

cache_root="${CDK8S_SPARK_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/cdk8s-spark}/upstream-operator"
key="$(cache_key)"
dir="$cache_root/$key"

complete() { [[ -f "$dir/complete" && -x "$dir/bin/spark-operator" && -d "$dir/crds" ]]; }

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

log "building $module $version with $(go env GOVERSION) into $dir"
partial="$dir.partial"
rm -rf "$partial" "$dir"
mkdir -p "$partial/bin" "$partial/crds"
start=$SECONDS
( while sleep 60; do log "  ... still building ($((SECONDS - start))s)"; done ) &
beat=$!
status=0
go build -trimpath -ldflags="$ldflags" -o "$partial/bin/spark-operator" "$module/cmd/operator" || status=$?
kill "$beat" 2>/dev/null || true
wait "$beat" 2>/dev/null || true
((status == 0)) || die "building the operator failed (exit $status)"

# The CRDs of the same release, from the module as the proxy served it (checked against go.sum).
src="$(go list -m -f '{{.Dir}}' "$module")"
[[ -n "$src" && -d "$src/config/crd/bases" ]] || die "the module source of $module has no config/crd/bases (is the module cache complete?)"
cp "$src"/config/crd/bases/*.yaml "$partial/crds/"
chmod -R u+w "$partial/crds"

echo "spark-operator=$version go=$(go env GOVERSION) built_in_seconds=$((SECONDS - start))" >"$partial/complete"
mv "$partial" "$dir"
log "done in $((SECONDS - start))s: $dir"
echo "$dir"
