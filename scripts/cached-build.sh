# Sourced (not run) by the build scripts of the tools the tests and the benchmark build from Go
# modules: test/e2e/{controlplane,node,schedulers,batch-crds}/build.sh, bench/upstream/build.sh and
# test/argocd/lua/build.sh (and, for `cache_root` alone, test/e2e/connect-client/install.sh). One
# way, for all of them, to build Go programs reproducibly and to keep each build in a cache outside
# the repository:
#
#   build_setup NAME              log/die with the prefix [NAME]; the Go environment (no toolchain
#                                 download, no cgo, no developer GOFLAGS or workspace); go must be on PATH
#   cache_root KIND               prints ${CDK8S_SPARK_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/cdk8s-spark}/KIND
#   read_versions FILE [PATTERN]  the KEY=value lines of FILE (keys matching PATTERN, default [A-Z_]+)
#                                 into the associative array `want`, without shell evaluation
#   cached_build DIR IS_DONE BUILD
#                                 reuses DIR when `IS_DONE DIR` says it is complete; else takes
#                                 DIR.lock (two runs of the same key wait for each other), checks
#                                 again, runs `BUILD DIR.partial` and renames DIR.partial to DIR, so
#                                 an interrupted build never looks finished. BUILD writes the files
#                                 and, last, DIR.partial/complete.
#   targets_built DIR             an IS_DONE for builds of "name|package|..." `targets`: DIR/complete
#                                 and an executable DIR/bin/<name> for each
#   go_build NAME PACKAGE OUT LDFLAGS
#                                 `go build -trimpath` of PACKAGE into OUT with a log line a minute
#                                 while it runs (CI shows life during long compiles)
#
# Bash 4 or later (associative arrays). The caller sets `set -euo pipefail`.

build_setup() {
  build_name="$1"
  log() { printf '[%s] %s\n' "$build_name" "$*" >&2; }
  die() { log "error: $*"; exit 1; }
  export GOTOOLCHAIN=local
  export CGO_ENABLED=0
  export GOFLAGS="-mod=readonly -buildvcs=false"
  export GOWORK=off
  unset GOOS GOARCH || true
  command -v go >/dev/null 2>&1 || die "go is not on PATH (a Go toolchain >= the 'go' line of the module's go.mod is needed)"
}

cache_root() {
  printf '%s/%s' "${CDK8S_SPARK_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/cdk8s-spark}" "$1"
}

declare -A want=()
read_versions() {
  local file="$1" pattern="${2:-[A-Z_]+}" k v
  while IFS='=' read -r k v; do
    [[ "$k" =~ ^${pattern}$ ]] || continue
    want[$k]="$v"
  done < <(grep -E "^${pattern}=" "$file")
}

cached_build() {
  local dir="$1" is_done="$2" build="$3" partial
  if "$is_done" "$dir"; then
    log "reusing $dir"
    return 0
  fi
  mkdir -p "$(dirname "$dir")"
  if command -v flock >/dev/null 2>&1; then
    exec 9>"$dir.lock"
    flock 9
    if "$is_done" "$dir"; then
      log "reusing $dir (built by another run while we waited)"
      return 0
    fi
  fi
  partial="$dir.partial"
  rm -rf "$partial"
  mkdir -p "$partial"
  "$build" "$partial"
  [[ -f "$partial/complete" ]] || die "the build wrote no $partial/complete"
  rm -rf "$dir"
  mv "$partial" "$dir"
  log "done: $dir"
}

targets_built() {
  [[ -f "$1/complete" ]] || return 1
  local t
  for t in "${targets[@]}"; do [[ -x "$1/bin/${t%%|*}" ]] || return 1; done
}

go_build() {
  local name="$1" pkg="$2" out="$3" ldflags="$4" t0=$SECONDS beat status=0
  log "building $name ($pkg) ..."
  # The heartbeat's sleep is killed with it: a sleep left behind would hold stderr open, and a caller
  # reading it would wait for the sleep to end.
  ( trap 'kill "$s" 2>/dev/null; exit 0' TERM
    while :; do sleep 60 & s=$!; wait "$s"; log "  ... still building $name ($((SECONDS - t0))s)"; done ) &
  beat=$!
  go build -trimpath -ldflags="$ldflags" -o "$out" "$pkg" || status=$?
  kill "$beat" 2>/dev/null || true
  wait "$beat" 2>/dev/null || true
  ((status == 0)) || die "building $name failed (exit $status)"
  log "built $name in $((SECONDS - t0))s"
}
