#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Installs every Debian package the project needs, with the kernel headers,
# the kernel source (for KUnit and checkpatch) and the lab's dom0 kernel
# pinned to one and the same Debian 6.1 release. Idempotent: when all is in
# place it runs no apt at all.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

TOOLS=(
	# module build and static checks
	make gcc libc6-dev bc flex bison libelf-dev libssl-dev kmod sparse perl
	python3 xz-utils dwarves
	# the lab
	qemu-system-x86 debootstrap e2fsprogs zstd cpio busybox-static
	xen-hypervisor-4.17-amd64 fdisk
)

installed_version() {
	dpkg-query -W -f='${db:Status-Abbrev} ${Version}\n' "$1" 2>/dev/null |
		awk '$1 == "ii" { print $2 }'
}

# The pinned release: the one already installed, else apt's candidate.
pick_kernel() {
	local pkg
	pkg=$(dpkg-query -W -f='${db:Status-Abbrev} ${Package}\n' \
		'linux-headers-6.1.0-*-amd64' 2>/dev/null |
		awk '$1 == "ii" { print $2 }' | sort -V | tail -n 1)
	if [ -n "$pkg" ]; then
		KABI=${pkg#linux-headers-}
		KABI=${KABI%-amd64}
		KVER=$(installed_version "$pkg")
		return
	fi
	pkg=$(apt-cache depends linux-headers-amd64 2>/dev/null |
		awk '/Depends: linux-headers-6\.1\.0-[0-9]+-amd64/ { print $2; exit }')
	[ -n "$pkg" ] || xbb_die "apt knows no linux-headers-amd64 for 6.1"
	KABI=${pkg#linux-headers-}
	KABI=${KABI%-amd64}
	KVER=$(apt-cache policy "$pkg" | awk '/Candidate:/ { print $2 }')
}

missing() {
	local p want
	for p in "$@"; do
		want=
		case $p in *=*) want=${p#*=}; p=${p%%=*} ;; esac
		local have
		have=$(installed_version "$p")
		if [ -z "$have" ] || { [ -n "$want" ] && [ "$have" != "$want" ]; }; then
			echo "$p${want:+=$want}"
		fi
	done
}

main() {
	local need updated=
	[ "$(id -u)" = 0 ] || xbb_die "run as root (apt-get install)"
	if ! dpkg-query -W 'linux-headers-6.1.0-*-amd64' >/dev/null 2>&1 &&
	   ! apt-cache show linux-headers-amd64 >/dev/null 2>&1; then
		xbb_apt update >&2
		updated=1
	fi
	pick_kernel
	need=$(missing "${TOOLS[@]}" "linux-headers-$KABI-amd64=$KVER" \
		"linux-source-6.1=$KVER")
	if [ -n "$need" ]; then
		xbb_log "installing: $(echo $need)"
		[ -n "$updated" ] || xbb_apt update >&2
		# shellcheck disable=SC2086
		xbb_apt install --no-install-recommends $need >&2
	fi
	mkdir -p "$XBB_CACHE"
	local env="KVER=$KVER
KABI=$KABI"
	if [ "$(cat "$XBB_KERNEL_ENV" 2>/dev/null)" != "$env" ]; then
		printf '%s\n' "$env" > "$XBB_KERNEL_ENV"
	fi
	xbb_log "deps ok: Debian kernel $KABI ($KVER)"
}

main "$@"; exit $?
