#!/usr/bin/env bash
# Installs the pinned Spark distributions of the parity harness (versions.env) from PyPI's `pyspark`
# wheels, or reuses earlier installs. Each goes to
#   ${CDK8S_SPARK_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/cdk8s-spark}/pyspark/<version>
# and its SPARK_HOME is <that>/site/pyspark (bin/spark-submit, jars/).
#
# Progress goes to stderr; stdout gets one line per version, `<version> <SPARK_HOME>`, so callers can do
#   bash test/parity/install.sh | while read -r version home; do ...; done
#
# Options:
#   <version>...  install only these (each must be in versions.env); default: every version
#
# Runs unattended (no prompt, no stdin). Needs python3 with pip and PyPI. Java is only needed later, to
# run spark-submit.
#
# An install is built in a temporary folder next to its final place and renamed when complete, so an
# interrupted run never leaves a half install that looks finished; two runs wait for each other (flock).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

log() { printf '[pyspark] %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

# --- versions ---------------------------------------------------------------------------------------------
declare -a pinned=()
while IFS='=' read -r k v; do
  [[ "$k" =~ ^SPARK_[0-9]+_VERSION$ ]] || continue
  [[ "$v" =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || die "versions.env: $k must look like N.N.N (got '$v')"
  pinned+=("$v")
done < <(grep -E '^[A-Z0-9_]+=' "$here/versions.env")
((${#pinned[@]})) || die "versions.env pins no SPARK_*_VERSION"

declare -a wanted=()
if (($#)); then
  for v in "$@"; do
    printf '%s\n' "${pinned[@]}" | grep -qx -- "$v" || die "$v is not pinned in versions.env (pinned: ${pinned[*]})"
    wanted+=("$v")
  done
else
  wanted=("${pinned[@]}")
fi

cache_root="${CDK8S_SPARK_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/cdk8s-spark}/pyspark"
mkdir -p "$cache_root"

# The marker written last into a finished install; its content says what was installed.
complete() { [[ -f "$1/complete" && -x "$1/site/pyspark/bin/spark-submit" ]]; }

install_one() {
  local version="$1" dest="$cache_root/$1" start=$SECONDS
  if complete "$dest"; then
    log "reusing Spark $version in $dest"
    return
  fi
  exec 9>"$cache_root/$version.lock"
  if command -v flock >/dev/null 2>&1; then
    flock 9
    if complete "$dest"; then log "reusing Spark $version (installed by another run while we waited)"; return; fi
  fi
  local work
  work="$(mktemp -d "$cache_root/.partial-$version-XXXXXX")"
  # Leave no partial folder behind, whatever happens.
  trap 'rm -rf "$work"' EXIT
  log "installing pyspark==$version (about 300 MB from PyPI) into $dest ..."
  # --no-deps: py4j and friends are for running Python, not for spark-submit, which is all we use.
  python3 -m pip install --quiet --disable-pip-version-check --no-input --no-deps --no-compile \
    --target "$work/site" "pyspark==$version" >&2 || die "pip could not install pyspark==$version"
  local home="$work/site/pyspark"
  [[ -x "$home/bin/spark-submit" ]] || die "pyspark==$version has no bin/spark-submit"
  # spark-submit needs Spark's Kubernetes module (spark-kubernetes_<scala>) and the fabric8 client in
  # jars/; the 3.5 and 4.0 wheels both ship them (checked for every version pinned so far).
  compgen -G "$home/jars/spark-kubernetes_*.jar" >/dev/null \
    || die "pyspark==$version has no jars/spark-kubernetes_*.jar: this version cannot submit to Kubernetes as is"
  printf 'pyspark=%s installed_in_seconds=%s\n' "$version" "$((SECONDS - start))" >"$work/complete"
  rm -rf "$dest"
  mv "$work" "$dest"
  trap - EXIT
  log "installed Spark $version in $((SECONDS - start))s"
}

for v in "${wanted[@]}"; do
  install_one "$v"
  echo "$v $cache_root/$v/site/pyspark"
done
