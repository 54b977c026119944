#!/usr/bin/env bash
# Builds the Rushes image with no container registry: debootstraps a Debian root filesystem
# (cached), imports it as the base image, and builds deploy/Containerfile on it.
#
#   deploy/build-images.sh [TAG]          default TAG: localhost/rushes:<version>
#
# Settings (environment): DEBIAN_SUITE (bookworm), DEBIAN_MIRROR (debootstrap's default),
# RUSHES_CACHE_DIR (~/.cache/rushes-deploy), BASE_IMAGE (skip debootstrap, build on this image),
# PODMAN_STORAGE_DRIVER (default: podman's own; `vfs` where overlay does not work, then in its own
# storage under RUSHES_CACHE_DIR, since one storage folder keeps one driver), BUILD_CA_BUNDLE
# (/etc/ssl/certs/ca-certificates.crt: the authorities npm trusts during the build).
# Needs root (debootstrap), debootstrap and podman (Debian packages of both names).
set -euo pipefail
cd "$(dirname "$0")/.."

suite="${DEBIAN_SUITE:-bookworm}"
cache="${RUSHES_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/rushes-deploy}"
version="$(node -p 'require("./package.json").version' 2>/dev/null || echo dev)"
tag="${1:-localhost/rushes:$version}"
podman=(podman)
if [[ -n ${PODMAN_STORAGE_DRIVER:-} ]]; then
  podman+=(--storage-driver "$PODMAN_STORAGE_DRIVER"
    --root "$cache/storage-$PODMAN_STORAGE_DRIVER" --runroot "$cache/run-$PODMAN_STORAGE_DRIVER")
fi

started=$SECONDS
step() { printf '== [%3d s] %s\n' $((SECONDS - started)) "$*"; }

for tool in podman debootstrap; do
  command -v "$tool" >/dev/null || { echo "build-images: $tool is missing (apt-get install $tool)" >&2; exit 1; }
done

base="${BASE_IMAGE:-}"
if [[ -z $base ]]; then
  base="localhost/rushes-base:$suite"
  tarball="$cache/debian-$suite-minbase.tar"
  if [[ ! -s $tarball ]]; then
    step "debootstrap $suite (minbase) into $cache"
    mkdir -p "$cache"
    rootfs="$(mktemp -d "$cache/rootfs.XXXXXX")"
    trap 'rm -rf "$rootfs"' EXIT
    debootstrap --variant=minbase "$suite" "$rootfs" ${DEBIAN_MIRROR:+"$DEBIAN_MIRROR"} >"$cache/debootstrap.log"
    # No package lists or caches in the base: every stage runs apt-get update itself.
    rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/archives/*.deb
    tar -C "$rootfs" --numeric-owner -cf "$tarball.tmp" .
    mv "$tarball.tmp" "$tarball"
    rm -rf "$rootfs"
    trap - EXIT
  fi
  if ! "${podman[@]}" image exists "$base" || [[ $tarball -nt $cache/imported-$suite ]]; then
    step "podman import $tarball as $base"
    "${podman[@]}" import --quiet "$tarball" "$base" >/dev/null
    touch "$cache/imported-$suite"
  fi
fi

# npm in the build trusts what this machine trusts (e.g. a TLS-inspecting proxy's authority):
# the machine's CA bundle is mounted read-only for the RUN steps and named by NODE_EXTRA_CA_CERTS.
ca_args=()
ca_bundle="${BUILD_CA_BUNDLE:-/etc/ssl/certs/ca-certificates.crt}"
if [[ -s $ca_bundle ]]; then
  ca_args=(--volume "$ca_bundle:/run/rushes-build-ca.crt:ro" --build-arg NODE_EXTRA_CA_CERTS=/run/rushes-build-ca.crt)
fi

step "podman build $tag on $base"
# chroot isolation: RUN steps need no cgroups (machines where `podman run` cannot start crun).
"${podman[@]}" build --isolation chroot --layers "${ca_args[@]}" \
  -f deploy/Containerfile --build-arg "BASE_IMAGE=$base" -t "$tag" .
step "built $tag ($("${podman[@]}" image inspect --format '{{.Size}}' "$tag" | numfmt --to=iec) )"
