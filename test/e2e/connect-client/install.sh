#!/usr/bin/env bash
# Installs the Spark Connect client of the end-to-end tests: PyPI's `pyspark[connect]` of a pinned
# Spark version in a Python virtual environment, or reuses an earlier install. pyspark itself is the
# parity suite's install (../../parity/install.sh, the same wheel from PyPI, already in the cache),
# put on the environment's path by a .pth file rather than downloaded a second time; its `connect`
# extra's packages come from PyPI at the exact versions of requirements-<major.minor>.txt. The
# environment goes to
#   ${CDK8S_SPARK_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/cdk8s-spark}/connect-client/<version>-<hash>
# (<hash>: this script, the requirements, the Python), and is checked before it is marked complete:
# `pip check`, and pyspark's own check of its Connect client's dependencies.
#
# Usage: install.sh [<version>]   default: the newest Spark of ../../parity/versions.env
# Prints `<version> <python>` on stdout (the environment's interpreter), progress on stderr.
# Runs unattended; needs python3 with venv and pip, and PyPI (or pip's cache) on a cold run.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=../../../scripts/cached-build.sh
source "$here/../../../scripts/cached-build.sh"
log() { printf '[connect-client] %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

version="${1:-$(sed -n 's/^SPARK_[0-9]*_VERSION=//p' "$here/../../parity/versions.env" | tail -n 1)}"
requirements="$here/requirements-${version%.*}.txt"
[[ -f "$requirements" ]] || die "no requirements-${version%.*}.txt: the Connect client of Spark $version is not pinned"

python="$(command -v python3)" || die "python3 is needed"
# Debian's python3 has venv without ensurepip unless python3-venv is installed: say so before trying.
"$python" -c 'import ensurepip, venv' 2>/dev/null || die "$python has no venv module with ensurepip (Debian: apt-get install python3-venv)"
python_id="$("$python" -c 'import sys; print(sys.version.split()[0], sys.base_prefix)')"
hash="$( { sha256sum <"${BASH_SOURCE[0]}"; sha256sum <"$requirements"; echo "$python_id"; } | sha256sum | cut -c1-12)"
dest="$(cache_root connect-client)/$version-$hash"
complete() { [[ -f "$dest/complete" && -x "$dest/bin/python" ]]; }

# Not cached_build: a virtual environment names its own path in its scripts, so it cannot be made
# in DIR.partial and renamed; it is made in place, under the same lock, and marked complete last.
if ! complete; then
  mkdir -p "$(dirname "$dest")"
  exec 9>"$dest.lock"
  command -v flock >/dev/null 2>&1 && flock 9
fi
if ! complete; then
  t0=$SECONDS
  spark_site="$(bash "$here/../../parity/install.sh" "$version" | sed -n "s|^$version \(.*\)/pyspark\$|\1|p")"
  [[ -f "$spark_site/pyspark/__init__.py" ]] || die "test/parity/install.sh gave no pyspark $version"
  # A virtual environment is not relocatable: it is made in place; an unfinished one (no marker) is made again.
  rm -rf "$dest"
  trap 'rm -rf "$dest"' EXIT
  log "installing the Spark Connect client of pyspark $version into $dest ..."
  "$python" -m venv "$dest" >&2
  "$dest/bin/python" -m pip install --quiet --disable-pip-version-check --no-input --no-deps -r "$requirements" >&2 \
    || die "pip could not install $requirements"
  site="$("$dest/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')"
  echo "$spark_site" >"$site/cdk8s-spark-pyspark.pth"
  # pip check: every installed distribution's requirements (pyspark's py4j, pandas' dateutil ...) are met.
  "$dest/bin/python" -m pip check --disable-pip-version-check >&2 || die "the client's packages do not fit together (pip check)"
  "$dest/bin/python" -c "
import pyspark
from pyspark.sql.connect.utils import check_dependencies
assert pyspark.__version__ == '$version', pyspark.__version__
check_dependencies('pyspark.sql.connect')
" >&2 || die "pyspark $version's Connect client cannot load its dependencies"
  printf 'pyspark=%s installed_in_seconds=%s\n' "$version" "$((SECONDS - t0))" >"$dest/complete"
  trap - EXIT
  log "installed the Spark Connect client of pyspark $version in $((SECONDS - t0))s"
fi
echo "$version $dest/bin/python"
