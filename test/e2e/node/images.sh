#!/usr/bin/env bash
# Builds the real node's container images offline, as OCI image archives (image-layout tarballs that
# `ctr images import` reads), from files on this machine and Go modules, or reuses earlier builds:
#
#   pause     the sandbox image: Kubernetes' own pause.c (from the k8s.io/kubernetes module of
#             ../controlplane/versions.env), compiled statically, as its Makefile and Dockerfile do
#   busybox   Debian's busybox-static (install.sh) with a link for each applet; the test image
#   spark-<v> a Debian 12 root filesystem (mmdebstrap, through this machine's apt sources) with Java 17,
#             Python 3 and tini, Spark <v> from PyPI's pyspark wheel (../../parity/install.sh) as
#             /opt/spark, and our entrypoint (spark-entrypoint.sh), which follows Spark's container
#             contract; user 185 as Apache's image. The wheel lacks Spark's Connect server scripts:
#             ours (start-connect-server.sh, stop-connect-server.sh) go into /opt/spark/sbin. It has
#             Spark's Python examples but no examples jar: our own SparkPi (spark-examples/SparkPi.java),
#             compiled here against the image's Spark, stands where Apache's image has it
#             (spark_examples_jar below)
#
# Nothing is pulled. Each image is cached by the hash of what goes into it (this script, the inputs):
#   ${CDK8S_SPARK_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/cdk8s-spark}/images/<name>-<hash>/image.tar
# and named localhost/cdk8s-spark-e2e/<name>:<hash> (localhost/: built here, never pulled). Layers are
# reproducible (sorted, owned by 0:0, mtime 0), so the same inputs give the same digests.
#
# Usage: images.sh NAME...   prints "<reference> <archive>" for each, progress on stderr.
#        images.sh --from-dir NAME DIR PROCESS   packs a root filesystem laid out elsewhere (below).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
log() { printf '[images] %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

cache_root="${CDK8S_SPARK_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/cdk8s-spark}/images"
self_hash="$(sha256sum "${BASH_SOURCE[0]}" | cut -c1-64)"

pause_source() {
  local k8s dir
  k8s="$(sed -n 's/^KUBERNETES_VERSION=//p' "$here/../controlplane/versions.env")"
  dir="$(cd "$here" && GOWORK=off GOTOOLCHAIN=local GOFLAGS=-mod=readonly go mod download -json "k8s.io/kubernetes@$k8s" | sed -n 's/^\t"Dir": "\(.*\)",$/\1/p')"
  [[ -f "$dir/build/pause/linux/pause.c" ]] || die "pause.c not found in the k8s.io/kubernetes@$k8s module ($dir)"
  echo "$dir/build/pause/linux/pause.c"
}

busybox_binary() {
  local b=/bin/busybox
  [[ -x "$b" ]] && "$b" --list >/dev/null 2>&1 || die "Debian's busybox-static is needed (bash $here/install.sh)"
  file -L "$b" 2>/dev/null | grep -q 'statically linked' || ldd "$b" 2>&1 | grep -q 'not a dynamic' \
    || die "$b is not statically linked (Debian's busybox-static, not busybox, is needed)"
  echo "$b"
}

# json_string VALUE: VALUE as a JSON string (the values here hold no quote, backslash or control character).
json_string() { [[ "$1" != *[\"\\]* ]] || die "cannot write '$1' as JSON"; printf '"%s"' "$1"; }

# blob FILE: moves FILE into the layout's blob store, prints "<sha256 hex> <size>".
blob() {
  local hex size
  hex="$(sha256sum "$1" | cut -c1-64)"
  size="$(stat -c %s "$1")"
  mv "$1" "$layout/blobs/sha256/$hex"
  echo "$hex $size"
}

# pack ROOTFS REF CONFIG_JSON_FRAGMENT OUT: writes the OCI archive of one single-layer image.
pack() {
  local rootfs="$1" ref="$2" process="$3" out="$4" layer_hex layer_size config_hex config_size manifest_hex manifest_size
  layout="$(dirname "$out")/layout"
  rm -rf "$layout"
  mkdir -p "$layout/blobs/sha256"
  tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner --format=posix \
    --pax-option=exthdr.name=%d/PaxHeaders/%f,delete=atime,delete=ctime -C "$rootfs" -cf "$layout/layer.tar" .
  read -r layer_hex layer_size < <(blob "$layout/layer.tar")
  printf '{"architecture":"amd64","os":"linux","config":{%s},"rootfs":{"type":"layers","diff_ids":["sha256:%s"]}}' \
    "$process" "$layer_hex" >"$layout/config.json"
  read -r config_hex config_size < <(blob "$layout/config.json")
  printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json",%s,%s}' \
    "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"sha256:$config_hex\",\"size\":$config_size}" \
    "\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar\",\"digest\":\"sha256:$layer_hex\",\"size\":$layer_size}]" \
    >"$layout/manifest.json"
  read -r manifest_hex manifest_size < <(blob "$layout/manifest.json")
  printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[{%s,%s,%s}]}' \
    "\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"sha256:$manifest_hex\",\"size\":$manifest_size" \
    "\"platform\":{\"architecture\":\"amd64\",\"os\":\"linux\"}" \
    "\"annotations\":{\"io.containerd.image.name\":$(json_string "$ref"),\"org.opencontainers.image.ref.name\":$(json_string "${ref##*:}")}" \
    >"$layout/index.json"
  printf '{"imageLayoutVersion":"1.0.0"}' >"$layout/oci-layout"
  tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -C "$layout" -cf "$out.partial" oci-layout index.json blobs
  mv "$out.partial" "$out"
  rm -rf "$layout"
}

# The Debian packages of the Spark image (and of nothing else): Spark's scripts need bash and ps.
SPARK_PACKAGES=openjdk-17-jre-headless,python3,tini,procps

# Spark Connect's start and stop scripts, which the pyspark wheel lacks (ours, as Spark's behave).
SPARK_CONNECT_SCRIPTS=(start-connect-server.sh stop-connect-server.sh)
add_connect_scripts() {
  local sbin="$1/opt/spark/sbin" script
  for script in "${SPARK_CONNECT_SCRIPTS[@]}"; do
    [[ -e "$sbin/$script" ]] || install -m 0755 "$here/$script" "$sbin/$script"
  done
}

spark_home() {
  local version="$1" line
  line="$(bash "$here/../../parity/install.sh" "$version")" || die "pyspark $version could not be installed (test/parity/install.sh)"
  [[ -d "${line#* }/jars" ]] || die "test/parity/install.sh printed '$line', not '<version> <SPARK_HOME>'"
  echo "${line#* }"
}

# spark_examples_jar SPARK_HOME ROOT: compiles our SparkPi (javac, against SPARK_HOME's jars) into
# ROOT/opt/spark/examples/jars/spark-examples_<scala>-<version>.jar, the name and path of Apache's
# examples jar, so a SparkApplication written for Apache's image (the README's) finds its class there.
spark_examples_jar() {
  local home="$1" root="$2" version scala out
  command -v javac >/dev/null 2>&1 && command -v jar >/dev/null 2>&1 || die "javac and jar (a JDK 17) are needed for the Spark image's SparkPi"
  version="$(cd "$home/jars" && ls spark-core_*.jar | sed -n 's/^spark-core_\([0-9.]*\)-\(.*\)\.jar$/\1 \2/p')"
  [[ "$version" == *" "* ]] || die "no spark-core_<scala>-<version>.jar in $home/jars"
  scala="${version%% *}" version="${version#* }"
  out="$root/opt/spark/examples/jars"
  mkdir -p "$out" "$root/.classes"
  javac --release 17 -nowarn -encoding UTF-8 -d "$root/.classes" -cp "$home/jars/*" "$here/spark-examples/SparkPi.java" >&2
  # A fixed entry time: the same source gives the same jar.
  jar --create --date=1980-01-01T00:00:02Z --file "$out/spark-examples_$scala-$version.jar" -C "$root/.classes" .
  rm -rf "$root/.classes"
}

build_spark() {
  local home="$1" work="$2" ref="$3"
  local root="$work/rootfs"
  command -v mmdebstrap >/dev/null 2>&1 || die "mmdebstrap is needed for the Spark image (bash $here/install.sh)"
  [[ "$(id -u)" == 0 ]] || die "the Spark image's root filesystem is made as root (mmdebstrap --mode=root)"
  # No mirror argument: mmdebstrap takes this machine's apt sources, as apt-get does. Without man pages,
  # Java's postinst still links its man page (update-alternatives), so man1 must exist.
  mmdebstrap --quiet --mode=root --format=directory --variant=minbase --include="$SPARK_PACKAGES" \
    --dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/locale/*' \
    --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-include=/usr/share/doc/*/copyright' \
    --essential-hook='mkdir -p "$1/usr/share/man/man1"' \
    bookworm "$root" >&2
  chroot "$root" dpkg-query -W -f '${Package} ${Version}\n' >"$work/packages.txt"
  cp -a "$home" "$root/opt/spark"
  install -m 0755 "$here/spark-entrypoint.sh" "$root/opt/entrypoint.sh"
  add_connect_scripts "$root"
  spark_examples_jar "$home" "$root"
  echo 'spark:x:185:185:Spark:/opt/spark:/bin/false' >>"$root/etc/passwd"
  echo 'spark:x:185:' >>"$root/etc/group"
  mkdir -p "$root/opt/spark/work-dir"
  chmod 0777 "$root/opt/spark/work-dir"
  # A pod may run as a user the image does not know: the entrypoint then adds it (as Apache's does).
  chmod g+w,o+w "$root/etc/passwd"
  # As an image built by a container engine: the runtime mounts /dev, /proc and /sys itself.
  rm -rf "$root/var/lib/apt/lists/"* "$root/var/cache/apt/"* "$root/var/log/"* "$root/dev/"*
  local py4j
  py4j="$(cd "$root/opt/spark/python/lib" && ls py4j-*-src.zip)"
  pack "$root" "$ref" "$(printf '"User":"185","Entrypoint":["/opt/entrypoint.sh"],"WorkingDir":"/opt/spark/work-dir","Env":[%s]' \
    "\"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\",\"SPARK_HOME=/opt/spark\",\"JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64\",\"LANG=C.UTF-8\",\"PYTHONPATH=/opt/spark/python/lib/pyspark.zip:/opt/spark/python/lib/$py4j\"")" \
    "$work/image.tar"
}

build_pause() {
  local src="$1" work="$2" ref="$3"
  mkdir -p "$work/rootfs"
  command -v gcc >/dev/null 2>&1 || die "gcc is needed to compile pause.c"
  gcc -Os -Wall -Werror -static -DVERSION="$ref" -o "$work/rootfs/pause" "$src"
  strip "$work/rootfs/pause" 2>/dev/null || true
  # As upstream's Dockerfile: the binary alone, run as 65535.
  pack "$work/rootfs" "$ref" '"User":"65535:65535","Entrypoint":["/pause"]' "$work/image.tar"
}

build_busybox() {
  local bb="$1" work="$2" ref="$3" applet
  local root="$work/rootfs"
  mkdir -p "$root/bin" "$root/etc" "$root/tmp" "$root/root" "$root/proc" "$root/sys" "$root/dev"
  chmod 1777 "$root/tmp"
  cp "$bb" "$root/bin/busybox"
  for applet in $("$bb" --list); do
    [[ "$applet" == busybox ]] || ln -s busybox "$root/bin/$applet"
  done
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n' >"$root/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\n' >"$root/etc/group"
  pack "$root" "$ref" '"Env":["PATH=/bin"],"Cmd":["/bin/sh"],"WorkingDir":"/"' "$work/image.tar"
}

# images.sh --from-dir NAME DIR PROCESS: packs a root filesystem laid out by the caller (the operator's
# image, laid out from the Dockerfile by test/e2e/harness/image-run.ts) as the image NAME, with the
# OCI config fields PROCESS (a JSON fragment: "User":...,"Entrypoint":[...]); cached by its content.
if [[ "${1:-}" == --from-dir ]]; then
  (($# == 4)) || die "usage: images.sh --from-dir NAME DIR PROCESS"
  name="$2" root="$3" process="$4"
  [[ -d "$root" ]] || die "$root is not a directory"
  hash="$( { echo "$self_hash $name $process"; (cd "$root" && find . -printf '%P %y %m\n' | sort); (cd "$root" && find . -type f -print0 | sort -z | xargs -0 -r sha256sum); } | sha256sum | cut -c1-12)"
  ref="localhost/cdk8s-spark-e2e/$name:$hash"
  dir="$cache_root/$name-$hash"
  if [[ ! -f "$dir/image.tar" ]]; then
    work="$(mktemp -d "$cache_root/.$name-XXXXXX" 2>/dev/null || { mkdir -p "$cache_root" && mktemp -d "$cache_root/.$name-XXXXXX"; })"
    pack "$root" "$ref" "$process" "$work/image.tar"
    mkdir -p "$dir"
    mv "$work/image.tar" "$dir/image.tar"
    rm -rf --one-file-system "$work"
    log "packed $ref ($(du -h "$dir/image.tar" | cut -f1))"
  fi
  echo "$ref $dir/image.tar"
  exit 0
fi

(($#)) || die "usage: images.sh NAME... (pause, busybox, spark-<version>), or images.sh --from-dir NAME DIR PROCESS"
for name in "$@"; do
  case "$name" in
    pause) kind=pause; input="$(pause_source)"; digest="$(sha256sum <"$input")" ;;
    busybox) kind=busybox; input="$(busybox_binary)"; digest="$(sha256sum <"$input")" ;;
    spark-[0-9]*)
      kind=spark
      input="$(spark_home "${name#spark-}")"
      # The Spark distribution by its files' names and sizes (hashing 400 MB of jars on every run costs
      # seconds), the entrypoint, the package list. Debian's archive moves on under the same list: the
      # cache keeps the first build's packages (packages.txt beside the archive says which).
      digest="$( { sha256sum <"$here/spark-entrypoint.sh"; echo "$SPARK_PACKAGES"; (cd "$input" && find . -type f -printf '%P %s\n' | sort); } | sha256sum)"
      digest="$digest $(cd "$here" && cat "${SPARK_CONNECT_SCRIPTS[@]}" | sha256sum)"
      digest="$( { echo "$digest"; sha256sum <"$here/spark-examples/SparkPi.java"; } | sha256sum)"
      ;;
    *) die "unknown image '$name' (expected pause, busybox or spark-<version>)" ;;
  esac
  hash="$( { echo "$self_hash $name"; echo "$digest"; } | sha256sum | cut -c1-12)"
  ref="localhost/cdk8s-spark-e2e/$name:$hash"
  dir="$cache_root/$name-$hash"
  if [[ ! -f "$dir/image.tar" ]]; then
    t0=$SECONDS
    mkdir -p "$cache_root"
    if command -v flock >/dev/null 2>&1; then
      exec 9>"$cache_root/$name-$hash.lock"
      flock 9
    fi
  fi
  if [[ ! -f "$dir/image.tar" ]]; then
    work="$(mktemp -d "$cache_root/.$name-XXXXXX")"
    "build_$kind" "$input" "$work" "$ref"
    mkdir -p "$dir"
    [[ ! -f "$work/packages.txt" ]] || mv "$work/packages.txt" "$dir/packages.txt"
    mv "$work/image.tar" "$dir/image.tar"
    rm -rf --one-file-system "$work"
    log "built $ref in $((SECONDS - t0))s ($(du -h "$dir/image.tar" | cut -f1))"
  fi
  exec 9>&- 2>/dev/null || true
  echo "$ref $dir/image.tar"
done
