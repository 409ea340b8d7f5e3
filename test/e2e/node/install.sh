#!/usr/bin/env bash
# Installs the Debian packages of the end-to-end real node (versions.env), or does nothing when they
# are installed already: containerd and its `ctr`, runc, the CNI plugins, iptables (for kube-proxy),
# and busybox-static, whose binary is the root filesystem of the test image.
#
# Runs unattended. Needs root and Debian's package archive only when something is missing; prints
# nothing on stdout.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
log() { printf '[node] %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

read -r -a pins < <(sed -n 's/^DEBIAN_PACKAGES=//p' "$here/versions.env")
((${#pins[@]})) || die "versions.env sets no DEBIAN_PACKAGES"

installed_version() { dpkg-query -W -f '${db:Status-Abbrev}|${Version}' "$1" 2>/dev/null | sed -n 's/^ii *|//p'; }

missing=()
for pin in "${pins[@]}"; do
  name="${pin%%=*}"
  [[ "$(installed_version "$name")" == "${pin#*=}"* ]] || missing+=("$name")
done
if ((${#missing[@]} == 0)); then
  log "Debian packages present: ${pins[*]}"
  exit 0
fi

command -v apt-get >/dev/null 2>&1 || die "apt-get not found: the real node needs Debian's ${missing[*]}"
[[ "$(id -u)" == 0 ]] || die "installing ${missing[*]} needs root: apt-get install ${missing[*]}"
log "installing ${missing[*]} from Debian's archive"
t0=$SECONDS
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >&2
apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2

for pin in "${pins[@]}"; do
  name="${pin%%=*}"
  have="$(installed_version "$name")"
  [[ "$have" == "${pin#*=}"* ]] || die "$name $have is installed, versions.env pins ${pin#*=}*"
done
log "installed ${missing[*]} in $((SECONDS - t0))s"
