#!/usr/bin/env bash
# Runs the image's entrypoint from its file system under chroot, where containers cannot run
# (`podman run` fails without usable cgroups): mounts the image read-only (`podman image mount`),
# sets its environment, working folder and user, and runs in new PID, mount and IPC namespaces
# (add RUSHES_CHROOT_NET=none for no network: a loopback-only namespace).
#
#   deploy/run-in-chroot.sh [IMAGE] -- COMMAND [ARGS]    e.g. deploy/run-in-chroot.sh -- check-tools
#
# Extra variables for the process: RUSHES_CHROOT_ENV="DATABASE_URL=… STORAGE_DRIVER=s3 …".
# Needs root. IMAGE defaults to localhost/rushes:<version>.
set -euo pipefail
cd "$(dirname "$0")/.."

image="localhost/rushes:$(node -p 'require("./package.json").version' 2>/dev/null || echo dev)"
if [[ ${1:-} != -- && -n ${1:-} ]]; then image="$1"; shift; fi
[[ ${1:-} == -- ]] && shift

root="$(podman image mount "$image")"
trap 'podman image unmount "$image" >/dev/null' EXIT
inspect() { podman image inspect --format "$1" "$image"; }
user="$(inspect '{{.Config.User}}')"
workdir="$(inspect "{{.Config.WorkingDir}}")"
workdir="${workdir:-/}"
entrypoint="$(inspect '{{join .Config.Entrypoint " "}}')"
mapfile -t image_env < <(podman image inspect --format '{{range .Config.Env}}{{println .}}{{end}}' "$image" | sed '/^$/d')
# shellcheck disable=SC2206
extra_env=(${RUSHES_CHROOT_ENV:-})

net=()
[[ ${RUSHES_CHROOT_NET:-host} == none ]] && net=(--net)

# A private /proc, /dev and a writable /tmp over the read-only image, for this process tree only.
export RUSHES_CHROOT_NET="${RUSHES_CHROOT_NET:-host}"
unshare --pid --fork --mount --ipc "${net[@]}" bash -c '
  set -euo pipefail
  root=$1 user=$2 workdir=$3 entrypoint=$4
  shift 4
  env=()
  while [[ $1 != -- ]]; do env+=("$1"); shift; done
  shift
  mount -t proc proc "$root/proc"
  mount -t tmpfs -o mode=1777 tmpfs "$root/tmp"
  mount --rbind /dev "$root/dev"
  if [[ -e $root/etc/resolv.conf ]]; then mount --bind /etc/resolv.conf "$root/etc/resolv.conf"; fi
  if [[ $RUSHES_CHROOT_NET == none ]]; then ip link set lo up; fi
  # shellcheck disable=SC2086
  exec chroot --userspec="$user" "$root" /usr/bin/env -i "${env[@]}" \
    sh -c "cd \"\$0\" && exec \"\$@\"" "$workdir" $entrypoint "$@"
' bash "$root" "$user" "$workdir" "$entrypoint" "${image_env[@]}" "${extra_env[@]}" HOME=/tmp -- "$@"
